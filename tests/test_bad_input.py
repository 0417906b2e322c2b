"""Every public form and endpoint answers bad input (huge, binary, control characters, forged
ids, wrong methods) with a clear 4xx, never a 500, and loses nothing that was valid.

Property-based: Hypothesis throws arbitrary text and bytes at each of them.
"""

import urllib.parse

import pytest
from django.test import Client
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.contact import ContactRequest
from kb.feedback import PageFeedback
from kb.forms import ContactForm

EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text of every kind: empty, control characters and NUL, markup, right-to-left, huge, numbers.
nasty_text = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "a\x00b",
            "\r\n\t",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "‮evil",
            "שלום",
            "-1",
            "0",
            "1e9",
            "99999999999999999999999",
            "NaN",
            "../../etc/passwd",
            "x" * 6000,
        ]
    ),
)
raw_query = st.binary(max_size=80).map(lambda b: urllib.parse.quote_from_bytes(b, safe="=&"))
ip_addresses = st.ip_addresses(v=4).map(str)

GET_ENDPOINTS = [
    ("/en/search/", ["q", "lang", "type", "category", "page", "spelling"]),
    ("/he/search/", ["q", "type", "page"]),
    ("/api/search/", ["q", "lang", "type", "category", "page"]),
    ("/api/search/suggest/", ["q", "lang"]),
    ("/en/contact/", ["q"]),
    ("/he/contact/", ["q"]),
    ("/en/contact/sent/", ["ref"]),
    ("/opensearch.xml", ["lang"]),
    ("/robots.txt", ["x"]),
    ("/sitemap.xml", ["p"]),
]
POST_ONLY = ["/en/feedback/", "/en/feedback/reason/", "/api/feedback/", "/api/feedback/reason/"]


@pytest.fixture
def pages(tree):
    return {
        "article": tree.article(),
        "guide": tree.guide([("Open the app", "Tap Payments."), ("Add it", "Enter details.")]),
        "category": tree.category["en"],
    }


def assert_clear_answer(response):
    assert response.status_code < 500, response.content[:300]


@pytest.mark.django_db
@EXAMPLES
@given(endpoint=st.sampled_from(GET_ENDPOINTS), values=st.lists(nasty_text, min_size=1, max_size=6))
def test_get_endpoints_answer_any_parameters(client, pages, endpoint, values):
    path, names = endpoint
    params = dict(zip(names, values, strict=False))
    assert_clear_answer(client.get(path, params))


@pytest.mark.django_db
@EXAMPLES
@given(endpoint=st.sampled_from(GET_ENDPOINTS + [(p, []) for p in POST_ONLY]), query=raw_query)
def test_endpoints_answer_undecodable_query_strings(client, pages, endpoint, query):
    assert_clear_answer(client.generic("GET", f"{endpoint[0]}?{query}"))


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["put", "patch", "delete"])
@pytest.mark.parametrize("path", [p for p, _ in GET_ENDPOINTS] + POST_ONLY)
def test_wrong_methods_are_refused(client, pages, path, method):
    assert getattr(client, method)(path).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("path", POST_ONLY)
def test_post_only_endpoints_refuse_get(client, path):
    assert client.get(path).status_code == 405


@pytest.mark.django_db
@EXAMPLES
@given(
    page=st.one_of(nasty_text, st.sampled_from(["article", "guide", "category"])),
    helpful=st.one_of(nasty_text, st.sampled_from(["yes", "no"])),
    step=st.one_of(st.none(), nasty_text, st.integers(-5, 5).map(str)),
    api=st.booleans(),
    address=ip_addresses,
)
def test_feedback_takes_only_real_votes_on_real_help_pages(
    pages, page, helpful, step, api, address
):
    data = {"page": str(pages[page].pk) if page in pages else page, "helpful": helpful}
    if step is not None:
        data["step"] = step
    before = PageFeedback.objects.count()
    response = Client(REMOTE_ADDR=address).post("/api/feedback/" if api else "/en/feedback/", data)
    assert_clear_answer(response)
    if response.status_code in (201, 302):
        vote = PageFeedback.objects.latest("pk")
        assert page in ("article", "guide") and vote.page_id == pages[page].pk
        assert vote.helpful == (helpful == "yes")
        assert PageFeedback.objects.count() == before + 1
    else:
        assert response.status_code in (400, 429)
        assert PageFeedback.objects.count() == before


