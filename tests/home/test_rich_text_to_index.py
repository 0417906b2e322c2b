"""The words of a rich text for the index: what Wagtail's own extraction gives, for any text
the editor can write, at a fraction of the cost."""

from html import escape

from hypothesis import given
from hypothesis import strategies as st
from wagtail.rich_text import get_text_for_indexing

from home.searchable import rich_text_to_index

# Text as the editor keeps it: no control characters (it never stores them).
WORDS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=30)
INLINE = ["b", "i", "code", "kbd"]
BLOCKS = ["p", "h2", "h3", "h4", "blockquote"]


@st.composite
def inline(draw):
    text = escape(draw(WORDS))
    kind = draw(st.sampled_from(["text", "tag", "link", "br"]))
    if kind == "tag":
        tag = draw(st.sampled_from(INLINE))
        return f"<{tag}>{text}</{tag}>"
    if kind == "link":
        page = draw(st.integers(1, 999))
        return f'<a linktype="page" id="{page}">{text}</a>'
    if kind == "br":
        return f"{text}<br/>"
    return text


@st.composite
def editor_html(draw):
    """HTML as the rich-text editor stores it: blocks and lists of escaped text."""
    out = []
    for _ in range(draw(st.integers(0, 5))):
        content = "".join(draw(st.lists(inline(), max_size=4)))
        kind = draw(st.sampled_from(["block", "list", "embed"]))
        if kind == "list":
            tag = draw(st.sampled_from(["ul", "ol"]))
            items = "".join(f"<li>{c}</li>" for c in draw(st.lists(inline(), max_size=3)))
            out.append(f"<{tag}>{items}</{tag}>")
        elif kind == "embed":
            out.append(f'<embed embedtype="image" format="left" id="{draw(st.integers(1, 9))}"/>')
        else:
            tag = draw(st.sampled_from(BLOCKS))
            out.append(f"<{tag}>{content}</{tag}>")
    return "".join(out)


@given(editor_html())
def test_the_same_words_as_wagtails_extraction(html):
    assert rich_text_to_index(html) == get_text_for_indexing(html)


def test_blocks_are_kept_apart_and_entities_read():
    html = "<h2>Restart</h2><p>Unplug &amp; wait<br/>ten seconds</p><ul><li>one</li></ul>"
    assert rich_text_to_index(html) == "Restart Unplug & wait ten seconds one"
    assert rich_text_to_index("") == rich_text_to_index(None) == ""
