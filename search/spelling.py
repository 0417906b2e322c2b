"""Typo correction from the index's own vocabulary, and wrong-keyboard-layout repair.

Engine-neutral: everything works from ``engine.vocabulary(locale)`` ({term: doc_freq}).
Candidates come from a symmetric-delete index (SymSpell's idea): a vocabulary term is
filed under itself and each string one deletion away from its first letters; a typed word
looks itself up with up to two deletions. That finds terms one or two edits away with a
few dozen dictionary lookups. The index is built once per vocabulary object: engines hand
out a new dictionary when the index changes, so a stale one is never used.
"""

import threading
from collections import OrderedDict

from rapidfuzz.distance import OSA

from . import analysis

PREFIX = 7  # only a term's first letters are filed; typos further on are checked exactly
MIN_WORD = 4  # shorter words are too ambiguous to correct
MAX_WORD = 30
MAX_CANDIDATES = 400

# The standard Israeli layout (SI-1452): English key -> Hebrew letter on the same key.
_EN_TO_HE = dict(
    zip(
        "qwertyuiopasdfghjkl;'zxcvbnm,./",
        "/'קראטוןםפשדגכעיחלךף,זסבהנמצתץ.",
        strict=True,
    )
)
_HE_TO_EN = {he: en for en, he in _EN_TO_HE.items() if "\u05d0" <= he <= "\u05ea"}
_EN_VOWELS = set("aeiouy")
_HE_FINALS = set("ךםןףץ")


def convert_layout(text, vocabulary: dict | None = None) -> str | None:
    """``text`` as if typed on the other layout (Hebrew <-> English), or None.

    With a vocabulary, the conversion is returned only when the index knows more of its
    words than of the text's: pass one where you can. Without one, only text that cannot
    be what was meant is converted: Latin words with , ; ' inside or no vowel that turn
    into well-formed Hebrew, or Hebrew with final letters out of place.
    """
    text = analysis.clean(text)[: analysis.MAX_QUERY_CHARS]
    hebrew = any("\u05d0" <= c <= "\u05ea" for c in text)
    latin = any("a" <= c <= "z" for c in text.lower())
    if hebrew == latin:
        return None
    if latin:
        converted = "".join(_EN_TO_HE.get(c, c) for c in text.lower())
    else:
        converted = "".join(_HE_TO_EN.get(c, c) for c in text)
    if converted == text or not converted.strip():
        return None
    if vocabulary is not None:
        before, after = known_share(text, vocabulary), known_share(converted, vocabulary)
        return converted if after > before and after >= 0.5 else None
    return converted if _looks_mistyped(text, latin) else None


def swap_layout(text) -> str | None:
    """``text`` as typed on the other layout, unconditionally (the caller checks it finds
    anything), or None when it has no letters of one layout only."""
    text = analysis.clean(text)[: analysis.MAX_QUERY_CHARS]
    hebrew = any("\u05d0" <= c <= "\u05ea" for c in text)
    latin = any("a" <= c <= "z" for c in text.lower())
    if hebrew == latin:
        return None
    table = _EN_TO_HE if latin else _HE_TO_EN
    converted = "".join(table.get(c, c) for c in (text.lower() if latin else text))
    return converted if converted.strip() and converted != text else None


def _looks_mistyped(text: str, latin: bool) -> bool:
    """Whether text could not have been meant as typed (used only without a vocabulary)."""
    if not latin:
        return not _hebrew_shaped(text)
    stripped = text.lower().rstrip(". ")
    words = stripped.split()
    odd_punctuation = any(c in ",;'" for w in words for c in w[:-1]) or stripped[-1:] in ",;"
    no_vowel = any(len(w) >= 3 and w.isalpha() and not _EN_VOWELS & set(w) for w in words)
    converted = "".join(_EN_TO_HE.get(c, c) for c in stripped)
    return (odd_punctuation or no_vowel) and _hebrew_shaped(converted)


def _hebrew_shaped(text: str) -> bool:
    """Final letters (ך ם ן ף ץ) only at the ends of words, their plain forms never there."""
    for word in text.split():
        letters = "".join(c for c in word if "\u05d0" <= c <= "\u05ea")
        if _HE_FINALS & set(letters[:-1]) or (len(letters) > 1 and letters[-1] in "כמנפצ"):
            return False
    return True


def known_share(text: str, vocabulary: dict) -> float:
    """The share of the text's words (numbers aside) the vocabulary knows."""
    words = [t for t in analysis.tokenize(text) if not t.surface.isdigit()]
    if not words:
        return 0.0
    index = _index_for(vocabulary)
    return sum(index.known(t) for t in words) / len(words)


