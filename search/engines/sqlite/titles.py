"""The type-ahead title index held in memory, to rank many matching titles fast.

A question typed in full matches about a thousand titles by its common words at 10,000
items, and FTS5's bm25 over all of them was most of a suggestion (2-3 ms at p95). bm25 is a
sum with one term per phrase of the query, and each term depends only on that phrase's rows,
their lengths and the table's totals. So the same scores come from postings in numpy arrays,
phrase by phrase, with FTS5's formula in FTS5's order of double operations: the same numbers
to the last bit (a test compares them), hence the same list.

The postings are read from the titles' indexed text (words our analysis joined with spaces)
and checked against FTS5's own vocabulary, every term's rows and occurrences in each column;
if anything differs (a word FTS5 would cut otherwise) the memory is not used. A process keeps
one copy, for one index version. A small index is read again by the first suggestion after a
change; a large one on a side thread, at most every ``BUILD_EVERY_SECONDS``, and until then
suggestions are ranked by SQLite as before. 10,000 titles take about 5 MB and 0.4 s to read.
"""

import bisect
import logging
import math
import threading
import time
from typing import NamedTuple

import numpy as np
from django.db import connections

logger = logging.getLogger(__name__)

COLUMNS = ("title", "title_f")
WEIGHTS = (2.0, 1.0)  # bm25(search_title_fts, 2.0, 1.0): a word as written counts twice
K1, B = 1.2, 0.75  # FTS5's bm25 constants
BUILD_EVERY_SECONDS = 20.0
BUILD_HERE_ROWS = 2000  # up to so many titles (a few ms to read) a suggestion reads them
KEPT_PHRASES = 2000  # a phrase's part of the scores, kept for the next keystrokes


class Phrase(NamedTuple):
    column: str
    term: str
    prefix: bool = False


class Postings(NamedTuple):
    terms: list[str]  # sorted, for prefix ranges
    starts: np.ndarray  # term i's rows are rows[starts[i]:starts[i + 1]]
    rows: np.ndarray  # rowids
    counts: np.ndarray  # occurrences in that row's column


class TitleIndex:
    def __init__(self, version: int, lengths: np.ndarray, rows: int, postings: list[Postings]):
        self.version = version
        self.lengths = lengths  # tokens per rowid, both columns
        self.rows = rows
        self.avgdl = float(lengths.sum()) / rows if rows else 0.0
        self.postings = dict(zip(COLUMNS, postings, strict=True))
        # Each keystroke asks again for the words typed before it: their parts are kept.
        self._parts: dict[Phrase, tuple[np.ndarray, np.ndarray]] = {}

    def best(self, groups, every: bool, n: int) -> tuple[dict[int, float], bool]:
        """The ``n`` best rows for the groups of phrases (all groups matched, or any), with
        every row tying the last of them: {rowid: bm25 as FTS5 gives it}, and whether that
        is every matching row."""
        if not groups:
            return {}, True
        score = np.zeros(len(self.lengths))
        groups_held = np.zeros(len(self.lengths), dtype=np.int32) if every else None
        for group in groups:
            in_group = np.zeros(len(self.lengths), dtype=bool) if every else None
            for phrase in group:
                rows, contribution = self._phrase(phrase)
                score[rows] += contribution
                if every:
                    in_group[rows] = True
            if every:
                groups_held += in_group
        # A phrase adds more than zero to every row holding it (its idf is at least 1e-6).
        found = np.flatnonzero(groups_held == len(groups) if every else score > 0)
        scores = -1.0 * score[found]
        if len(found) > n:
            last = np.partition(scores, n - 1)[n - 1]
            keep = scores <= last
            kept = dict(zip(found[keep].tolist(), scores[keep].tolist(), strict=True))
            return kept, len(kept) == len(found)
        return dict(zip(found.tolist(), scores.tolist(), strict=True)), True

    def _phrase(self, phrase: Phrase) -> tuple[np.ndarray, np.ndarray]:
        part = self._parts.get(phrase)
        if part is None:
            part = self._score(phrase)
            if len(self._parts) >= KEPT_PHRASES:
                self._parts.clear()
            self._parts[phrase] = part
        return part

    def _score(self, phrase: Phrase) -> tuple[np.ndarray, np.ndarray]:
        """The rows holding ``phrase`` and its part of their bm25."""
        postings = self.postings[phrase.column]
        lo = bisect.bisect_left(postings.terms, phrase.term)
        if phrase.prefix:
            hi = bisect.bisect_left(postings.terms, phrase.term + "\U0010ffff", lo)
        else:
            hi = lo + (lo < len(postings.terms) and postings.terms[lo] == phrase.term)
        start, end = postings.starts[lo], postings.starts[hi]
        rows, counts = postings.rows[start:end], postings.counts[start:end]
        if hi - lo > 1:  # several words begin so: one row may hold more than one of them
            rows, at = np.unique(rows, return_inverse=True)
            counts = np.bincount(at, weights=counts)
        # As FTS5's bm25 computes each phrase's part (fts5_aux.c), operation by operation.
        hits = len(rows)
        idf = math.log((self.rows - hits + 0.5) / (hits + 0.5))
        if idf <= 0.0:
            idf = 1e-6
        frequency = counts * WEIGHTS[COLUMNS.index(phrase.column)]
        length = self.lengths[rows].astype(np.float64)
        norm = K1 * (1 - B + B * length / self.avgdl)
        return rows, idf * ((frequency * (K1 + 1.0)) / (frequency + norm))


