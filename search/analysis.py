"""Text analysis shared by every search engine: the same rules for indexing and querying.

Pure Python and engine-neutral. A word becomes a ``Token`` with two kinds of form:

- ``surface``: the word as written, normalised (NFKC, case folded, Hebrew niqqud and
  cantillation removed, geresh and gershayim folded). Matching it is the strong signal.
- ``forms``: what the word may mean stripped of its grammar: the English stem, or the
  Hebrew word with its attached prefixes (ו ה ב כ ל מ ש, stacked) removed. Matching only
  these is a weaker signal, so a document that says exactly what was asked ranks first.
"""

import html
import re
import threading
import unicodedata
from functools import lru_cache
from operator import itemgetter
from typing import NamedTuple

import snowballstemmer

from home.limits import MAX_QUERY_CHARS  # a query longer than this is cut

# Hebrew points and cantillation (category Mn in U+0591-U+05C7). The punctuation in that
# range (maqaf U+05BE, paseq U+05C0, sof pasuq U+05C3, nun hafukha U+05C6) separates words.
_HEBREW_MARKS = "\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7"
_COMBINING = "\u0300-\u036f" + _HEBREW_MARKS
# Apostrophes, geresh (׳), gershayim (״) and the ASCII quotes typed for them, when they
# sit inside a word: רשב"י, רשב''י, צ'יפס, don't.
_JOINERS = "'\u2019`\u05f3\u05f4\""

_RAW_WORD = re.compile(
    rf"[\w{_COMBINING}]+(?:[{_JOINERS}]{{1,2}}[\w{_COMBINING}]+)*(?:(?<=[\u05d0-\u05ea])[\u05f3'])?"
)
_RAW_WORD_PIECES = re.compile(f"({_RAW_WORD.pattern})")
_HAS_MARKS = re.compile(f"[{_COMBINING}]")
_SUBTOKEN = re.compile(r"[^\W_]+")
_STRIP = re.compile(rf"[{_COMBINING}{_JOINERS}\u200c\u200d\u200e\u200f\u00ad]")
_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_HEBREW_LETTER = re.compile(r"[\u05d0-\u05ea]")
_LATIN_LETTER = re.compile(r"[a-z\u00e0-\u024f]")

MIN_STEM_CHARS = 2  # a Hebrew word stripped of its prefixes keeps at least this many letters
MAX_WORD_CHARS = 40  # longer "words" (hashes, base64) are kept whole but never stemmed
# Longer words are cut into pieces of this many UTF-16 units, as Elasticsearch's tokenizer
# (max_token_length) cuts them, so both engines index and look up the same pieces.
MAX_TOKEN_CHARS = 1024

ENGLISH_STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your
    yours yourself yourselves s t don dont doesnt didnt im ive id cant wont isnt arent
    wasnt werent whats thats theres heres hes shes youre theyre lets wouldnt couldnt
    shouldnt havent hasnt hadnt youve weve theyve youll youd hed shed theyd""".split()
)
# Function words and question words; a query made only of these still searches for them.
HEBREW_STOPWORDS = frozenset(
    """של את על עם אל גם או אם כי לא כן זה זו זאת אלה אלו הוא היא הם הן אני אתה את אנחנו
    מה מי מתי איפה היכן איך כיצד למה מדוע כמה האם אשר יש אין היה היתה היו הייתה לו לה
    להם בו בה בהם כל מן עד אך רק כמו ידי עוד עדיין כבר אבל אז""".split()
)
# The same words joined to "and", "that" or "when" ("ועוד", "שלא", "כשאין"), listed rather
# than stripped: a stripped prefix would make content words of the same letters stopwords
# ("ועד" a committee, "שכל" reason, "שיש" marble, "שמה" her name, "העם" the people).
HEBREW_JOINED_STOPWORDS = frozenset(
    """ולא שלא ושלא כשלא וגם שגם ועוד שעוד וכבר שכבר ורק שרק ואם שאם ואין שאין כשאין ויש
    כשיש וזה שזה כשזה וזו וזאת שזאת והוא שהוא כשהוא והיא שהיא כשהיא והם שהם ואני שאני
    כשאני ואתה שאתה ואנחנו שאנחנו וכל ואיך ולמה ומתי ואיפה וכמה ומה ומי ועם ועל שעל ואז
    שאז ואבל""".split()
)
STOPWORDS = ENGLISH_STOPWORDS | HEBREW_STOPWORDS | HEBREW_JOINED_STOPWORDS


class Token(NamedTuple):
    surface: str
    # What the forms column holds for the word: the English stem, or the Hebrew word and
    # each prefix-stripped variant of it (the word itself first); otherwise the word.
    forms: tuple[str, ...]
    start: int = 0  # where the word is in the original text
    end: int = 0

    @property
    def stopword(self) -> bool:
        return self.surface in STOPWORDS


def clean(text) -> str:
    """Text that is safe to store and bind: no NUL, control characters or lone surrogates."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    return _UNSAFE.sub(" ", text)


