""" "Was this helpful?" on help pages: votes, reasons, failed guide steps, and what managers
see in the admin. Without JavaScript (form posts) and through the JSON API."""

import pytest
from django.contrib.auth import get_user_model

from kb import feedback as feedback_module
from kb.feedback import PageFeedback


def section(html):
    start = html.index('<section class="feedback"')
    return html[start : html.index("</section>", start)]


def visible(part, html):
    """Whether the feedback box shows ``part`` (ask, reason or thanks) rather than hiding it."""
    tag_start = section(html).index(f"data-feedback-{part}")
    tag = section(html)[tag_start : section(html).index(">", tag_start)]
    return " hidden" not in tag


@pytest.fixture
def article(tree):
    return tree.article(title="Find your invoice")


@pytest.mark.django_db
def test_every_help_page_asks_whether_it_helped(tree, client):
    pages = [
        tree.article(),
        tree.faq([("How do I pay?", "By card.")]),
        tree.guide([("Open the app", "Tap Payments.")]),
        tree.video(),
    ]
    for page in pages:
        html = client.get(page.url).content.decode()
        assert "Was this helpful?" in html and visible("ask", html), page.url
        assert f'name="page" value="{page.pk}"' in section(html)


@pytest.mark.django_db
def test_yes_is_stored_and_the_page_then_says_thank_you(article, client):
    response = client.post("/en/feedback/", {"page": article.pk, "helpful": "yes"})
    assert response.status_code == 302 and response["Location"] == f"{article.url}#feedback"
    vote = PageFeedback.objects.get()
    assert (vote.page_id, vote.helpful, vote.language) == (article.pk, True, "en")

    html = client.get(article.url).content.decode()
    assert visible("thanks", html) and not visible("ask", html)


@pytest.mark.django_db
def test_no_asks_why_and_keeps_the_reason_and_comment(article, client):
    client.post("/en/feedback/", {"page": article.pk, "helpful": "no"})
    html = client.get(article.url).content.decode()
    assert visible("reason", html) and not visible("ask", html)
    vote = PageFeedback.objects.get()
    assert f'name="feedback" value="{vote.pk}"' in html

    response = client.post(
        "/en/feedback/reason/",
        {
            "feedback": vote.pk,
            "reason": "outdated",
            "comment": "The menu is called Billing now.\r\nThanks",
        },
    )
    assert response.status_code == 302
    vote.refresh_from_db()
    assert (vote.helpful, vote.reason, vote.comment) == (
        False,
        "outdated",
        "The menu is called Billing now.\nThanks",
    )
    html = client.get(article.url).content.decode()
    assert visible("thanks", html)
    assert 'href="/en/contact/"' in section(html)


@pytest.mark.django_db
def test_a_second_vote_in_the_same_visit_replaces_the_first(article, client):
    client.post("/en/feedback/", {"page": article.pk, "helpful": "no"})
    client.post("/en/feedback/", {"page": article.pk, "helpful": "yes"})
    assert list(PageFeedback.objects.values_list("helpful", flat=True)) == [True]


@pytest.mark.django_db
def test_a_guide_step_that_did_not_work_is_recorded_with_its_number(tree, client):
    guide = tree.guide(
        [
            ("Open the app", "Tap Payments."),
            ("Add the debit", "Enter the details."),
            ("Confirm", "Tap OK."),
        ]
    )
    html = client.get(guide.url).content.decode()
    assert html.count("This step didn't work") == 3

    response = client.post("/api/feedback/", {"page": guide.pk, "helpful": "no", "step": 2})
    assert response.status_code == 201
    data = response.json()
    assert (data["helpful"], data["step"], data["contact_url"]) == (False, 2, "/en/contact/")
    assert PageFeedback.objects.get().step == 2
    assert "Sorry that step 2 did not work." in client.get(guide.url).content.decode()


@pytest.mark.django_db
def test_the_json_api_takes_the_reason_for_its_own_vote_only(article, client, django_user_model):
    vote = client.post("/api/feedback/", {"page": article.pk, "helpful": "no"}).json()

    stranger = client.__class__()
    refused = stranger.post(
        "/api/feedback/reason/", {"feedback": vote["id"], "reason": "other", "comment": "spam"}
    )
    assert refused.status_code == 400 and "feedback" in refused.json()["fields"]

    accepted = client.post("/api/feedback/reason/", {"feedback": vote["id"], "reason": "unclear"})
    assert accepted.status_code == 200 and accepted.json()["reason"] == "unclear"
    stored = PageFeedback.objects.get()
    assert (stored.reason, stored.comment) == ("unclear", "")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        {},
        {"page": "abc", "helpful": "yes"},
        {"page": "999999", "helpful": "yes"},
        {"page": "-1", "helpful": "no"},
        {"page": "{article}", "helpful": "maybe"},
        {"page": "{article}", "helpful": "no", "step": "1"},  # an article has no steps
        {"page": "{category}", "helpful": "yes"},  # not a help page
        {"page": "{article}", "helpful": "yes", "step": "x"},
    ],
)
def test_bad_votes_are_refused_and_store_nothing(tree, client, data):
    article = tree.article()
    data = {
        k: v.format(article=article.pk, category=tree.category["en"].pk) for k, v in data.items()
    }
    assert client.post("/en/feedback/", data).status_code == 400
    assert client.post("/api/feedback/", data).status_code == 400
    assert not PageFeedback.objects.exists()


