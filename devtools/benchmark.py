"""Search speed at scale: synthetic help items built from the relevance datasets' text.

Items are created as real article pages; timings are taken inside the process.
"""

import random
import statistics
import time
from dataclasses import dataclass

import numpy as np
from django.db import DatabaseError, connection
from django.utils.html import escape
from wagtail.models import Locale, Page

from home.models import HomePage
from search import analysis, service
from search.documents import documents_for_page

from .evaluation import article_model, category_model, load_dataset


@dataclass
class Sample:
    texts: list[tuple[str, str, str]]  # (title, body, language)
    queries: list[tuple[str, str]]  # (text, language)


def load_sample(directories, seed=7):
    texts, queries = [], []
    for directory in directories:
        dataset = load_dataset(directory)
        texts += [(d["title"], d["body"], d.get("language", "en")) for d in dataset.documents]
        queries += [(q["text"], q.get("language", "en")) for q in dataset.queries]
    random.Random(seed).shuffle(queries)  # noqa: S311 - a repeatable sample, not a secret
    return Sample(texts, queries)


def synthetic_items(sample, count, seed=7):
    """``count`` items; each mixes one real document with sentences of another in its language."""
    rng = random.Random(seed)  # noqa: S311 - a repeatable sample, not a secret
    by_lang = {}
    for text in sample.texts:
        by_lang.setdefault(text[2], []).append(text)
    for i in range(count):
        title, body, lang = sample.texts[i % len(sample.texts)]
        other = rng.choice(by_lang[lang])[1].split(". ")
        extra = ". ".join(rng.sample(other, min(3, len(other))))
        yield f"{title} ({i})" if i >= len(sample.texts) else title, f"{body}\n{extra}", lang


def create_items(sample, count, progress=None):
    """Article pages saved live without revisions or signals; the index is built separately."""
    root = Page.get_first_root_node()
    categories = {}
    for n, (title, body, lang) in enumerate(synthetic_items(sample, count)):
        if lang not in categories:
            locale, _ = Locale.objects.get_or_create(language_code=lang)
            home = root.add_child(
                instance=HomePage(title=f"Bench {lang}", slug=f"bench-{lang}", locale=locale)
            )
            categories[lang] = [
                home.add_child(
                    instance=category_model()(title=f"Topic {c}", slug=f"topic-{c}", locale=locale)
                )
                for c in range(8)
            ]
        parent = categories[lang][n % 8]
        paragraphs = "".join(f"<p>{escape(p)}</p>" for p in body.split("\n") if p.strip())
        parent.add_child(
            instance=article_model()(
                title=title[:255],
                slug=f"item-{n}",
                summary=body[:200],
                locale=parent.locale,
                body=[{"type": "paragraph", "value": paragraphs}],
            )
        )
        if progress:
            progress(1)


def percentiles(samples_ms):
    ordered = sorted(samples_ms)

    def pick(p):
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

    return {"p50": pick(50), "p95": pick(95), "p99": pick(99), "mean": statistics.fmean(ordered)}


def timed(calls):
    out = []
    for call in calls:
        started = time.perf_counter()
        call()
        out.append((time.perf_counter() - started) * 1000)
    return percentiles(out)


def prefixes(queries):
    """What a customer has typed a few letters into: the query up to part of its last word."""
    out = []
    for text, lang in queries:
        words = text.split()
        if words:
            last = words[-1]
            out.append((" ".join([*words[:-1], last[: max(2, len(last) // 2)]]), lang))
    return out


def bare_fts_floor(queries):
    """The query's words (stopwords dropped, as the engine does) OR-ed in one plain FTS5
    query ranked by bm25: what SQLite alone costs, without our ranking and extras."""

    def run(text):
        tokens = analysis.analyze_query(text)
        terms = {t.surface for t in tokens if not t.stopword} or {t.surface for t in tokens}
        if not terms:
            return
        match = " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid FROM search_fts WHERE search_fts MATCH %s ORDER BY rank LIMIT 10",
                [match],
            )
            cursor.fetchall()

    return timed([lambda t=t: run(t) for t, _ in queries])


def search_calls(queries, engine, semantic=True):
    return [
        lambda t=t, lang=lang: service.search(t, locale=lang, engine=engine, semantic=semantic)
        for t, lang in queries
    ]


def suggest_calls(queries, engine):
    return [
        lambda t=t, lang=lang: service.suggest(t, locale=lang, engine=engine)
        for t, lang in prefixes(queries)
    ]


def wagtail_calls(queries, operator):
    def run(text, lang):
        try:
            pages = (
                article_model().objects.live().filter(locale=Locale.objects.get(language_code=lang))
            )
            list(pages.search(text, operator=operator)[:10])
        except DatabaseError:
            pass  # e.g. a query with a double quote; counted at the time it took to fail

    return [lambda t=t, lang=lang: run(t, lang) for t, lang in queries]


def standin_vectors(engine):
    """Write every passage and give it a random unit vector of the model's size; returns the
    time the passages took to write and how many there are."""
    from search.documents import indexable_pages
    from search.semantic import indexing as semantic_indexing
    from search.semantic.embedders import get_embedder
    from search.semantic.store import store_for

    embedder = get_embedder()
    store = store_for(engine)
    started = time.perf_counter()
    pages = indexable_pages().iterator(chunk_size=500)
    categories = {}
    docs = [doc for page in pages for doc in documents_for_page(page, categories)]
    semantic_indexing.rebuilt(engine, docs)
    took = time.perf_counter() - started
    with store.connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT text_sha FROM search_passage")
        shas = [r[0] for r in cursor.fetchall()]
    rng = np.random.default_rng(7)
    vectors = rng.standard_normal((len(shas), embedder.dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    store.add_vectors(embedder.name, [(s, v.tobytes()) for s, v in zip(shas, vectors, strict=True)])
    return {"passages": len(shas), "passages_write_s": round(took, 2)}
