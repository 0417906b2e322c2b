"""The Elasticsearch index: mapping, analysis settings, and what a document becomes in it.

Text is analysed in Python by ``search.analysis``, exactly as for the embedded engine, and
indexed as space-separated words: the server only splits on spaces, so Hebrew prefixes and
niqqud, English stems and folded quotes behave the same without any server plugin. Each
field has its words as written (``surface.*``) and their stems or prefix-stripped forms
(``forms.*``). What a hit shows is kept, unindexed, under ``display``. The passages'
vectors (meaning-based retrieval, ``search.semantic``) are a nested ``dense_vector`` field,
so a kNN search scores each document by its closest passage and names that passage.
"""

from datetime import UTC, datetime

from django.utils import timezone
from elasticsearch.dsl import (
    Date,
    DenseVector,
    Document,
    Float,
    Index,
    InnerDoc,
    Integer,
    Keyword,
    Long,
    MetaField,
    Nested,
    Object,
    Text,
    analyzer,
    tokenizer,
)

from .. import analysis
from ..conf import FIELDS
from ..documents import SearchDocument

# The analysis already cuts words at the server tokenizer's limit, so the server never splits.
WORDS = tokenizer("help_words", "whitespace", max_token_length=analysis.MAX_TOKEN_CHARS)
# Title beginnings up to this long are indexed, so type-ahead prefix queries are cheap.
PREFIX_CHARS = 10
PRE_ANALYSED = analyzer("help_pre_analysed", tokenizer=WORDS)
# What a hit shows, kept as written (not searched).
DISPLAY_FIELDS = ("url", *FIELDS, "category_title")
FILTER_FIELDS = (
    "key",
    "page_id",
    "type",
    "locale",
    "category",
    "published_at",
    "expire_at",
    "popularity",
)


def _text(**options):
    return Text(analyzer=PRE_ANALYSED, **options)


class AnalysedFields(InnerDoc):
    """One text field per search field, in ``search.conf.FIELDS`` order."""

    title = _text(index_prefixes={"min_chars": 1, "max_chars": PREFIX_CHARS})
    keywords = _text()
    summary = _text()
    body = _text()
    steps = _text()
    transcript = _text()


class PassageVector(InnerDoc):
    """One passage's vector; ``n`` numbers it as the passage store does. Its length is the
    model's, set by the first vector indexed (a rebuild after changing the model)."""

    n = Integer()
    vector = DenseVector(index=True, similarity="cosine")


class HelpDocument(Document):
    key = Keyword()
    page_id = Long()
    type = Keyword()
    locale = Keyword()
    category = Keyword()
    published_at = Date()
    expire_at = Date()
    popularity = Float()
    title_length = Integer()  # shorter titles first among equal suggestions
    surface = Object(AnalysedFields)
    forms = Object(AnalysedFields)
    # The document's distinct surface words: spelling correction's vocabulary.
    vocab = Keyword(ignore_above=256)
    display = Object(enabled=False)
    passages = Nested(PassageVector)

    class Meta:
        dynamic = MetaField("strict")


def build_index(name: str, shards: int = 1, replicas: int = 1, building: bool = False) -> Index:
    """The index definition; ``building`` turns off refreshes and replicas for a bulk fill."""
    index = Index(name)
    index.settings(
        number_of_shards=shards,
        number_of_replicas=0 if building else replicas,
        refresh_interval="-1" if building else "1s",
    )
    index.document(HelpDocument)
    return index


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value, UTC)
    return value


def to_source(doc: SearchDocument, vectors: list[tuple[int, list[float]]] = ()) -> dict:
    """The indexed form of a document (its ``_source``); its ``_id`` is ``doc.key``.
    ``vectors``: (passage number, vector) of the passages embedded so far."""
    surface, forms, vocab = {}, {}, set()
    for name in FIELDS:
        surface[name], forms[name] = analysis.index_text(getattr(doc, name))
        vocab.update(surface[name].split())
    title = analysis.clean(doc.title)
    published, expires = _aware(doc.published_at), _aware(doc.expire_at)
    source = HelpDocument(
        key=analysis.clean(doc.key),
        page_id=int(doc.page_id),
        type=analysis.clean(doc.type),
        locale=analysis.clean(doc.locale),
        category=analysis.clean(doc.category),
        published_at=published.isoformat() if published else None,
        expire_at=expires.isoformat() if expires else None,
        popularity=float(doc.popularity or 0),
        title_length=len(title),
        surface=surface,
        forms=forms,
        vocab=sorted(vocab),
        display={name: analysis.clean(getattr(doc, name)) for name in DISPLAY_FIELDS},
    ).to_dict(skip_empty=False)
    source.pop("passages", None)
    if vectors:  # left out otherwise: an index made before the field takes the words alone
        source["passages"] = [{"n": int(n), "vector": [float(x) for x in v]} for n, v in vectors]
    return source


def from_source(source: dict) -> SearchDocument:
    display = source.get("display") or {}
    return SearchDocument(
        key=source["key"],
        page_id=int(source["page_id"]),
        type=source.get("type") or "",
        locale=source.get("locale") or "",
        category=source.get("category") or "",
        popularity=float(source.get("popularity") or 0),
        published_at=_parse(source.get("published_at")),
        expire_at=_parse(source.get("expire_at")),
        **{name: display.get(name) or "" for name in DISPLAY_FIELDS},
    )


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
