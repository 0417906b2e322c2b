"""Markdown as help centers write it: code, tables, admonitions, keys, anchors, other tools'
macros and links between files, imported without losing or mangling anything, reported file by
file, and exported back in the same dialect."""

import io
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core.management import CommandError, call_command
from wagtail.models import Page

from guides.models import GuidePage
from home.publishing import PublishingBlocked
from kb.models import ArticlePage, FaqPage
from tests.conftest import MEDIA

CORPUS = Path(__file__).resolve().parent.parent / "data" / "zulip-help"

ARTICLE = """---
title: Install the app
language: en
category: billing
summary: Install it from the terminal.
---
# Install the app

{!admin-only.md!}

Press <kbd>Ctrl</kbd> + <kbd>C</kbd> to stop, or run `app --help`. See [Upgrading](#upgrading)
and [nowhere](#no-such-heading).

```bash
sudo apt install app
    echo "indented stays indented"
```

    plain indented code

!!! warn ""
    Back up **first**.

> [!TIP]
> Use the beta.

:::note Good to know
It is free.
:::

| Plan | Price |
|------|-------|
| Free | 0 |

#### Upgrading

1. Enter:

    ```
    app upgrade
    ```

1. Restart.

![A remote badge](https://badge.example/x.png)

![](images/app-home.png)
{: .decorative}
"""

FAQ = """---
title: App questions
type: faq
language: en
category: billing
summary: Short answers about the app.
---
These answers cover version 2.

## How do I check the version?

Run this:

```
app --version
```

| Field | Meaning |
|---|---|
| v | version |
"""

GUIDE = """---
title: Move the app
type: guide
language: en
category: billing
summary: Move it in two steps.
---
## Export

Run the export.

![Export screen](images/app-home.png "The export screen")

| Option | Use |
|---|---|
| --all | everything |

## Import

Run `app import`.
"""


def run(*args):
    out = io.StringIO()
    try:
        call_command("import_markdown", *map(str, args), stdout=out)
    except CommandError as err:
        return out.getvalue(), err
    return out.getvalue(), None