def read(cursor, version: int) -> TitleIndex | None:
    """The title index as FTS5 holds it, or None where our reading of it differs."""
    cursor.execute("SELECT rowid, title, title_f FROM search_title_fts")
    titles = cursor.fetchall()
    if not titles:
        return TitleIndex(version, np.zeros(1, dtype=np.int64), 0, [_postings({})] * 2)
    lengths = np.zeros(max(r[0] for r in titles) + 1, dtype=np.int64)
    found = ({}, {})  # per column: term -> {rowid: occurrences}
    for rowid, *texts in titles:
        for column, text in zip(found, texts, strict=True):
            words = text.split()
            lengths[rowid] += len(words)
            for word in words:
                in_rows = column.setdefault(word, {})
                in_rows[rowid] = in_rows.get(rowid, 0) + 1
    if not _as_fts5_counts(cursor, found):
        return None
    return TitleIndex(version, lengths, len(titles), [_postings(f) for f in found])


def _postings(found: dict) -> Postings:
    terms = sorted(found)
    starts = np.zeros(len(terms) + 1, dtype=np.int64)
    np.cumsum([len(found[t]) for t in terms], out=starts[1:])
    rows = np.fromiter((r for t in terms for r in found[t]), np.int64, int(starts[-1]))
    counts = np.fromiter((c for t in terms for c in found[t].values()), np.float64, len(rows))
    return Postings(terms, starts, rows, counts)


def _as_fts5_counts(cursor, found) -> bool:
    cursor.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_title_terms "
        "USING fts5vocab(main, search_title_fts, col)"
    )
    cursor.execute("SELECT term, col, doc, cnt FROM temp.search_title_terms")
    theirs = {(term, col): (docs, occurrences) for term, col, docs, occurrences in cursor}
    ours = {
        (term, name): (len(rows), sum(rows.values()))
        for name, column in zip(COLUMNS, found, strict=True)
        for term, rows in column.items()
    }
    if ours != theirs:
        logger.info("Suggestions are ranked by SQLite: the titles' words read otherwise")
        return False
    return True


class Keeper:
    """A process's copy of an engine's title index: read at once while the index is small,
    else on a side thread, off the request path."""

    def __init__(self, database: str):
        self.database = database
        self.index: TitleIndex | None = None
        self._building = False
        self._last_build = -math.inf
        self._unreadable = None  # the version whose titles the memory would read otherwise
        self._lock = threading.Lock()

    def current(self, cursor, version: int) -> TitleIndex | None:
        """The copy if it is of ``version``, read now if the index is small; else None, and
        a build begins if none has lately."""
        index = self.index
        if index is not None and index.version == version:
            return index
        if version == self._unreadable:
            return None
        if (index.rows if index is not None else _count(cursor)) <= BUILD_HERE_ROWS:
            return self.build_now(cursor, version)
        with self._lock:
            if self._building or time.monotonic() - self._last_build < BUILD_EVERY_SECONDS:
                return None
            self._building, self._last_build = True, time.monotonic()
        threading.Thread(target=self._build, name="suggest-titles", daemon=True).start()
        return None

    def build_now(self, cursor, version: int) -> TitleIndex | None:
        """Read and keep the copy, unless the index changed meanwhile (every write gives it a
        new version), so the copy is of one state of it."""
        index = read(cursor, version)
        if _version(cursor) != version:
            return None
        if index is None:
            self._unreadable = version  # not read again until the index changes
            return None
        self.index = index
        return index

    def _build(self):
        try:
            with connections[self.database].cursor() as cursor:
                self.build_now(cursor, _version(cursor))
        except Exception:  # noqa: BLE001 - SQLite keeps ranking; the next build may succeed
            logger.exception("The title index could not be read into memory")
        finally:
            self._building = False
            connections[self.database].close()  # this thread's own connection


def _version(cursor) -> int:
    cursor.execute("SELECT value FROM search_meta WHERE name = 'version'")
    row = cursor.fetchone()
    return row[0] if row else 0


def _count(cursor) -> int:
    cursor.execute("SELECT count(*) FROM search_doc")
    return cursor.fetchone()[0]
