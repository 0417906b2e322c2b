"""What every search engine reads from one place: the searched fields, how much each counts,
and the bounds on a query, so the embedded index and Elasticsearch rank and cut alike."""

from dataclasses import dataclass, field

# The text fields of a ``SearchDocument`` that are searched, in index column order.
FIELDS = ("title", "keywords", "summary", "body", "steps", "transcript")

MAX_QUERY_TERMS = 16  # words of a query that are looked up, whatever is pasted into the box
MAX_NEAR_PAIRS = 6  # proximity pays for itself in short queries; long ones cost more
MAX_SYNONYM_WORDS = 6  # words of a synonym (a phrase) that are matched
MAX_ALTERNATIVES = 50  # synonyms and words typed apart added to one query
MAX_PROMOTED = 50
MAX_SUGGEST_WORDS = 8  # type-ahead reads the last words typed
MAX_PER_PAGE = 100
MAX_PAGE = 1000  # the deepest page an engine answers, whoever asks
MAX_RESULTS_PAGE = 100  # the deepest page of results the site offers (results page and API)


@dataclass
class Ranking:
    """How much each kind of match counts; the defaults were tuned on the dev datasets."""

    # Weight of each field's words as written; its forms (stems, prefix-stripped words) get
    # ``forms`` times it.
    fields: dict = field(
        default_factory=lambda: {
            "title": 4.0, "keywords": 2.0, "summary": 1.5, "body": 1.0, "steps": 1.0,
            "transcript": 0.8,
        }
    )  # fmt: skip
    # Weight of the forms relative to the words as written, by the query's script. An
    # English stem loses meaning (university/universe) so the exact word must lead; a Hebrew
    # prefix is grammar (ו, ה, ב...) so the stripped word says nearly as much as the written.
    forms: dict = field(default_factory=lambda: {"latin": 0.4, "hebrew": 2.0})
    near: int = 6  # words may stand this far apart to count as "close together"
    proximity: bool = True
    hebrew_splits: str = "vocab"  # "all", "vocab" (only words the index knows) or "none"

    @classmethod
    def from_option(cls, value) -> "Ranking":
        """A ranking from an engine's RANKING option: a Ranking, a dict of its fields, or
        nothing (the defaults)."""
        if isinstance(value, cls):
            return value
        return cls(**(value or {}))

    def field_weight(self, name: str) -> float:
        return self.fields.get(name, 1.0)

    def forms_weight(self, hebrew_share: float = 0.0) -> float:
        """How much a form counts against the written word, for a query whose words are
        ``hebrew_share`` Hebrew."""
        return self.forms["hebrew"] * hebrew_share + self.forms["latin"] * (1 - hebrew_share)

    def weights(self, hebrew_share: float = 0.0) -> list[float]:
        """Column weights, written then forms for each field in ``FIELDS`` order."""
        forms = self.forms_weight(hebrew_share)
        out = []
        for name in FIELDS:
            w = self.field_weight(name)
            out += [w, w * forms]
        return out


@dataclass(frozen=True)
class Fusion:
    """How the lexical and the meaning-based ranking are blended for one language."""

    lexical_weight: float = 0.4  # the bm25 side's share of the fused score; cosine has the rest
    dense_floor: float = 0.80  # cosine a document needs to be added by meaning alone


# Per language, tuned on the dev splits with a held-out half (BENCHMARKS.md); a search over
# every language takes the default. Hebrew words carry more of the answer (names, places,
# dates in HeQ-style questions): 0.55-0.65 all beat 0.4 on both halves of heq-dev.
FUSION = {"en": Fusion(), "he": Fusion(lexical_weight=0.6)}
DEFAULT_FUSION = Fusion()


def fusion_for(locale: str | None) -> Fusion:
    return FUSION.get(locale or "", DEFAULT_FUSION)