def export(out):
    call_command("export_markdown", str(out), stdout=io.StringIO())
    return {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*.md"))}


@pytest.fixture
def folder(tmp_path, tree):
    root = tmp_path / "docs"
    (root / "images").mkdir(parents=True)
    shutil.copy(MEDIA / "images" / "app-home.png", root / "images" / "app-home.png")
    for name, text in (("install.md", ARTICLE), ("faq.md", FAQ), ("move.md", GUIDE)):
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.mark.django_db
def test_dialects_become_code_callouts_tables_and_anchored_headings(folder, client, tmp_path):
    output, error = run(folder)
    assert error is None, output
    page = ArticlePage.objects.get(title="Install the app")
    body = page.get_latest_revision_as_object().body
    kinds = [b.block_type for b in body]
    assert kinds == [
        "paragraph", "code", "code", "callout", "callout", "callout", "table", "paragraph",
        "missing_image", "figure",
    ]  # fmt: skip
    intro = body[0].value.source
    assert "<kbd>Ctrl</kbd>" in intro and "<code>app --help</code>" in intro
    assert '<a href="#upgrading">Upgrading</a>' in intro and "#no-such-heading" not in intro
    assert body[1].value["language"] == "bash"
    assert body[1].value["code"] == 'sudo apt install app\n    echo "indented stays indented"'
    assert body[2].value["code"] == "plain indented code"
    assert [body[i].value["kind"] for i in (3, 4, 5)] == ["warning", "tip", "note"]
    assert "<b>Good to know</b>" in body[5].value["text"].source
    assert body[6].value["data"] == [["Plan", "Price"], ["Free", "0"]]
    listing = body[7].value.source
    assert "<h4>Upgrading</h4>" in listing and "<code>app upgrade</code>" in listing
    assert body[8].value["source"] == "https://badge.example/x.png"
    assert body[9].value["image"].decorative

    # Each file's report names what needs the editor, with the line for other tools' syntax.
    section = output[output.index("install.md") :].split("faq.md")[0]
    assert "line 9: {!admin-only.md!}" in section
    assert "'#no-such-heading' leads nowhere" in section
    assert "web address" in section and "placeholder" in section
    assert "cannot be published yet" in section and "missing" in section

    # The placeholder keeps the page from going live until the image is chosen.
    with pytest.raises(PublishingBlocked):
        page.get_latest_revision().publish()
    latest = page.get_latest_revision_as_object()
    latest.body = [(b.block_type, b.value) for b in latest.body if b.block_type != "missing_image"]
    latest.save_revision().publish()

    html = client.get(page.url).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("h4", id="upgrading") is not None
    pre = soup.select_one(".code-block pre code.language-bash")
    assert pre is not None and "sudo apt install app" in pre.get_text()
    button = soup.select_one(".code-block button[data-copy-code]")
    assert button is not None and button.get("type") == "button"
    assert soup.find("kbd") is not None
    text = soup.find("main").get_text()
    for raw in ("```", "!!!", ":::", "[!TIP]", "**"):
        assert raw not in text, raw


@pytest.mark.django_db
def test_faq_intro_and_code_and_tables_in_answers_and_steps(folder):
    output, error = run(folder)
    assert error is None, output
    faq = FaqPage.objects.get(title="App questions").get_latest_revision_as_object()
    assert "version 2" in faq.intro
    item = faq.faqs[0].value
    assert "Run this" in item["answer"].source
    assert [b.block_type for b in item["details"]] == ["code", "table"]
    assert "app --version" in item.answer_text()  # what search reads of the answer
    guide = GuidePage.objects.get(title="Move the app").get_latest_revision_as_object()
    step = guide.steps[0].value
    assert step["image"] is not None
    assert [b.block_type for b in step["details"]] == ["table"]
    assert "step images show no caption" in output and "The export screen" in output
    assert "<code>app import</code>" in guide.steps[1].value["text"].source


@pytest.mark.django_db
def test_export_writes_the_same_dialect_and_round_trips_byte_for_byte(folder, tmp_path):
    run(folder)
    first = export(tmp_path / "one")
    article = next(v.decode() for k, v in first.items() if k.name == "install-the-app.md")
    for piece in ("```bash\n", "<kbd>Ctrl</kbd>", "`app --help`", "#### Upgrading", "| Plan |"):
        assert piece in article, piece
    assert "![A remote badge](https://badge.example/x.png)" in article
    faq = next(v.decode() for k, v in first.items() if k.name == "app-questions.md")
    assert faq.index("version 2") < faq.index("## How do I check") < faq.index("```\napp")

    output, error = run(tmp_path / "one")
    assert error is None, output
    assert "0 created, 0 updated, 3 unchanged" in output
    assert export(tmp_path / "two") == first


@pytest.mark.django_db
def test_links_between_files_and_old_site_paths_reach_the_imported_pages(tree, tmp_path):
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    head = "---\ntitle: {t}\nlanguage: en\ncategory: billing\nsummary: S.\n---\n"
    (docs / "a.md").write_text(
        head.format(t="Alpha")
        + "See [b](sub/b.md), [b again](/help/b), [gone](/help/gone) and [c](c.md).\n"
    )
    (docs / "sub" / "b.md").write_text(head.format(t="Beta") + "Back to [a](../a.md).\n")
    output, error = run(docs, "--link-prefix", "/help/")
    assert error is None, output
    alpha = ArticlePage.objects.get(title="Alpha").get_latest_revision_as_object()
    beta = ArticlePage.objects.get(title="Beta")
    source = alpha.body[0].value.source
    assert source.count(f'<a id="{beta.pk}" linktype="page">') == 2
    assert "'/help/gone' leads nowhere" in output and "'c.md' leads nowhere" in output
    assert "gone" in source and "/help/gone" not in source
    beta_source = beta.get_latest_revision_as_object().body[0].value.source
    assert f'id="{ArticlePage.objects.get(title="Alpha").pk}" linktype="page"' in beta_source
    assert "2 created" in output

    output, _ = run(docs, "--link-prefix", "/help/", "--old-site", "https://old.example")
    source = ArticlePage.objects.get(title="Alpha").get_latest_revision_as_object().body[0]
    assert 'href="https://old.example/help/gone"' in source.value.source


@pytest.mark.django_db
def test_other_tools_syntax_is_reported_or_stripped(tree, tmp_path):
    (tmp_path / "m.md").write_text(
        "---\ntitle: Macros\nlanguage: en\ncategory: billing\nsummary: S.\n---\n"
        "{% include 'x.html' %}\n\nText {{ site.name }} here, `{code}` stays.\n\n{start_tabs}\n"
    )
    output, _ = run(tmp_path)
    assert "show as text" in output and "line 7: {% include 'x.html' %}" in output
    assert "line 9: {{ site.name }}" in output and "line 11: {start_tabs}" in output
    assert "{code}" not in output
    output, _ = run(tmp_path, "--strip-unknown")
    page = ArticlePage.objects.get(title="Macros").get_latest_revision_as_object()
    source = page.body[0].value.source
    assert "{%" not in source and "{{" not in source and "start_tabs" not in source
    assert "<code>{code}</code>" in source


@pytest.mark.django_db
def test_pages_in_the_inbox_cannot_be_published_and_the_report_says_so(tree, tmp_path):
    (tmp_path / "x.md").write_text("---\ntitle: Unfiled\nlanguage: en\n---\nText.\n")
    output, _ = run(tmp_path)
    assert "no short answer" not in output  # the check's own words are used
    assert "Write a short answer" in output and "Inbox" in output
    page = ArticlePage.objects.get(title="Unfiled")
    latest = page.get_latest_revision_as_object()
    latest.summary = "Now with a short answer."
    with pytest.raises(PublishingBlocked, match="not published"):
        latest.save_revision().publish()
    page.move(tree.category["en"], pos="last-child")
    Page.objects.get(pk=page.pk).specific.get_latest_revision().publish()
    assert ArticlePage.objects.get(pk=page.pk).live


def code_fences(text):
    """The first line of each fenced code block of a Markdown file."""
    firsts, lines, index = [], text.split("\n"), 0
    while index < len(lines):
        match = re.match(r"^\s*(`{3,}|~{3,})(.*)$", lines[index])
        if match and not (match.group(1)[0] == "`" and "`" in match.group(2)):
            fence = match.group(1)
            end = index + 1
            while end < len(lines) and not re.match(
                rf"^\s*{re.escape(fence[0])}{{{len(fence)},}}\s*$", lines[end]
            ):
                end += 1
            body = [line.strip() for line in lines[index + 1 : end] if line.strip()]
            if body:
                firsts.append(body[0])
            index = end + 1
        else:
            index += 1
    return firsts


@pytest.mark.django_db
def test_a_real_help_center_imports_publishes_and_reads_right(tree, client, tmp_path):
    """Twenty articles of Zulip's user help (Apache-2.0), bodies as their authors wrote them."""
    sources = sorted(CORPUS.glob("*.md"))
    output, error = run(
        CORPUS, "--strip-unknown", "--link-prefix", "/help/", "--old-site", "https://zulip.com"
    )
    assert error is None, output
    pages = ArticlePage.objects.filter(slug__in=[p.stem for p in sources])
    assert pages.count() >= 0.95 * len(sources)

    # An editor files them in a published category, then publishes.
    published = 0
    for page in pages:
        page.move(tree.category["en"], pos="last-child")
        page = Page.objects.get(pk=page.pk).specific
        page.get_latest_revision().publish()
        published += 1
    assert published >= 0.95 * len(sources)

    internal = dead = 0
    for path in sources:
        text = path.read_text()
        internal += len(re.findall(r"\]\((?![a-z]+:)[^)]+\)", text))
        html = client.get(ArticlePage.objects.get(slug=path.stem).url).content.decode()
        main = BeautifulSoup(html, "html.parser").find("main")
        code = " ".join(c.get_text() for c in main.find_all("code"))
        for first in code_fences(text):
            assert first.replace("    ", " ") in code.replace("    ", " "), (path.name, first)
        for element in main.find_all("code"):
            element.decompose()
        shown = main.get_text()
        for raw in ("```", "~~~", "!!!", "{!", "{start_tabs}", "{tab|", "**", "](/", "](#"):
            assert raw not in shown, (path.name, raw)
    dead = output.count("leads nowhere")
    assert dead <= 0.05 * internal, (dead, internal)

    first = export(tmp_path / "one")
    output, error = run(tmp_path / "one")
    assert error is None and f"{len(sources)} unchanged" in output, output
    assert export(tmp_path / "two") == first


@pytest.mark.django_db
def test_front_matter_hints_and_a_named_translation_key_comes_back(tree, tmp_path):
    (tmp_path / "colon.md").write_text("---\ntitle: Wi-Fi: connect\nlanguage: en\n---\nText.\n")
    (tmp_path / "named.md").write_text(
        "---\ntitle: Named\nlanguage: en\ncategory: billing\nsummary: S.\n"
        "translation_key: wifi-basics\n---\nText.\n"
    )
    output, _ = run(tmp_path)
    assert "must be in quotes" in output
    call_command("export_markdown", str(tmp_path / "out"), stdout=io.StringIO())
    exported = next((tmp_path / "out").rglob("named.md")).read_text()
    assert "translation_key: wifi-basics\n" in exported


@pytest.mark.django_db
def test_imported_pages_open_in_the_page_editor(folder, admin_client):
    run(folder)
    for model, title in (
        (ArticlePage, "Install the app"),
        (FaqPage, "App questions"),
        (GuidePage, "Move the app"),
    ):
        page = model.objects.get(title=title)
        response = admin_client.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200, title


LIST_WITH_TABLE = """---
title: Choose a plan
language: en
category: billing
summary: Compare the plans, then choose.
---
1. Open **Settings**.
2. Compare the plans:

    | Plan | Price |
    |------|-------|
    | Free | 0     |
    | Pro  | 9     |

3. Choose one.

- A bullet with a table:

    | Key | Does |
    |-----|------|
    | F1  | Help |
"""


@pytest.mark.django_db
def test_a_table_inside_a_list_item_stays_a_table(tree, tmp_path, client):
    (tmp_path / "plans.md").write_text(LIST_WITH_TABLE, encoding="utf-8")
    output, error = run(tmp_path)
    assert error is None, output
    page = ArticlePage.objects.get(title="Choose a plan")
    body = page.get_latest_revision_as_object().body
    assert [b.block_type for b in body] == ["paragraph", "table", "paragraph", "table"]
    assert body[1].value["data"] == [["Plan", "Price"], ["Free", "0"], ["Pro", "9"]]
    assert body[3].value["data"] == [["Key", "Does"], ["F1", "Help"]]
    first, rest = body[0].value.source, body[2].value.source
    assert "<li>Open <b>Settings</b>.</li><li>Compare the plans:</li>" in first
    assert "Free" not in first and "Choose one." in rest
    assert "numbers start again at 1" in output

    page.get_latest_revision().publish()
    html = client.get(page.url).content.decode()
    assert html.count("<table") == 2
