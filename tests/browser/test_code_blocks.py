"""Code in a help page, as a customer on a phone meets it: shown as typed, copied with one
keyboard-reachable button, keys and headings readable, nothing axe objects to."""

import uuid

import pytest
from playwright.sync_api import expect
from wagtail.models import Page

from kb.models import ArticlePage

from .conftest import LANGUAGES, answering, check_accessibility, demo_url, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

COMMANDS = "sudo apt update\nsudo apt install zulip"


def article_with_code(lang):
    category = demo_page(lang).get_parent().specific
    page = ArticlePage(
        title="Install from the terminal" if lang == "en" else "התקנה מהמסוף",
        summary="Run two commands." if lang == "en" else "מריצים שתי פקודות.",
        body=[
            {
                "type": "paragraph",
                "value": "<h2>Before you start</h2><p>Press <kbd>Ctrl</kbd> + <kbd>Alt</kbd> "
                "+ <kbd>T</kbd> to open a terminal, then run <code>bash</code>.</p>",
                "id": str(uuid.uuid4()),
            },
            {
                "type": "code",
                "value": {"language": "bash", "code": COMMANDS},
                "id": str(uuid.uuid4()),
            },
        ],
        locale=category.locale,
    )
    category.add_child(instance=page)
    page.save_revision().publish(log_action=False)
    return page


def demo_page(lang):
    from demo.loader import translation_key

    return Page.objects.get(
        translation_key=translation_key("billing-faq"), locale__language_code=lang
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_code_is_copied_with_the_keyboard_on_a_phone(browser, live_site, lang):
    demo_url("billing-faq", lang)  # the demo is there
    article = article_with_code(lang)
    context = browser.new_context(
        base_url=live_site.url,
        viewport={"width": 390, "height": 844},
        permissions=["clipboard-read", "clipboard-write"],
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto(article.url)
        code = page.locator(".code-block pre code")
        expect(code).to_have_text(COMMANDS)
        expect(page.locator(".code-block")).to_have_attribute("dir", "ltr")
        expect(page.locator("h2#before-you-start")).to_be_visible()
        expect(page.locator("kbd")).to_have_count(3)

        button = page.locator(".code-block button[data-copy-code]")
        tab_to(page, button)
        page.keyboard.press("Enter")
        expect(button).to_have_text("Copied" if lang == "en" else "הועתק")
        assert page.evaluate("navigator.clipboard.readText()") == COMMANDS
        check_accessibility(page, "code-block")
    finally:
        context.close()
        answering.wait_until_idle()
