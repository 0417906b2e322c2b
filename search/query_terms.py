"""Engine-neutral reading of a query: its words, the forms each is looked up by, and the
alternatives (synonyms, words written as one) that widen it. Every engine builds its own
request from these, so they find the same documents."""

from . import analysis

MAX_SYNONYM_WORDS = 6
MAX_ALTERNATIVES = 50


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
    return [surface, *splits]


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
