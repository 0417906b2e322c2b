"""Relevance evaluation on a dataset of documents, queries and judgements.

Dataset format (see ../shared/datasets/README.md): corpus.jsonl, queries.jsonl, qrels.tsv.
Documents become real article pages, so the evaluation exercises the same indexing and
search service as the site.
"""

import csv
import json
import math
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.utils.html import escape
from wagtail.models import Locale, Page

from home.models import HomePage

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