def normalize_word(word: str) -> str:
    word = unicodedata.normalize("NFKC", word).casefold()
    return _STRIP.sub("", word)


@lru_cache(maxsize=100_000)
def _word_tokens(raw: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(surface, forms) of each token in one raw word; NFKC may split a word (①a)."""
    return tuple(
        (piece, word_forms(piece))
        for sub in _SUBTOKEN.findall(normalize_word(raw))
        for piece in _pieces(sub)
    )


def _pieces(word: str) -> list[str]:
    """``word`` cut as Lucene's CharTokenizer cuts it: a piece ends once it holds
    ``MAX_TOKEN_CHARS`` UTF-16 units or more (a last astral letter may pass the mark)."""
    if len(word) * 2 <= MAX_TOKEN_CHARS:
        return [word]
    out, start, units = [], 0, 0
    for i, char in enumerate(word):
        units += 2 if ord(char) > 0xFFFF else 1
        if units >= MAX_TOKEN_CHARS:
            out.append(word[start : i + 1])
            start, units = i + 1, 0
    if start < len(word):
        out.append(word[start:])
    return out


def normalize(text) -> str:
    """The normalised form of a text: its surface tokens joined by spaces.

    Idempotent; synonym keys, logged queries and the index all use this form.
    """
    return " ".join(t.surface for t in tokenize(text))


def is_hebrew(term: str) -> bool:
    return bool(_HEBREW_LETTER.match(term))


def is_latin(term: str) -> bool:
    return bool(_LATIN_LETTER.search(term)) and not _HEBREW_LETTER.search(term)


# A Snowball stemmer keeps the word it works on in the object: two threads of one server
# process (gunicorn's gthread workers) sharing it corrupt each other's word.
_stemmers = threading.local()


@lru_cache(maxsize=200_000)
def english_stem(word: str) -> str:
    stemmer = getattr(_stemmers, "english", None)
    if stemmer is None:
        stemmer = _stemmers.english = snowballstemmer.stemmer("english")
    return stemmer.stemWord(word)


# Hebrew attaches conjunction, relative and preposition prefixes in a fixed order:
# ו, then ש / כש / מש / לכש, then ב / כ / ל / מ, then the article ה.
_PREFIX = re.compile("^(?=[ובכלמשה])(ו?)(ש|כש|מש|לכש)?([בכלמ])?(ה)?")


def hebrew_prefix_splits(word: str) -> list[str]:
    """The word without each prefix it might carry, longest remainder first (not the word)."""
    match = _PREFIX.match(word)
    if not match:
        return []
    # Each cut along the chain is a reading: "והבית" is ו+ה+בית, but "והבנה" is ו+הבנה.
    # Indexing keeps them all; a query keeps those the index has seen as words.
    out, cut = [], 0
    for group in match.groups():
        if group:
            cut += len(group)
            rest = word[cut:]
            # Full spelling doubles a word's first ו after a prefix (ו+ורד is וורד, ב+וילון
            # is בווילון): a single ו after another prefix letter is the word's own (מודם).
            if rest[:1] == "ו" and rest[1:2] != "ו" and word[cut - 1] != "ו":
                break
            if len(rest) >= MIN_STEM_CHARS:
                out.append(rest)
    return out


ROOT_LETTERS = 3  # a Hebrew word keeps at least its three root letters
# Before a י, a ב כ ל מ ש is usually the word's own first root letter, in the many nouns
# written CiCuC in full spelling (ביטוח, ביטול, מידע, כיסוי, שיחה).
_ROOT_BEFORE_YOD = "בכלמש"


def base_form(surface: str, known=None) -> str:
    """The one base form a word's family shares, for grouping (not for matching): the English
    stem, or the Hebrew word with its prefixes stripped, stopping at the root letters.

    A stripped reading must keep three letters and pass the spelling rules above; given
    ``known`` (the index's words), a word the index knows is only reduced to a word it
    also knows, so "ביטוח", "מודם" and "שכחתי" stay whole.
    """
    if is_latin(surface):
        return english_stem(surface)
    if not is_hebrew(surface) or len(surface) > MAX_WORD_CHARS:
        return surface
    whole_known = known is not None and surface in known
    best = surface
    for rest in hebrew_prefix_splits(surface):
        cut = len(surface) - len(rest)
        if len(rest) < ROOT_LETTERS or (rest[0] == "י" and surface[cut - 1] in _ROOT_BEFORE_YOD):
            break
        if whole_known and rest not in known:
            continue
        best = rest
    return best


@lru_cache(maxsize=200_000)
def word_forms(surface: str) -> tuple[str, ...]:
    """Forms of one normalised word, see ``Token.forms``."""
    if len(surface) > MAX_WORD_CHARS:
        return (surface,)
    if is_hebrew(surface):
        return (surface, *hebrew_prefix_splits(surface))
    if is_latin(surface):
        return (english_stem(surface),)
    return (surface,)


def tokenize(text, limit: int | None = None) -> list[Token]:
    """Tokens of ``text`` with their offsets in it; never raises."""
    text = clean(text)
    if limit is not None:
        text = text[:limit]
    tokens = []
    for match in _RAW_WORD.finditer(text):
        start, end = match.span()
        for surface, forms in _word_tokens(match.group()):
            tokens.append(Token(surface, forms, start, end))
    return tokens


def analyze_query(text) -> list[Token]:
    """Tokens of a query, bounded in length; stopwords are kept (the engine decides)."""
    return tokenize(text, limit=MAX_QUERY_CHARS)


def index_text(text) -> tuple[str, str]:
    """(surface text, forms text) of a field, ready to be indexed by a whitespace tokenizer.

    The tokens of ``tokenize`` without their offsets, which indexing never reads. A rebuild
    analyses millions of words but only tens of thousands of distinct ones, so the text is
    cut at spaces (no word spans one) and each piece's analysis is remembered.
    """
    pieces = clean(text).split()
    analysed = list(map(_ANALYSED_PIECES.get, pieces))
    if None in analysed:
        if len(_ANALYSED_PIECES) > MAX_ANALYSED_PIECES:
            _ANALYSED_PIECES.clear()
        for i, piece in enumerate(pieces):
            if analysed[i] is None:
                analysed[i] = _ANALYSED_PIECES[piece] = _analyse_piece(piece)
    return (
        " ".join(filter(None, map(itemgetter(0), analysed))),
        " ".join(filter(None, map(itemgetter(1), analysed))),
    )


# A plain dict, emptied when full: cheaper to read than an LRU cache, on the millions of
# lookups of a rebuild.
_ANALYSED_PIECES: dict[str, tuple[str, str]] = {}
MAX_ANALYSED_PIECES = 100_000


def _analyse_piece(piece: str) -> tuple[str, str]:
    """(surfaces, forms) of the words in a text's piece between two spaces."""
    surfaces, forms = [], []
    for raw in _RAW_WORD.findall(piece):
        for surface, word_forms_ in _word_tokens(raw):
            surfaces.append(surface)
            forms.extend(word_forms_)
    return " ".join(surfaces), " ".join(forms)


def _needles(term: str) -> list[str]:
    """Lower-case strings that occur in raw text where a word may analyse to ``term``.

    Looking for a few substrings is far cheaper than analysing every word of a long body;
    each place found is then analysed to confirm it.
    """
    if is_latin(term):
        # English stems begin their words, give or take the last letter (happi/happy,
        # use/using), but for the stemmer's dying/lying/tying (die, lie, tie).
        needles = [term[: max(2, len(term) - 1)]]
        return needles + [term[:-2] + "y"] if term.endswith("ie") and len(term) == 3 else needles
    if is_hebrew(term) and len(term) > 1:
        # Acronyms carry gershayim before the last letter (רשב"י), loans a geresh after
        # the first (צ'יפס).
        last = [term[:-1] + q + term[-1] for q in '"\u05f4']
        first = [term[0] + q + term[1:] for q in "'\u05f3"]
        return [term, *last, *first]
    return [term] if term else []


_WORD_CHARS = re.compile(rf"[\w{_COMBINING}{_JOINERS}]")


def _has_joiner(text: str) -> bool:
    return any(joiner in text for joiner in _JOINERS)


def _word_start(text: str, pos: int) -> int:
    start = pos
    while start > 0 and pos - start < MAX_WORD_CHARS and _WORD_CHARS.match(text[start - 1]):
        start -= 1
    while start < pos and not text[start].isalnum():
        start += 1  # a word begins with a letter or digit, not a quote
    return start


class Highlighter:
    """Marks the words of a text that a query matched, on the original (escaped) text.

    A word matches when its analysed surface is a query word, or when its forms share one
    with the query's: the same rule the index uses, applied word by word.
    """

    SNIPPET_CHARS = 220

    def __init__(self, surfaces: set[str], forms: set[str]):
        self.surfaces = set(surfaces)
        self.forms = set(forms)
        self._needles = sorted({n for t in self.surfaces | self.forms for n in _needles(t)})
        self._needles_by_text: dict[tuple[bool, bool], list[str]] = {}
        self._raw_matches: dict[str, bool] = {}  # raw word -> matched, for this query
        self._hit_forms: dict[str, str | None] = {}  # raw word -> form matched, or None

    def matches(self, token: Token) -> bool:
        return token.surface in self.surfaces or not self.forms.isdisjoint(token.forms)

    def _matches_raw(self, raw: str) -> bool:
        """Whether a raw word (one or more tokens: NFKC may split it) matches; a title and
        snippet repeat their words, so each is analysed once per query."""
        found = self._raw_matches.get(raw)
        if found is None:
            found = any(
                surface in self.surfaces or not self.forms.isdisjoint(forms)
                for surface, forms in _word_tokens(raw)
            )
            if len(self._raw_matches) < 10_000:
                self._raw_matches[raw] = found
        return found

    def mark(self, text, start: int = 0, end: int | None = None) -> str:
        """``text[start:end]`` escaped, with <mark> around each matched word."""
        part = clean(text)[start:end]
        if not self._may_match(part):
            return html.escape(part)
        # split() cuts words from what lies between them in C: [between, word, ..., between]
        pieces = _RAW_WORD_PIECES.split(part)
        known = self._raw_matches
        marked = [
            i
            for i in range(1, len(pieces), 2)
            if known.get(pieces[i]) or (pieces[i] not in known and self._matches_raw(pieces[i]))
        ]
        out, done = [], 0
        for i in marked:
            out += [html.escape("".join(pieces[done:i])), "<mark>", html.escape(pieces[i])]
            out.append("</mark>")
            done = i + 1
        out.append(html.escape("".join(pieces[done:])))
        return "".join(out)

    def _may_match(self, text: str) -> bool:
        """False when no word of ``text`` can match (a title found by other words or by
        meaning): none of the query's needles occurs in it, normalised as words are."""
        normal = normalize_word(text)
        return any(needle in normal for needle in self._needles)

    def snippet(self, texts: list[str]) -> str:
        """The window of the texts (first preferred) holding the most distinct matched words."""
        texts = [t for t in (clean(t) for t in texts) if t.strip()]
        if not texts:
            return ""
        best = None
        for text in texts:
            hits, complete = self._hits(text)
            found = self._best_window(hits)
            if found and (best is None or found[0] > best[0]):
                best = (found[0], found[1], text, hits if complete else None)
        if best is None:
            return self._excerpt(texts[0], 0)
        return self._excerpt(best[2], best[1], best[3])

    def _needles_for(self, ascii_only: bool, joined: bool) -> list[str]:
        """The needles that can occur in a text all ASCII or not, holding a joiner or not:
        an English text is not searched for the Hebrew wordings of the query's synonyms,
        nor a text without quotes for the acronym spellings."""
        needles = self._needles_by_text.get((ascii_only, joined))
        if needles is None:
            needles = self._needles_by_text[ascii_only, joined] = [
                n
                for n in self._needles
                if (n.isascii() or not ascii_only) and (joined or not _has_joiner(n))
            ]
        return needles

    def _hits(self, text: str) -> tuple[list[tuple[int, str]], bool]:
        """(offset, matched form) of each matched word, in order, and whether that is every
        one (not when a long text holds more than MAX_SNIPPET_HITS places to look at)."""
        ascii_only = text.isascii()
        if not ascii_only and _HAS_MARKS.search(text):
            # Pointed text hides words from a substring search: analyse every word.
            return [(t.start, t.forms[-1]) for t in tokenize(text) if self.matches(t)], True
        lower = text.lower()
        if len(lower) != len(text):  # a rare letter changed length: offsets must hold
            lower = text
        joined = _has_joiner(text)
        found = set()
        for needle in self._needles_for(ascii_only, joined):
            # An English stem begins its word: a Latin needle after a Latin letter or digit
            # ("us" in "because") is inside another word and is not looked at.
            latin = needle.isascii()
            at = lower.find(needle)
            while at >= 0 and len(found) < MAX_SNIPPET_HITS:
                if not (latin and at and lower[at - 1].isascii() and lower[at - 1].isalnum()):
                    found.add(_word_start(text, at))
                at = lower.find(needle, at + 1)
        if joined:
            # A word written with an apostrophe ("I've", "we'll") is analysed without it, so
            # a needle may not occur in it as written: such words are all looked at.
            for joiner in _JOINERS:
                at = text.find(joiner, 1)
                while at > 0 and len(found) < MAX_SNIPPET_HITS:
                    if text[at - 1].isalnum():
                        found.add(_word_start(text, at))
                    at = text.find(joiner, at + 1)
        hits = []
        for start in sorted(found):
            word = _RAW_WORD.match(text, start)
            if word is not None:
                form = self._hit_form(word.group())
                if form is not None:
                    hits.append((start, form))
        return hits, len(found) < MAX_SNIPPET_HITS

    def _hit_form(self, raw: str) -> str | None:
        """The form a raw word matched by (its first matching token's last form), or None;
        remembered for the query, as the hits of one page share most of their words."""
        if raw in self._hit_forms:
            return self._hit_forms[raw]
        form = None
        for surface, forms in _word_tokens(raw):
            if surface in self.surfaces or not self.forms.isdisjoint(forms):
                form = forms[-1]
                break
        if len(self._hit_forms) < 10_000:
            self._hit_forms[raw] = form
        return form

    def _best_window(self, hits: list[tuple[int, str]]) -> tuple[float, int] | None:
        best, j = None, 0
        for i in range(len(hits)):
            while hits[i][0] - hits[j][0] > self.SNIPPET_CHARS * 0.8:
                j += 1
            distinct = len({key for _, key in hits[j : i + 1]})
            score = distinct + 0.01 * (i + 1 - j)
            if best is None or score > best[0]:
                best = (score, hits[j][0])
        return best

    def _excerpt(self, text: str, at: int, hits=None) -> str:
        """About SNIPPET_CHARS of ``text`` starting a little before ``at``, cut at spaces;
        its words marked where ``hits`` (every one ``_hits`` found) are, else looked up."""
        start = 0 if at < self.SNIPPET_CHARS // 4 else _space_before(text, at - 30)
        end = _space_after(text, start + self.SNIPPET_CHARS)
        if hits is None:
            body = self.mark(text, start, end)
        else:
            body = _marked(text, start, end, hits)
        return ("… " if start else "") + body.strip() + (" …" if end < len(text) else "")


# Matched words a snippet looks for in one text: enough for any window of it, however long
# the text (a transcript repeating a word thousands of times).
MAX_SNIPPET_HITS = 2000


def _marked(text: str, start: int, end: int, hits: list[tuple[int, str]]) -> str:
    """``text[start:end]`` escaped, with <mark> around the words beginning at ``hits``: the
    words a snippet's window was chosen by are not analysed a second time to mark them."""
    out, done = [], start
    for offset, _form in hits:
        if offset < done:
            continue  # before the window, or a second token of a word already marked
        word = _RAW_WORD.match(text, offset)
        if word is None:
            continue
        if word.end() > end:
            break
        out += [html.escape(text[done:offset]), "<mark>", html.escape(word.group()), "</mark>"]
        done = word.end()
    out.append(html.escape(text[done:end]))
    return "".join(out)


def _space_before(text: str, pos: int) -> int:
    cut = text.rfind(" ", max(0, pos - 20), pos)
    return pos if cut < 0 else cut + 1


def _space_after(text: str, pos: int) -> int:
    if pos >= len(text):
        return len(text)
    cut = text.find(" ", pos, pos + 20)
    return pos if cut < 0 else cut
