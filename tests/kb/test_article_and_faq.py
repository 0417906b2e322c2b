import pytest

from tests.conftest import html_direction


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", "he"])
def test_article_shows_the_short_answer_before_the_body(tree, client, lang):
    page = tree.article(
        title="Invoice" if lang == "en" else "חשבונית", summary="SHORT-ANSWER", lang=lang
    )
    html = client.get(page.url).content.decode()
    assert html.count("<h1") == 1
    assert html.index("SHORT-ANSWER") < html.index("Invoices are kept for seven years.")
    assert html_direction(html) == (lang, "rtl" if lang == "he" else "ltr")


@pytest.mark.django_db
def test_each_faq_answer_has_a_stable_anchor_that_survives_edits(tree, client):
    page = tree.faq([("How do I pay?", "By card."), ("Where is my invoice?", "In My account.")])
    anchors = [anchor for anchor, _ in page.questions()]
    assert len(set(anchors)) == 2 and all(anchors)
    html = client.get(page.url).content.decode()
    for anchor in anchors:
        assert f'id="{anchor}"' in html

    # Reordering and rewording keep each answer's link.
    page.faqs = [page.faqs.raw_data[1], page.faqs.raw_data[0]]
    page.faqs.raw_data[0]["value"]["question"] = "Where can I find my invoice?"
    page.save_revision().publish(log_action=False)
    page.refresh_from_db()
    assert [a for a, _ in page.questions()] == anchors[::-1]


@pytest.mark.django_db
def test_each_faq_answer_is_its_own_search_part_linking_to_its_anchor(tree):
    page = tree.faq([("How do I pay?", "By card."), ("Where is my invoice?", "In My account.")])
    parts = page.search_parts()
    assert [p.title for p in parts] == ["How do I pay?", "Where is my invoice?"]
    assert [p.anchor for p in parts] == [a for a, _ in page.questions()]
    assert "In My account." in parts[1].body


@pytest.mark.django_db
def test_an_faq_introduction_is_found_by_search_as_the_page_itself(tree):
    from search import service

    page = tree.faq([("How do I pay?", "By card.")], title="Payment questions")
    page.intro = "<p>Our cashiers accept <b>luncheon</b> vouchers at every branch.</p>"
    page.save_revision().publish(log_action=False)
    hits = service.search("luncheon vouchers", locale="en").results.hits
    assert [(hit.document.title, hit.document.url) for hit in hits] == [
        ("Payment questions", page.url)
    ]
