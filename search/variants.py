"""The default variant list: everyday wordings of one thing (spelling variants, loanwords and
transliterations, abbreviations), shipped as data per language in ``search/data``.

They widen a query exactly like the synonym groups staff add in the admin (which extend
this list), and the spelling correction treats every word in them as known.
"""

from functools import lru_cache
from pathlib import Path

from . import analysis

DATA = Path(__file__).resolve().parent / "data"
# Prefixes a Hebrew word of the list may carry in a query ("הסיסמא", "בראוטר", "לוויפי").
HEBREW_PREFIXES = ("ה", "ו", "ב", "כ", "ל", "מ", "ש", "וה", "וב", "ול", "ומ", "שה", "של", "מה")


def _path(language: str) -> Path:
    return DATA / f"variants-{language}.txt"


@lru_cache(maxsize=8)
def groups(language: str) -> tuple[tuple[str, ...], ...]:
    """The groups of the shipped list for ``language`` (as written), or none."""
    try:
        lines = _path(language).read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError):
        return ()
    out = []
    for line in lines:
        if line.strip() and not line.lstrip().startswith("#"):
            terms = tuple(t.strip() for t in line.split(",") if t.strip())
            if len(terms) > 1:
                out.append(terms)
    return tuple(out)


def languages() -> list[str]:
    return sorted(p.stem.removeprefix("variants-") for p in DATA.glob("variants-*.txt"))


def add_group(mapping: dict[str, list[str]], terms) -> None:
    """File each term of a group under the others (normalised), as synonym lookups expect.

    A Hebrew term is also filed with each prefix its first word may carry in a query, so
    "הסיסמא" finds "סיסמה" as "סיסמא" does, and "לבית חדש" finds "מעבר דירה"; a phrase
    also as made definite, its later words taking ה ("ברשת האלחוטית", "מעבר הדירה").
    """
    keys = [k for k in dict.fromkeys(analysis.normalize(t) for t in terms) if k]
    for key in keys:
        others = [k for k in keys if k != key]
        variants = [key]
        if analysis.is_hebrew(key):
            first, *later = key.split(" ")
            forms = [key]
            if later:
                forms.append(" ".join([first, *(w if w[0] == "ה" else "ה" + w for w in later)]))
            variants += [p + form for form in forms for p in ("", *HEBREW_PREFIXES)][1:]
        for variant in variants:
            alternatives = mapping.setdefault(variant, [])
            wanted = others if variant == key else [key, *others]
            alternatives.extend(a for a in wanted if a not in alternatives)


@lru_cache(maxsize=8)
def _mapping(language: str | None) -> dict[str, tuple[str, ...]]:
    mapping: dict[str, list[str]] = {}
    for lang in [language] if language else languages():
        for terms in groups(lang):
            add_group(mapping, terms)
    return {k: tuple(v) for k, v in mapping.items()}


def default_synonyms(language: str | None) -> dict[str, tuple[str, ...]]:
    """Normalised term -> alternatives from the shipped list (shared: do not change it)."""
    return _mapping(language)


@lru_cache(maxsize=8)
def known_words(language: str | None) -> frozenset[str]:
    """Every word of the list in normalised form: spelling correction leaves them alone."""
    return frozenset(w for key in _mapping(language) for w in key.split())
