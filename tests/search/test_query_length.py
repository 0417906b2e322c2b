"""The query length limit is in characters, the same in every box and on the server."""

import re

import pytest

from home.limits import MAX_QUERY_CHARS
from search.querying import clean_query

WIDE = "\U0001d538"  # 4 bytes in UTF-8, 12 once percent-encoded


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "he"])
def test_every_search_box_allows_the_same_number_of_characters(tree, client, lang):
    for url in (f"/{lang}/", f"/{lang}/search/?q=invoice"):
        html = client.get(url).content.decode()
        boxes = re.findall(r'<input[^>]*type="search"[^>]*>', html)
        assert boxes, url
        for box in boxes:
            assert f'maxlength="{MAX_QUERY_CHARS}"' in box, box


@pytest.mark.django_db
def test_a_full_box_of_four_byte_characters_is_searched_whole(tree, client):
    response = client.get("/en/search/", {"q": WIDE * MAX_QUERY_CHARS})
    assert response.status_code == 200
    assert WIDE * MAX_QUERY_CHARS in response.content.decode()
    # More than the box allows was not typed in it: a clear refusal, not a server error.
    longer = client.get("/api/search/", {"q": WIDE * (MAX_QUERY_CHARS + 50), "lang": "en"})
    assert longer.status_code == 400


def test_the_limit_counts_characters_not_bytes():
    assert clean_query(WIDE * (MAX_QUERY_CHARS + 1)) == WIDE * MAX_QUERY_CHARS
    assert len(clean_query("é" * 600)) == MAX_QUERY_CHARS
