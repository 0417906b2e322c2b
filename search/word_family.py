"""Words of one family: what a synonym or a promoted result made for one wording covers.

English words match by stem ("teleporter", "teleporters", "teleportation"); a Hebrew word
matches itself with prefixes attached ("הולוגרמה", "ההולוגרמה", "ולהולוגרמה"), whichever side
carries them. Both come from the shared analysis (``Token.forms``), so a fix covers exactly the
wordings that search itself treats as one word.
"""

from . import analysis


def same_word(a: analysis.Token, b: analysis.Token) -> bool:
    if a.surface == b.surface:
        return True
    if analysis.is_hebrew(a.surface) and analysis.is_hebrew(b.surface):
        # One is the other with prefixes: never two words that only end alike
        # ("מלון" and "בלון" both read as ל+"ון", and stay apart).
        return b.surface in a.forms or a.surface in b.forms
    return analysis.is_latin(a.surface) and a.forms[0] == b.forms[0]


def same_phrase(a: list[analysis.Token], b: list[analysis.Token]) -> bool:
    return len(a) == len(b) and all(same_word(x, y) for x, y in zip(a, b, strict=True))


def content_words(text) -> list[analysis.Token]:
    tokens = analysis.analyze_query(text)
    return [t for t in tokens if not t.stopword] or tokens


class SynonymTable(dict):
    """Normalised term -> its synonyms, looked up by word family.

    ``get`` answers for any wording of a term: "teleportation" finds the synonyms of
    "teleporter". Candidates are found by the first word's forms, so a lookup costs the
    phrase's length, not the number of synonyms.
    """

    def __init__(self, mapping=(), plain=None):
        # The table holds the staff's groups; ``plain`` (the shipped list, thousands of
        # entries) is read through, never copied: every search builds a table.
        super().__init__()
        self._plain = plain or {}
        for key, alternatives in dict(mapping).items():
            known = self.setdefault(key, [])
            known.extend(a for a in alternatives if a not in known)
        # Equal for equal staff groups: a kept search outcome names the synonyms it used.
        self.fingerprint = hash(tuple(sorted((k, tuple(v)) for k, v in self.items())))
        self._by_form = {}
        for key in self:
            tokens = analysis.tokenize(key)
            if tokens:
                for form in tokens[0].forms:
                    self._by_form.setdefault(form, []).append((tokens, key))

    def __bool__(self):
        return bool(self._plain) or len(self) > 0

    def exact(self, key) -> list:
        """The alternatives filed under ``key`` itself: the shipped list's, then the staff's."""
        found = list(self._plain.get(key, ()))
        found += [a for a in super().get(key, ()) if a not in found]
        return found

    def get(self, phrase, default=None):
        found = self.exact(phrase)
        if not self._by_form:  # no staff groups: the shipped list is looked up as typed
            return found or default
        # A search looks up every run of its words: most share no form with any group's
        # first word, and need no more analysis than that word's.
        first = analysis.tokenize(phrase.split(" ", 1)[0])
        if first and not any(f in self._by_form for f in first[0].forms):
            return found or default
        tokens = analysis.tokenize(phrase)
        seen = {phrase}
        for form in tokens[0].forms if tokens else ():
            for key_tokens, key in self._by_form.get(form, ()):
                if key not in seen and same_phrase(tokens, key_tokens):
                    seen.add(key)
                    found += [t for t in self.exact(key) if t not in found and t != phrase]
        return found or default
