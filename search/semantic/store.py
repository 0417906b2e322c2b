"""Passages and their vectors, stored with the embedded index (in its SQLite database).

- ``search_passage``: each search document's passages, replaced when the page is published
  (cheap: no model runs on the publishing request).
- ``search_vector``: one vector per (model, passage text hash), filled by the embedding pass
  (after publish, by the worker or ``search_embed``); a text that did not change keeps its
  vector, so an interrupted pass resumes where it stopped.
- ``search_semantic_meta``: a version bumped by every write, so the in-memory matrices know
  when to reload.

A migration creates them in the site's database; an index in its own SQLite file gets them
on first use (the same statements).
"""

import hashlib
import logging
import threading
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import connections, transaction

from . import passages

logger = logging.getLogger(__name__)

SCHEMA = [
    """CREATE TABLE IF NOT EXISTS search_passage (
        doc_key TEXT NOT NULL,
        n INTEGER NOT NULL,
        page_id INTEGER NOT NULL,
        locale TEXT NOT NULL,
        type TEXT NOT NULL,
        category TEXT NOT NULL,
        text_sha TEXT NOT NULL,
        text TEXT NOT NULL,
        PRIMARY KEY (doc_key, n)
    )""",
    "CREATE INDEX IF NOT EXISTS search_passage_page ON search_passage (page_id)",
    "CREATE INDEX IF NOT EXISTS search_passage_sha ON search_passage (text_sha)",
    """CREATE TABLE IF NOT EXISTS search_vector (
        model TEXT NOT NULL,
        text_sha TEXT NOT NULL,
        vector BLOB NOT NULL,
        PRIMARY KEY (model, text_sha)
    ) WITHOUT ROWID""",
    "CREATE TABLE IF NOT EXISTS search_semantic_meta (name TEXT PRIMARY KEY, value INTEGER)",
    "INSERT OR IGNORE INTO search_semantic_meta (name, value) VALUES ('version', 0)",
]
BATCH = 8  # texts embedded (and committed) together: a stopped pass loses at most these


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass
class Matrix:
    """The vectors of one locale's passages, ready for a dot product with a query."""

    vectors: np.ndarray  # (passages, dim)
    doc_of: np.ndarray  # passage -> document number
    keys: list[str]  # document number -> search document key
    types: list[str]
    categories: list[str]
    numbers: np.ndarray  # passage -> its number within the document
    starts: np.ndarray  # document number -> its first passage
    index: dict  # search document key -> document number


