"""Engine-neutral reading of a query: its words, the forms each is looked up by, the pairs
that count again when close together, and the alternatives (synonyms, words written as one)
that widen it. Both engines build their requests from one ``AnalysedQuery``, under the same
bounds (``search.conf``), so they find the same documents."""

from dataclasses import dataclass

from . import analysis
from .conf import MAX_ALTERNATIVES, MAX_NEAR_PAIRS, MAX_QUERY_TERMS, MAX_SYNONYM_WORDS, Ranking


def unique_words(tokens: list[analysis.Token]) -> list[analysis.Token]:
    """The tokens with repeated words dropped, first occurrence kept."""
    seen, out = set(), []
    for token in tokens:
        if token.surface not in seen:
            seen.add(token.surface)
            out.append(token)
    return out


def lookup_forms(token: analysis.Token, mode: str, known: dict | None) -> list[str]:
    """The forms a query word is looked up by: a Hebrew word's prefix-stripped readings only
    where the index knows them (mode "vocab"), all of them ("all") or none ("none")."""
    if not analysis.is_hebrew(token.surface):
        return list(token.forms)
    surface, *splits = token.forms
    if mode == "none":
        return [surface]
    if mode == "vocab" and known is not None:
        splits = [s for s in splits if s in known]
    forms = [surface, *splits]
    if known is None or surface in known:
        return forms
    # A word no page has as written may be a noun joined to the next ("פוליסת ביטוח").
    return forms + [c for c in map(construct_base, forms) if c and c not in forms]


CONSTRUCT_MIN_CHARS = 4  # "בקשת", "פוליסת"; shorter words ending in ת are mostly whole


def construct_base(form: str) -> str | None:
    """The word a Hebrew noun in construct state comes from: "פוליסת ביטוח" is a policy
    (פוליסה) of insurance, "בקשת החזר" a request (בקשה) for a refund. Customers write the
    pair, pages often the noun alone. Plurals in ות stay as they are."""
    if len(form) >= CONSTRUCT_MIN_CHARS and form[-1] == "ת" and form[-2] != "ו":
        return form[:-1] + "ה"
    return None


def compounds(tokens: list[analysis.Token], known: dict, limit: int) -> list[list[analysis.Token]]:
    """Neighbouring words written as one where the index has that word: "git hub", "e mail"."""
    out = []
    for a, b in zip(tokens, tokens[1:limit], strict=False):
        joined = a.surface + b.surface
        if joined in known and not (a.stopword and b.stopword):
            out.append(analysis.tokenize(joined))
    return out


def synonym_alternatives(
    tokens: list[analysis.Token], synonyms: dict, limit: int
) -> list[list[analysis.Token]]:
    """Alternatives for every synonym key (a word or phrase) that occurs in the query.

    Keys are in ``analysis.normalize`` form, so the query's word n-grams are looked up
    directly: the cost follows the query's length, not the number of synonyms.
    """
    if not synonyms:
        return []
    words = [t.surface for t in tokens][: limit * 2]
    out = []
    for n in range(min(MAX_SYNONYM_WORDS, len(words)), 0, -1):
        for i in range(len(words) - n + 1):
            for alternative in list(synonyms.get(" ".join(words[i : i + n])) or ())[:20]:
                alt = analysis.analyze_query(alternative)[:MAX_SYNONYM_WORDS]
                if alt:
                    out.append(alt)
    return out[:MAX_ALTERNATIVES]


def near_span(forms: list[str], distance: int) -> int:
    """How far apart words may stand to count as close: Hebrew words put several forms in a
    row in the forms columns, so they get room for them."""
    return distance * (4 if any(analysis.is_hebrew(f) for f in forms) else 1)


@dataclass
class AnalysedQuery:
    """What a query looks up and what a hit highlights."""

    content: list[analysis.Token]  # the words searched: no repeats, stopwords only if alone
    forms: list[list[str]]  # the forms each content word is looked up by
    near: list[tuple[analysis.Token, analysis.Token]]  # neighbours that count again if close
    alternatives: list[list[analysis.Token]]  # synonyms and words typed apart, as phrases
    surfaces: set[str]
    highlight_forms: set[str]
    hebrew_share: float = 0.0

    @property
    def empty(self) -> bool:
        return not self.content

    @classmethod
    def build(
        cls, text: str, ranking: Ranking, known: dict, synonyms: dict | None = None
    ) -> "AnalysedQuery":
        typed = analysis.analyze_query(text)
        tokens = unique_words(typed)
        content = ([t for t in tokens if not t.stopword] or tokens)[:MAX_QUERY_TERMS]
        if not content:
            return cls([], [], [], [], set(), set())
        forms = [lookup_forms(t, ranking.hebrew_splits, known) for t in content]
        near = (
            list(zip(content, content[1 : MAX_NEAR_PAIRS + 1], strict=False))
            if ranking.proximity
            else []
        )
        alternatives = (
            synonym_alternatives(typed, synonyms or {}, MAX_QUERY_TERMS)
            + compounds(typed, known, MAX_QUERY_TERMS)
        )[:MAX_ALTERNATIVES]
        surfaces = {t.surface for t in content} | {t.surface for alt in alternatives for t in alt}
        highlight = {f for group in forms for f in group}
        highlight |= {
            lookup_forms(t, ranking.hebrew_splits, known)[0] for alt in alternatives for t in alt
        }
        hebrew = sum(analysis.is_hebrew(t.surface) for t in content) / len(content)
        return cls(content, forms, near, alternatives, surfaces, highlight, hebrew)
