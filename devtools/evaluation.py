"""Relevance evaluation on a dataset of documents, queries and judgements.

Dataset format (see ../shared/datasets/README.md): corpus.jsonl, queries.jsonl, qrels.tsv.
Documents become real article pages, so the evaluation exercises the same indexing and
search service as the site.
"""

import csv
import json
import math
import pickle
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.utils.html import escape
from tqdm import tqdm
from wagtail.models import Locale, Page

from home.models import HomePage
from search import outcome_cache
from search.semantic import fusion
from search.semantic.embedders import get_embedder
from search.semantic.store import store_for

K = 10


def article_model():
    """The page type documents become (settings.SEARCH_DRAFT_PAGE_MODEL, an article)."""
    return apps.get_model(settings.SEARCH_DRAFT_PAGE_MODEL)


def category_model():
    """The page type an article lives under: the first parent its tree rules allow."""
    return article_model().allowed_parent_page_models()[0]


@dataclass
class Dataset:
    documents: list[dict]
    queries: list[dict]
    relevant: dict[str, set[str]]


def read_jsonl(path):
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_dataset(directory):
    directory = Path(directory)
    relevant = {}
    with open(directory / "qrels.tsv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if int(row["relevance"]) > 0:
                relevant.setdefault(row["query_id"], set()).add(row["doc_id"])
    queries = [q for q in read_jsonl(directory / "queries.jsonl") if q["id"] in relevant]
    return Dataset(read_jsonl(directory / "corpus.jsonl"), queries, relevant)


def split_answer(text, limit=300):
    """(short answer, rest): the first sentence becomes the page's short answer, as an editor
    would write it; together they hold the text unchanged."""
    text = text.strip()
    cuts = [i + 1 for i in (text.find(". "), text.find("\n")) if 0 < i < limit]
    if cuts:
        end = min(cuts)
    elif len(text) <= limit:
        end = len(text)
    else:
        end = text.rfind(" ", 0, limit)
        end = limit if end <= 0 else end
    return text[:end].strip(), text[end:].strip()


def body_stream(text):
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    if not paragraphs:
        return []
    return [{"type": "paragraph", "value": "".join(f"<p>{escape(p)}</p>" for p in paragraphs)}]


def create_pages(dataset, progress=None):
    """Publish one article per document; returns {page id: document id}."""
    root = Page.get_first_root_node()
    categories = {}
    page_to_doc = {}
    for doc in dataset.documents:
        language = doc.get("language") or "en"
        if language not in categories:
            locale, _ = Locale.objects.get_or_create(language_code=language)
            home = root.add_child(
                instance=HomePage(
                    title=f"Evaluation {language}", slug=f"eval-{language}", locale=locale
                )
            )
            categories[language] = home.add_child(
                instance=category_model()(title="Evaluation", slug="evaluation", locale=locale)
            )
        summary, rest = split_answer(doc["body"] or doc["title"])
        page = article_model()(
            title=doc["title"][:255] or doc["id"],
            slug=f"doc-{len(page_to_doc)}",
            summary=summary[:600],
            body=body_stream(rest),
            locale=categories[language].locale,
        )
        categories[language].add_child(instance=page)
        page.save_revision().publish(log_action=False)
        page_to_doc[page.pk] = doc["id"]
        if progress:
            progress(1)
    return page_to_doc


def metrics(rankings, relevant):
    """MRR@10, nDCG@10 (binary gains), P@1 and Recall@10 averaged over all queries."""
    totals = {"mrr_at_10": 0.0, "ndcg_at_10": 0.0, "p_at_1": 0.0, "recall_at_10": 0.0}
    for query_id, ranked in rankings.items():
        rel = relevant[query_id]
        top = ranked[:K]
        hits = [doc in rel for doc in top]
        first = next((i for i, hit in enumerate(hits) if hit), None)
        totals["mrr_at_10"] += 1 / (first + 1) if first is not None else 0
        dcg = sum(1 / math.log2(i + 2) for i, hit in enumerate(hits) if hit)
        ideal = sum(1 / math.log2(i + 2) for i in range(min(len(rel), K)))
        totals["ndcg_at_10"] += dcg / ideal
        totals["p_at_1"] += 1.0 if hits and hits[0] else 0.0
        totals["recall_at_10"] += len(set(top) & rel) / len(rel)
    n = len(rankings) or 1
    return {"queries": len(rankings), **{k: round(v / n, 4) for k, v in totals.items()}}


@contextmanager
def fusion_weights(weights):
    """Rank with another (lexical weight, floor) for a measurement: (0, -1) is meaning only."""
    if not weights:
        yield
        return
    saved = fusion.LEXICAL_WEIGHT, fusion.DENSE_FLOOR
    fusion.LEXICAL_WEIGHT, fusion.DENSE_FLOOR = weights
    outcome_cache.clear()  # outcomes ranked with other weights
    try:
        yield
    finally:
        fusion.LEXICAL_WEIGHT, fusion.DENSE_FLOOR = saved
        outcome_cache.clear()


def embed_passages(engine, vectors_file, quiet, out):
    """Embed the indexed passages (reusing a saved file of vectors); None when the model is
    off. Returns the pass's figures."""
    embedder = get_embedder()
    store = store_for(engine) if embedder else None
    if store is None:
        return None
    saved = {}
    if vectors_file and Path(vectors_file).exists():
        with open(vectors_file, "rb") as fh:
            saved = dict(pickle.load(fh).get(embedder.name, {}))  # noqa: S301 (our own file)
        store.add_vectors(embedder.name, list(saved.items()))
    started = time.perf_counter()
    with tqdm(total=store.missing(embedder.name), unit="passage", disable=quiet, file=out) as bar:
        count = store.embed_missing(embedder, progress=bar.update)
    took = time.perf_counter() - started
    if vectors_file:
        saved.update(store.vectors(embedder.name))
        with open(vectors_file, "wb") as fh:
            pickle.dump({embedder.name: saved}, fh)
    return {
        "model": embedder.name,
        "embedded": count,
        "embed_per_s": round(count / took, 2) if count and took else None,
    }


def tune(dataset, outcomes, page_to_doc, engine, page_id_of):
    """nDCG@10 at other fusion weights, and answer precision/coverage over a threshold grid
    (the thresholds kept are those with precision >= 0.9, best coverage first)."""
    from search import answers, service

    def doc_ids(outcome):
        keys = [page_id_of(h.document.key) for h in outcome.results.hits]
        return [page_to_doc[k] for k in keys if k in page_to_doc]

    ndcg = {}
    for weight in (0.2, 0.3, 0.4, 0.5, 0.6):
        rankings = {}
        with fusion_weights((weight, fusion.DENSE_FLOOR)):
            for query, _ in outcomes:
                outcome = service.search(
                    query["text"], locale=query.get("language"), per_page=K, engine=engine
                )
                rankings[query["id"]] = doc_ids(outcome)
        ndcg[weight] = metrics(rankings, dataset.relevant)["ndcg_at_10"]
    grid = []
    saved = answers.MIN_COSINE, answers.MIN_MARGIN, answers.AGREED_COSINE
    try:
        for cosine in (0.80, 0.82, 0.84, 0.86, 0.88):
            for margin in (0.0, 0.01, 0.02, 0.03, 0.05):
                for agreed in (0.78, 0.80, 0.82, 0.84, 1.0):
                    answers.MIN_COSINE, answers.MIN_MARGIN, answers.AGREED_COSINE = (
                        cosine,
                        margin,
                        agreed,
                    )
                    answered = right = 0
                    for query, outcome in outcomes:
                        if outcome.results.hits and answers.confident(outcome, outcome.dense):
                            answered += 1
                            top = page_to_doc.get(page_id_of(outcome.results.hits[0].document.key))
                            right += top in dataset.relevant[query["id"]]
                    if answered:
                        grid.append(
                            {
                                "min_cosine": cosine, "min_margin": margin, "agreed": agreed,
                                "precision": round(right / answered, 4),
                                "coverage": round(answered / len(outcomes), 4),
                            }
                        )  # fmt: skip
    finally:
        answers.MIN_COSINE, answers.MIN_MARGIN, answers.AGREED_COSINE = saved
    good = sorted((g for g in grid if g["precision"] >= 0.9), key=lambda g: -g["coverage"])
    return {"ndcg_by_lexical_weight": ndcg, "answer_thresholds": good[:8]}