class PassageStore:
    def __init__(self, alias: str = "default", migrated: bool = False):
        self.alias = alias
        self._ready = migrated  # a migration made the tables in the site's own database
        self._matrices: dict = {}
        self._lock = threading.Lock()

    @property
    def connection(self):
        connection = connections[self.alias]
        if not self._ready:
            with connection.cursor() as cursor:
                for statement in SCHEMA:
                    cursor.execute(statement)
            self._ready = True
        return connection

    def _bump(self, cursor):
        cursor.execute("UPDATE search_semantic_meta SET value = random() WHERE name = 'version'")

    def version(self) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT value FROM search_semantic_meta WHERE name = 'version'")
            row = cursor.fetchone()
        return row[0] if row else 0

    # -- writing -------------------------------------------------------------------------

    def replace_pages(self, page_ids, documents, clear_all: bool = False) -> None:
        """Replace the passages of ``page_ids`` (or of every page) with ``documents``'."""
        rows = []
        for doc in documents:
            for n, text in enumerate(passages.passages_of(doc)):
                rows.append(
                    (doc.key, n, int(doc.page_id), doc.locale, doc.type, doc.category,
                     sha(text), text)
                )  # fmt: skip
        with transaction.atomic(using=self.alias), self.connection.cursor() as cursor:
            if clear_all:
                cursor.execute("DELETE FROM search_passage")
            else:
                ids = [int(i) for i in page_ids]
                for i in range(0, len(ids), 500):
                    part = ids[i : i + 500]
                    cursor.execute(
                        "DELETE FROM search_passage WHERE page_id IN "  # noqa: S608
                        f"({', '.join(['%s'] * len(part))})",
                        part,
                    )
            cursor.executemany(
                "INSERT OR REPLACE INTO search_passage "
                "(doc_key, n, page_id, locale, type, category, text_sha, text) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                rows,
            )
            self._bump(cursor)

    def missing(self, model: str) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(DISTINCT p.text_sha) FROM search_passage p "
                "LEFT JOIN search_vector v ON v.model = %s AND v.text_sha = p.text_sha "
                "WHERE v.text_sha IS NULL",
                [model],
            )
            return cursor.fetchone()[0]

    def embed_missing(
        self, embedder, progress=None, limit: int | None = None, embedded: list | None = None
    ) -> int:
        """Embed every passage text the model has no vector for; returns how many (and adds
        their hashes to ``embedded`` when given)."""
        done = 0
        while limit is None or done < limit:
            with self.connection.cursor() as cursor:
                cursor.execute(
                    "SELECT p.text_sha, min(p.text) FROM search_passage p "
                    "LEFT JOIN search_vector v ON v.model = %s AND v.text_sha = p.text_sha "
                    "WHERE v.text_sha IS NULL GROUP BY p.text_sha LIMIT %s",
                    [embedder.name, BATCH],
                )
                todo = cursor.fetchall()
            if not todo:
                break
            vectors = np.asarray(embedder.embed_passages([t for _, t in todo]), dtype=np.float32)
            pairs = zip(todo, vectors, strict=True)
            rows = [(embedder.name, s, v.tobytes()) for (s, _), v in pairs]
            with transaction.atomic(using=self.alias), self.connection.cursor() as cursor:
                cursor.executemany(
                    "INSERT OR REPLACE INTO search_vector (model, text_sha, vector) "
                    "VALUES (%s, %s, %s)",
                    rows,
                )
                self._bump(cursor)
            done += len(todo)
            if embedded is not None:
                embedded.extend(s for s, _ in todo)
            if progress:
                progress(len(todo))
        return done

    def vectors(self, model: str) -> list[tuple[str, bytes]]:
        """(text hash, vector) of every stored vector of ``model``."""
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT text_sha, vector FROM search_vector WHERE model = %s", [model])
            return cursor.fetchall()

    def add_vectors(self, model: str, rows: list[tuple[str, bytes]]) -> None:
        """Store vectors computed elsewhere (a saved pass): their texts are not embedded again."""
        with transaction.atomic(using=self.alias), self.connection.cursor() as cursor:
            cursor.executemany(
                "INSERT OR IGNORE INTO search_vector (model, text_sha, vector) VALUES (%s, %s, %s)",
                [(model, sha_, vector) for sha_, vector in rows],
            )
            self._bump(cursor)

    def document_vectors(self, model: str, documents) -> dict[str, list[tuple[int, np.ndarray]]]:
        """key -> [(passage number, vector)] of the passages of ``documents`` that ``model``
        has embedded (a remote index carries them beside the words)."""
        wanted = {}
        for doc in documents:
            for n, text in enumerate(passages.passages_of(doc)):
                wanted.setdefault(sha(text), []).append((doc.key, n))
        found: dict[str, list] = {doc.key: [] for doc in documents}
        shas = sorted(wanted)
        with self.connection.cursor() as cursor:
            for i in range(0, len(shas), 500):
                part = shas[i : i + 500]
                cursor.execute(
                    "SELECT text_sha, vector FROM search_vector WHERE model = %s AND "  # noqa: S608
                    f"text_sha IN ({', '.join(['%s'] * len(part))})",
                    [model, *part],
                )
                for text_sha, vector in cursor.fetchall():
                    for key, n in wanted[text_sha]:
                        found[key].append((n, np.frombuffer(vector, dtype=np.float32)))
        return {key: sorted(pairs, key=lambda pair: pair[0]) for key, pairs in found.items()}

    def pages_of(self, shas) -> list[int]:
        """The pages with a passage among ``shas``."""
        shas, pages = sorted(set(shas)), set()
        with self.connection.cursor() as cursor:
            for i in range(0, len(shas), 500):
                part = shas[i : i + 500]
                cursor.execute(
                    "SELECT DISTINCT page_id FROM search_passage WHERE "  # noqa: S608
                    f"text_sha IN ({', '.join(['%s'] * len(part))})",
                    part,
                )
                pages.update(row[0] for row in cursor.fetchall())
        return sorted(pages)

    def prune(self) -> None:
        """Drop vectors no passage uses any more (texts edited away, pages deleted)."""
        with transaction.atomic(using=self.alias), self.connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM search_vector WHERE text_sha NOT IN "
                "(SELECT text_sha FROM search_passage)"
            )

    # -- reading -------------------------------------------------------------------------

    def matrix(self, model: str, locale: str | None) -> Matrix | None:
        """The passage vectors of ``locale`` (every locale for None), cached until a write."""
        version = self.version()
        key = (model, locale)
        with self._lock:
            cached = self._matrices.get(key)
        if cached and cached[0] == version:
            return cached[1]
        matrix = self._load(model, locale)
        with self._lock:
            self._matrices[key] = (version, matrix)
        return matrix

    def _load(self, model: str, locale: str | None) -> Matrix | None:
        sql = (
            "SELECT p.doc_key, p.type, p.category, p.n, v.vector FROM search_passage p "
            "JOIN search_vector v ON v.model = %s AND v.text_sha = p.text_sha"
        )
        params = [model]
        if locale:
            sql += " WHERE p.locale = %s"
            params.append(locale)
        with self.connection.cursor() as cursor:
            cursor.execute(sql + " ORDER BY p.doc_key, p.n", params)
            rows = cursor.fetchall()
        if not rows:
            return None
        keys, types, categories, numbers, doc_of, starts = [], [], [], {}, [], []
        for i, (key, type_, category, _n, _vector) in enumerate(rows):
            if key not in numbers:
                numbers[key] = len(keys)
                keys.append(key)
                types.append(type_)
                categories.append(category)
                starts.append(i)
            doc_of.append(numbers[key])
        vectors = np.frombuffer(b"".join(r[4] for r in rows), dtype=np.float32)
        return Matrix(
            vectors=vectors.reshape(len(rows), -1),
            doc_of=np.asarray(doc_of, dtype=np.int32),
            keys=keys,
            types=types,
            categories=categories,
            numbers=np.asarray([r[3] for r in rows], dtype=np.int32),
            starts=np.asarray(starts, dtype=np.int64),
            index=numbers,
        )

    def passage_text(self, doc_key: str, n: int) -> str:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT text FROM search_passage WHERE doc_key = %s AND n = %s", [doc_key, int(n)]
            )
            row = cursor.fetchone()
        return row[0] if row else ""


_stores: dict[str, PassageStore] = {}


def _sqlite(alias) -> bool:
    return alias in connections.settings and connections[alias].vendor == "sqlite"


def store_for(engine) -> PassageStore | None:
    """The store kept beside ``engine``'s index: its SQLite database; for an engine on
    another server, the embedded index's (every site keeps one); else the site's own
    database when that is SQLite; None otherwise (search stays lexical)."""
    alias = engine.database
    if not _sqlite(alias):
        embedded = [
            config.get("OPTIONS", {}).get("DATABASE") for config in settings.SEARCH_ENGINES.values()
        ]
        alias = next((a for a in [*embedded, "default"] if _sqlite(a)), None)
        if alias is None:
            return None
    if alias not in _stores:
        _stores[alias] = PassageStore(alias, migrated=alias == "default")
    return _stores[alias]
