"""What gets embedded: a search document cut into passages of a few sentences, each with its
document's title in front so a passage keeps its context. An FAQ answer is already its own
document, so each answer is embedded on its own."""

import re

from .. import analysis

PASSAGE_WORDS = 120  # e5-small reads 512 tokens at most; shorter passages are also sharper
MAX_PASSAGES = 40  # a very long page is cut: its first sections say what it is about
_SENTENCE = re.compile(r"(?<=[.!?:;])\s+|\n+")


def document_text(doc) -> str:
    return "\n".join(t for t in (doc.summary, doc.body, doc.steps, doc.transcript) if t.strip())


def split(title: str, text: str) -> list[str]:
    """Passages of about PASSAGE_WORDS words, cut between sentences where possible."""
    title = " ".join(analysis.clean(title).split())
    sentences = [s.split() for s in _SENTENCE.split(analysis.clean(text)) if s.strip()]
    chunks, current = [], []
    for words in sentences:
        while len(words) > PASSAGE_WORDS:  # a "sentence" longer than a passage (a list)
            if current:
                chunks.append(current)
                current = []
            chunks.append(words[:PASSAGE_WORDS])
            words = words[PASSAGE_WORDS:]
        if current and len(current) + len(words) > PASSAGE_WORDS:
            chunks.append(current)
            current = []
        current = current + words
    if current or not chunks:
        chunks.append(current)
    return [f"{title}. {' '.join(c)}".strip(" .") for c in chunks[:MAX_PASSAGES]]


def passages_of(doc) -> list[str]:
    return split(doc.title, document_text(doc))