@pytest.mark.django_db
@EXAMPLES
@given(
    forged=st.one_of(nasty_text, st.integers(-(2**63), 2**63).map(str)),
    reason=nasty_text,
    comment=nasty_text,
)
def test_nobody_can_change_feedback_they_did_not_give(pages, forged, reason, comment):
    owner = Client()
    vote = owner.post("/api/feedback/", {"page": pages["article"].pk, "helpful": "no"}).json()
    stranger = Client()
    for path in ("/api/feedback/reason/", "/en/feedback/reason/"):
        for target in (forged, str(vote["id"])):
            response = stranger.post(
                path, {"feedback": target, "reason": reason, "comment": comment}
            )
            assert response.status_code == 400
    stored = PageFeedback.objects.get(pk=vote["id"])
    assert (stored.reason, stored.comment) == ("", "")
    PageFeedback.objects.all().delete()


contact_fields = st.fixed_dictionaries(
    {},
    optional={
        "subject": nasty_text,
        "message": nasty_text,
        "tried": nasty_text,
        "email": st.one_of(nasty_text, st.emails()),
        "name": nasty_text,
        "homepage": st.sampled_from(["", "", "", "http://spam.example"]),
    },
)


@pytest.mark.django_db
@EXAMPLES
@given(data=contact_fields, address=ip_addresses)
def test_the_contact_form_stores_exactly_what_it_accepts_and_gives_back_what_it_refuses(
    pages, data, address
):
    ContactRequest.objects.all().delete()
    response = Client(REMOTE_ADDR=address).post("/en/contact/", data)
    assert_clear_answer(response)
    form = ContactForm(data)
    if form.is_valid():
        assert response.status_code == 302
        stored = ContactRequest.objects.get()
        assert {k: getattr(stored, k) for k in ContactForm.REQUEST_FIELDS} == form.request_fields()
    else:
        assert response.status_code == 400
        assert not ContactRequest.objects.exists()
        html = response.content.decode()
        for name in ("subject", "message", "email", "name"):
            # What was typed comes back to be corrected (Django drops NUL from what it shows).
            if data.get(name) and "\x00" not in data[name]:
                assert escape(data[name]) in html, name


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/en/contact/", *POST_ONLY])
@EXAMPLES
@given(
    body=st.binary(max_size=300),
    content_type=st.sampled_from(
        [
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=xyz",
            "application/json",
            "text/plain",
        ]
    ),
)
def test_posting_arbitrary_bytes_is_refused_cleanly(pages, path, body, content_type):
    response = Client().generic("POST", path, body, content_type=content_type)
    assert response.status_code == 400, response.content[:300]
    assert not ContactRequest.objects.exists() and not PageFeedback.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/en/contact/", *POST_ONLY])
def test_huge_posts_are_refused(client, pages, path):
    huge = {"message": "x" * (3 * 1024 * 1024), "subject": "big", "email": "a@example.com"}
    assert client.post(path, huge).status_code == 400
    assert not ContactRequest.objects.exists() and not PageFeedback.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/en/contact/", *POST_ONLY])
def test_posts_without_the_csrf_token_are_refused(pages, path):
    response = Client(enforce_csrf_checks=True).post(
        path, {"page": pages["article"].pk, "helpful": "yes"}
    )
    assert response.status_code == 403


@pytest.mark.django_db
def test_a_huge_query_carried_to_the_contact_form_is_refused_but_the_form_still_works(
    client, pages
):
    response = client.get("/en/contact/", {"q": "x" * 5000})
    assert response.status_code == 400
    assert 'name="subject"' in response.content.decode()