def correct(
    text, vocabulary: dict, locale: str | None = None, protected: frozenset = frozenset()
) -> str | None:
    """``text`` respelt from the vocabulary, or None if no word needed it.

    Words the index knows (as written, as a stem, or without Hebrew prefixes), words in
    ``protected`` (the variant list), short words, numbers and stopwords are left alone.
    Text typed on the wrong keyboard layout is converted instead when that makes it known.
    The result is made of words only (the customer's own and the index's respellings):
    nothing typed between words (punctuation, markup) comes back in it.
    """
    text = analysis.clean(text)[: analysis.MAX_QUERY_CHARS]
    if not vocabulary or not text.strip():
        return None
    index = _index_for(vocabulary)
    tokens = analysis.tokenize(text)
    unknown = [t for t in tokens if not (index.known(t) or _protected(t, protected))]
    if not unknown:
        return None
    layout = convert_layout(text, vocabulary)
    if layout and len(unknown) * 2 >= len(tokens):
        return analysis.normalize(layout) or None
    words, changed, spans = [], False, set()
    for token in tokens:
        if (token.start, token.end) in spans:
            continue  # a word NFKC split in two is one word of the query
        spans.add((token.start, token.end))
        fix = index.best(token.surface) if token in unknown else None
        words.append(fix or text[token.start : token.end])
        changed = changed or bool(fix)
    return " ".join(words) if changed else None


def _protected(token: analysis.Token, protected: frozenset) -> bool:
    return token.surface in protected or any(form in protected for form in token.forms)


def is_known(token: analysis.Token, vocabulary: dict, strict: bool = False) -> bool:
    """Whether the index knows the word (as written, as a stem or without its prefixes).
    ``strict`` counts short words too, rather than leaving them alone as known."""
    index = _index_for(vocabulary)
    if strict and not token.stopword and len(token.surface) < MIN_WORD:
        return token.surface in vocabulary or any(f in vocabulary for f in token.forms)
    return index.known(token)


class _Index:
    """Built in parts, each when first needed: every search asks whether its words are known
    (stems), only a search that finds little asks for a respelling (deletes), and a busy
    site gets a new vocabulary whenever pages are published."""

    def __init__(self, vocabulary: dict):
        self.vocabulary = vocabulary
        self._stems: set[str] | None = None
        self._deletes: dict[str, list[str]] | None = None

    @property
    def stems(self) -> set[str]:
        if self._stems is None:
            latin = (t for t in self.vocabulary if analysis.is_latin(t))
            self._stems = {analysis.english_stem(t) for t in latin}
        return self._stems

    @property
    def deletes(self) -> dict[str, list[str]]:
        if self._deletes is None:
            deletes: dict[str, list[str]] = {}
            for term in self.vocabulary:
                if MIN_WORD - 1 <= len(term) <= MAX_WORD and not term.isdigit():
                    for key in _deletes(term[:PREFIX], 1):
                        deletes.setdefault(key, []).append(term)
            self._deletes = deletes
        return self._deletes

    def known(self, token: analysis.Token) -> bool:
        word = token.surface
        if (
            len(word) < MIN_WORD
            or len(word) > MAX_WORD
            or token.stopword
            or any(c.isdigit() for c in word)
            or word in self.vocabulary
        ):
            return True
        if analysis.is_latin(word):
            return token.forms[0] in self.stems
        return any(form in self.vocabulary for form in token.forms[1:])

    def best(self, word: str) -> str | None:
        """The likeliest vocabulary term for an unknown word, keeping Hebrew prefixes."""
        options = [("", word)]
        if analysis.is_hebrew(word):
            options += [(word[: len(word) - len(rest)], rest) for rest in
                        analysis.hebrew_prefix_splits(word) if len(rest) >= MIN_WORD]  # fmt: skip
        best = None
        for prefix, rest in options:
            found = self._lookup(rest)
            if found and (best is None or found[0] < best[0]):
                best = (found[0], prefix + found[1])
        return best[1] if best else None

    def _lookup(self, word: str) -> tuple[tuple, str] | None:
        limit = 1 if len(word) <= 5 else 2
        seen, best = set(), None
        for key in _deletes(word[:PREFIX], 2):
            for term in self.deletes.get(key, ()):
                if term in seen:
                    continue
                seen.add(term)
                if len(seen) > MAX_CANDIDATES:
                    return best
                if not _same_family(word, term):
                    continue
                distance = edit_distance(word, term, limit)
                if distance <= limit:
                    rank = (distance, -self.vocabulary.get(term, 0), abs(len(term) - len(word)))
                    if best is None or rank < best[0]:
                        best = (rank, term)
        return best


def _same_family(word: str, term: str) -> bool:
    """Whether a respelling stays with the word typed: typos rarely hit the first letter, and
    a new first letter makes another word ("mark" is not "dark", "מודם" is not "קודם").
    Swapped first letters are a typo, not a new word."""
    return word[0] == term[0] or (len(word) > 1 and word[:2] == term[1::-1][:2])


def _deletes(word: str, depth: int) -> set[str]:
    """``word`` and every string made by deleting up to ``depth`` of its letters."""
    out, frontier = {word}, {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))} - out
        out |= frontier
    return out


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a swap of neighbours is one edit), or limit+1."""
    return OSA.distance(a, b, score_cutoff=limit)


_cache: OrderedDict[int, tuple[dict, _Index]] = OrderedDict()
_lock = threading.Lock()
_CACHE_SIZE = 4  # vocabularies of a few locales, current versions only


def _index_for(vocabulary: dict) -> _Index:
    """The index of this very dictionary object (identity, not equality: cheap to check)."""
    with _lock:
        cached = _cache.get(id(vocabulary))
        if cached and cached[0] is vocabulary:
            _cache.move_to_end(id(vocabulary))
            return cached[1]
    index = _Index(vocabulary)
    with _lock:
        _cache[id(vocabulary)] = (vocabulary, index)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return index
