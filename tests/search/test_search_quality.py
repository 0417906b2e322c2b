"""Search that understands everyday wording: the shipped variant list, spelling correction
that keeps known words, Hebrew prefixes stripped only down to the root, the way to a human,
the relevance floor for the reports, and typo-tolerant suggestions."""

import pytest

from search import analysis, querylog, service, spelling, variants
from search.models import SearchQueryLog, SynonymGroup


@pytest.fixture
def content(tree):
    tree.article(title="Reset your password", summary="Choose a new password from the e-mail.")
    tree.article(title="Restart your router", summary="Unplug the router for ten seconds.")
    tree.faq(
        [
            ("What warranty do products have?", "Two years on everything we sell."),
            ("How do I change my Wi-Fi password?", "In the app, open My Wi-Fi."),
        ],
        title="Internet questions",
    )
    tree.article(title="איפוס סיסמה", summary="בוחרים סיסמה חדשה מהקישור במייל.", lang="he")
    tree.article(title="הפעלה מחדש של הנתב", summary="מנתקים את הנתב מהחשמל.", lang="he")
    tree.article(title="ה-Wi-Fi איטי", summary="מקרבים את המכשיר לנתב.", lang="he")
    tree.article(title="ביטוח נסיעות", summary="ביטוח לפני הטיסה לחו״ל.", lang="he")
    return tree


def titles(outcome):
    return [h.document.title for h in outcome.results.hits]


# -- everyday wording ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, expected",
    [
        ("סיסמא", "איפוס סיסמה"),
        ("הסיסמא", "איפוס סיסמה"),
        ("פאסוורד", "איפוס סיסמה"),
        ("wifi", "ה-Wi-Fi איטי"),
        ("הוויפי", "ה-Wi-Fi איטי"),
        ("ויי פיי", "ה-Wi-Fi איטי"),
        ("ראוטר", "הפעלה מחדש של הנתב"),
        ("המודם", "הפעלה מחדש של הנתב"),
    ],
)
def test_hebrew_spellings_loanwords_and_transliterations_find_the_page(content, query, expected):
    outcome = service.search(query, locale="he")
    assert titles(outcome)[:1] == [expected]
    assert outcome.correction is None  # a word the variant list knows is never "corrected"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, expected",
    [("pw reset", "Reset your password"), ("reboot modem", "Restart your router")],
)
def test_english_abbreviations_and_loanwords_find_the_page(content, query, expected):
    assert titles(service.search(query, locale="en"))[:1] == [expected]


def test_the_default_list_is_shipped_as_data_per_language():
    assert "he" in variants.languages() and "en" in variants.languages()
    hebrew = variants.default_synonyms("he")
    assert "סיסמה" in hebrew["סיסמא"] and "סיסמה" in hebrew["הסיסמא"]
    assert "wi fi" in variants.default_synonyms("en")["wifi"]


def test_a_hebrew_phrase_of_the_list_is_found_made_definite():
    hebrew = variants.default_synonyms("he")
    # "רשת אלחוטית" as a customer writes it with "the" and "in": both words take ה.
    assert "wifi" in hebrew["ברשת האלחוטית"] and "wifi" in hebrew["הרשת האלחוטית"]
    assert "מעבר דירה" in hebrew["מעבר הדירה"]


@pytest.mark.django_db
def test_staff_synonyms_extend_the_default_list(content):
    SynonymGroup.objects.create(locale=content.locales["he"], terms="ריסטרט, הפעלה מחדש, ריבוט")
    assert titles(service.search("ריבוט", locale="he"))[:1] == ["הפעלה מחדש של הנתב"]
    # and the shipped groups still apply
    assert titles(service.search("ראוטר", locale="he"))[:1] == ["הפעלה מחדש של הנתב"]


# -- spelling correction -------------------------------------------------------------------


def test_correction_never_replaces_a_known_word_nor_changes_word_family():
    vocabulary = {"קודם": 5, "הקודם": 3, "סיסמת": 2, "dark": 4, "password": 9}
    protected = variants.known_words("he")
    assert spelling.correct("מודם", vocabulary, "he", protected) is None
    assert spelling.correct("סיסמא", vocabulary, "he", protected) is None
    # "mark" is one letter from "dark", but another word: no correction
    assert spelling.correct("mark", vocabulary, "en") is None
    assert spelling.correct("pasword", vocabulary, "en") == "password"


def test_correction_keeps_none_of_the_typed_punctuation():
    vocabulary = {"password": 9, "reset": 4}
    assert spelling.correct("</pasword>", vocabulary, "en") == "password"
    assert spelling.correct("Reset, pasword!!", vocabulary, "en") == "Reset password"