@pytest.mark.django_db
def test_unpublished_pages_cannot_be_rated(article, client):
    article.unpublish()
    assert client.post("/api/feedback/", {"page": article.pk, "helpful": "yes"}).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/en/feedback/", "/en/feedback/reason/", "/api/feedback/", "/api/feedback/reason/"]
)
def test_feedback_endpoints_only_take_posts(client, url):
    assert client.get(url).status_code == 405
    assert client.put(url).status_code == 405


@pytest.mark.django_db
def test_a_flood_of_votes_from_one_address_is_stopped(tree, client, monkeypatch):
    monkeypatch.setattr(feedback_module, "RATE_LIMIT", (2, 3600))
    pages = [tree.article(title=f"Article {n}") for n in range(3)]
    statuses = [
        client.post("/api/feedback/", {"page": p.pk, "helpful": "yes"}).status_code for p in pages
    ]
    assert statuses == [201, 201, 429]
    assert client.post("/en/feedback/", {"page": pages[2].pk, "helpful": "yes"}).status_code == 429
    assert PageFeedback.objects.count() == 2


@pytest.fixture
def manager(client, django_user_model):
    user = django_user_model.objects.create_superuser("manager", "m@example.com", "pw")
    client.force_login(user)
    return user


@pytest.mark.django_db
def test_managers_see_helpfulness_per_page_least_helpful_first(tree, client, manager):
    good = tree.article(title="Good article")
    poor = tree.article(title="Poor article")
    for helpful, reason in [(True, ""), (True, ""), (False, "unclear")]:
        PageFeedback.objects.create(
            page_id=good.pk, helpful=helpful, reason=reason, language="en", client="a"
        )
    for reason in ["outdated", "outdated", "not_solved"]:
        PageFeedback.objects.create(
            page_id=poor.pk, helpful=False, reason=reason, language="en", client="b"
        )

    html = client.get("/admin/reports/helpfulness/").content.decode()
    assert html.index("Poor article") < html.index("Good article")
    assert "67%" in html and "0%" in html
    assert "It is out of date: 2" in html and "It didn&#x27;t solve my problem: 1" in html

    listing = client.get(f"/admin/snippets/kb/pagefeedback/?page={poor.pk}").content.decode()
    assert listing.count("It is out of date") >= 2


@pytest.mark.django_db
def test_the_helpfulness_report_needs_permission(client):
    user = get_user_model().objects.create_user("editor", "e@example.com", "pw")
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get("/admin/reports/helpfulness/").status_code in (302, 403)


@pytest.mark.django_db
def test_staff_cannot_invent_feedback_in_the_admin(client, manager):
    assert client.get("/admin/snippets/kb/pagefeedback/add/").status_code in (302, 403, 404)


@pytest.mark.django_db
def test_a_hebrew_reader_gets_the_hebrew_contact_form_with_the_reason_in_hebrew(tree, client):
    page = tree.article(title="איפה החשבונית", summary="בחשבון שלי.", lang="he")
    client.get(page.url)
    vote = client.post("/api/feedback/", {"page": page.pk, "helpful": "no"}).json()
    assert vote["contact_url"].startswith("/he/")
    client.post("/api/feedback/reason/", {"feedback": vote["id"], "reason": "not_solved"})
    tried = client.get(vote["contact_url"]).content.decode()
    assert "זה לא פתר את הבעיה שלי" in tried
    assert "It didn&#x27;t solve my problem" not in tried and "It didn't solve" not in tried


@pytest.mark.django_db
def test_votes_go_with_their_page(tree, client):
    kept, deleted = tree.article(title="Kept"), tree.article(title="Deleted")
    for page in (kept, deleted):
        client.post("/api/feedback/", {"page": page.pk, "helpful": "no"})
    deleted.delete()
    assert list(PageFeedback.objects.values_list("page_id", flat=True)) == [kept.pk]


@pytest.mark.django_db
def test_the_comment_box_stops_typing_where_the_form_stops_accepting(article, client):
    html = client.get(article.url).content.decode()
    assert f'maxlength="{feedback_module.MAX_COMMENT_CHARS}"' in section(html)
    vote = client.post("/api/feedback/", {"page": article.pk, "helpful": "no"}).json()
    too_long = "x" * (feedback_module.MAX_COMMENT_CHARS + 1)
    refused = client.post(
        "/api/feedback/reason/", {"feedback": vote["id"], "reason": "other", "comment": too_long}
    )
    assert refused.status_code == 400 and "comment" in refused.json()["fields"]