@pytest.mark.django_db
def test_showing_results_for_is_made_of_index_words(client, content):
    response = client.get("/en/search/", {"q": "</pasword>"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Showing results for" in html and "<b>password</b>" in html
    assert "&lt;/password&gt;" not in html


# -- Hebrew prefixes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "word, base",
    [
        ("ביטוח", "ביטוח"),
        ("וביטוח", "ביטוח"),
        ("מודם", "מודם"),
        ("המודם", "מודם"),
        ("והטופס", "טופס"),
        ("לטופס", "טופס"),
        ("הבית", "בית"),
    ],
)
def test_hebrew_prefixes_are_stripped_down_to_the_root_letters(word, base):
    assert analysis.base_form(word) == base


def test_a_word_the_index_knows_is_not_cut_into_one_it_does_not():
    assert analysis.base_form("שכחתי", known={"שכחתי", "טופס"}) == "שכחתי"
    assert "ודם" not in analysis.word_forms("מודם")


@pytest.mark.django_db
def test_report_group_keys_keep_hebrew_words_whole(content):
    assert querylog.group_key("ביטוח") == "ביטוח"
    assert querylog.group_key("המודם") == querylog.group_key("מודם") == "מודם"


# -- the way to a human --------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, lang",
    [
        ("talk to a human", "en"),
        ("call support", "en"),
        ("speak to a representative", "en"),
        ("נציג", "he"),
        ("אני רוצה לדבר עם נציג", "he"),
        ("שירות לקוחות", "he"),
        ("i want to talk to someone", "en"),
        ("file a complaint", "en"),
        ("אני רוצה לדבר עם מישהו", "he"),
        ("מענה אנושי", "he"),
        ("whats your support email", "en"),
        ("איך משיגים אתכם", "he"),
    ],
)
def test_asking_for_a_person_leads_to_the_contact_page(client, content, query, lang):
    data = client.get("/api/search/", {"q": query, "lang": lang}).json()
    assert data["action"]["kind"] == "contact"
    assert data["action"]["url"].endswith(f"/{lang}/contact/")
    html = client.get(f"/{lang}/search/", {"q": query}).content.decode()
    assert f'href="/{lang}/contact/"' in html.split('class="result-count"')[0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query, lang",
    [
        ("reset password", "en"),
        ("update my phone number", "en"),
        ("contact details", "en"),
        ("someone stole my card", "en"),
        ("can someone else collect my parcel", "en"),
        ("מישהו השתמש בכרטיס שלי", "he"),
        ("מישהו אחר יכול לאסוף את החבילה", "he"),
    ],
)
def test_ordinary_questions_get_no_contact_action(client, content, query, lang):
    assert client.get("/api/search/", {"q": query, "lang": lang}).json()["action"] is None


# -- relevance floor -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_search_matching_only_incidental_words_counts_as_failed(client, content):
    data = client.get("/api/search/", {"q": "flux capacitor warranty", "lang": "en"}).json()
    assert data["total"] >= 1 and data["weak"] is True  # shown, but it is not an answer
    log = SearchQueryLog.objects.get(key=data["log_id"])
    assert log.result_count == 0  # the failed-search report lists it

    good = client.get("/api/search/", {"q": "warranty products", "lang": "en"}).json()
    assert good["weak"] is False
    assert SearchQueryLog.objects.get(key=good["log_id"]).result_count >= 1


# -- suggestions ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed, lang, expected",
    [
        ("pasword", "en", "Reset your password"),
        ("restrat", "en", "Restart your router"),
        ("thpux", "he", "איפוס סיסמה"),  # "איפוס" typed on the English layout
        ("רקדקא", "en", "Reset your password"),  # "reset" typed on the Hebrew layout
    ],
)
def test_suggestions_tolerate_typos_and_the_wrong_keyboard_layout(
    client, content, typed, lang, expected
):
    data = client.get("/api/search/suggest/", {"q": typed, "lang": lang}).json()
    assert expected in [s["title"] for s in data["suggestions"]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "typed, lang, expected",
    [
        ("סיסמא", "he", "איפוס סיסמה"),  # the common spelling; titles hold the standard one
        ("פאסוורד", "he", "איפוס סיסמה"),
        ("ראוטר", "he", "הפעלה מחדש של הנתב"),
        ("ויפי", "he", "ה-Wi-Fi איטי"),  # tried as "wifi" (nothing), then as "wi fi"
        ("ויי פיי א", "he", "ה-Wi-Fi איטי"),  # a pair of words, the next one begun
        ("wifi pass", "en", "How do I change my Wi-Fi password?"),
        ("reboot", "en", "Restart your router"),
    ],
)
def test_suggestions_follow_the_variant_list(client, content, typed, lang, expected):
    data = client.get("/api/search/suggest/", {"q": typed, "lang": lang}).json()
    assert expected in [s["title"] for s in data["suggestions"]]


@pytest.mark.django_db
def test_suggestions_follow_the_staff_synonyms(client, content):
    def suggested(typed):
        data = client.get("/api/search/suggest/", {"q": typed, "lang": "he"}).json()
        return [s["title"] for s in data["suggestions"]]

    assert suggested("ריבוט") == []
    SynonymGroup.objects.create(locale=content.locales["he"], terms="ריסטרט, הפעלה מחדש, ריבוט")
    assert suggested("ריבוט")[:1] == ["הפעלה מחדש של הנתב"]


@pytest.mark.django_db
def test_a_question_in_known_words_is_not_tried_on_the_other_layout(content, monkeypatch):
    swapped = []
    swap = spelling.swap_layout
    monkeypatch.setattr(spelling, "swap_layout", lambda text: swapped.append(text) or swap(text))
    # Words the index knows (from summaries), in no title: not mistyped keys.
    assert service.suggest("unplug seconds zzq", "en") == []
    assert swapped == []
    # Nothing known typed: maybe the wrong layout, tried.
    assert service.suggest("רקדקא", "en")
    assert swapped == ["רקדקא"]


@pytest.mark.django_db
def test_staff_see_the_shipped_wordings_in_the_admin(admin_client):
    html = admin_client.get("/admin/search-variants/").content.decode()
    assert "סיסמה, סיסמא, פאסוורד" in html and "2fa" in html
    assert "/admin/snippets/search/synonymgroup/add/" in html
    menu = admin_client.get("/admin/").content.decode()
    assert "/admin/search-variants/" in menu
