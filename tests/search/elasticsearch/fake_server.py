"""A loopback HTTP server that answers like Elasticsearch 8.19 for the requests the engine
makes, and is as strict as a real server where the engine could get things wrong.

What it holds to, as a real server does:
- ``from + size`` past an index's ``max_result_window`` is refused (400);
- an alias may point at several indexes; a single-document write through such an alias is
  refused, a search through it sees every index (hits twice); ``_aliases`` answers 200 with
  ``errors: true`` when a removal finds nothing (8.14+), or 404 for the whole request when
  that removal says ``must_exist``;
- ``dynamic: strict`` mappings refuse documents with unknown fields; index names are checked
  (lowercase, at most 255 bytes); a wildcard delete is refused;
- external versions: a write with a version not above the stored one is a 409;
- a kNN search needs its field mapped as a ``dense_vector`` (in a ``nested`` object for
  passages), ``num_candidates`` at least ``k`` and at most 10,000, and query vectors as long
  as the indexed ones; it scores a document by its closest vector, (1 + cosine) / 2, and
  names that vector in ``inner_hits``; ``_msearch`` answers several searches at once;
- writes are seen by searches only after a refresh (``refresh`` on the request, ``_refresh``
  or a ``refresh_interval``-free index never refreshing on its own);
- it can answer 429 for some bulk items, fail whole requests with 429/503, report failed
  shards or a time-out, require an API key, leave out the product header, serve over TLS,
  keep an index yellow (replicas nowhere to go) and hold a search open while others go on.

Searches evaluate the query's filters and words loosely (any word of a ``combined_fields``
in any of its fields); scores are all 1, hits in key order: enough to see which documents
are found, no substitute for the live suite. It listens on 127.0.0.1 only and stops itself
after ``lifetime`` seconds at the latest.
"""

import json
import re
import socket
import ssl
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

INFO = {
    "name": "fake",
    "cluster_name": "loopback",
    "version": {"number": "8.19.0", "build_flavor": "default"},
    "tagline": "You Know, for Search",
}
DEFAULT_WINDOW = 10_000
_BAD_NAME = re.compile(r'[\\/*?"<>| ,#:A-Z]')


class FakeElasticsearch:
    def __init__(self, port: int, lifetime: float = 60.0, tls: tuple[str, str] | None = None):
        self.port = port
        self.lifetime = lifetime
        self.tls = tls  # (certificate file, key file)
        self.indices: dict[str, dict[str, dict]] = {}  # physical index -> _id -> _source
        self.visible: dict[str, dict[str, dict]] = {}  # what searches see (last refresh)
        self.versions: dict[str, dict[str, int]] = {}  # index -> _id -> version (tombstones too)
        self.mappings: dict[str, dict] = {}
        self.settings: dict[str, dict] = {}
        self.aliases: dict[str, list[str]] = {}  # alias -> physical indexes
        self.requests: list[tuple[str, str]] = []
        # -- misbehaviour a test asks for ---------------------------------------------------
        self.refuse_ids: set[str] = set()  # documents answered with a mapping error
        self.too_busy_items = 0  # this many bulk items are answered 429 before any succeeds
        self.failures: list[tuple[str, int]] = []  # (path pattern, status) for next requests
        self.search_delay = 0.0  # seconds a search waits before answering
        self.shard_failures = 0
        self.timed_out = False
        self.api_key: str | None = None  # required in "Authorization: ApiKey ..." when set
        self.product_header = True
        self.data_nodes = 1
        self.replicas_placed = True  # False: replicas never start, the index stays yellow
        self.before_aliases = None  # called (under the lock) before an _aliases request
        self.connections: set = set()
        self._server = None
        self._stopper = None
        self.lock = threading.Lock()

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> "FakeElasticsearch":
        fake = self

        class Handler(_Handler):
            server_state = fake

        self._server = _QuietServer(("127.0.0.1", self.port), Handler)
        if self.tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*self.tls)
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        self._stopper = threading.Timer(self.lifetime, self.stop)
        self._stopper.daemon = True
        self._stopper.start()
        return self

    def stop(self) -> None:
        """Stop listening and drop open connections, as a server that went away would."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        for connection in list(self.connections):
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already closed by the client
        self.connections.clear()
        if self._stopper is not None:
            self._stopper.cancel()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def create_index(self, alias: str, name: str | None = None) -> str:
        """An empty index behind ``alias``, as a site's index was before the test."""
        name = name or f"{alias}--0"
        self._create(name, {"aliases": {alias: {}}})
        return name

    def fail_next(self, pattern: str, status: int, times: int = 1) -> None:
        """Answer the next ``times`` requests whose path matches ``pattern`` with ``status``."""
        self.failures += [(pattern, status)] * times

    # -- what arrived ----------------------------------------------------------------------

    def documents(self, alias: str) -> dict[str, dict]:
        names = self.aliases.get(alias) or [alias]
        return {k: d for name in names for k, d in self.indices.get(name, {}).items()}

    def count(self, method: str, pattern: str) -> int:
        return sum(1 for m, path in self.requests if m == method and re.search(pattern, path))

    def behind(self, alias: str) -> list[str]:
        return sorted(self.aliases.get(alias, []))

    # -- answers ----------------------------------------------------------------------------

    def answer(self, method: str, path: str, query: dict, headers, body: bytes):
        parts = [p for p in path.split("/") if p]
        with self.lock:
            self.requests.append((method, path))
            if self.api_key and headers.get("Authorization") != f"ApiKey {self.api_key}":
                return 401, _error("security_exception", "unable to authenticate", 401)
            for i, (pattern, status) in enumerate(self.failures):
                if re.search(pattern, f"{method} {path}"):
                    del self.failures[i]
                    kind = "es_rejected_execution_exception" if status == 429 else "unavailable"
                    return status, _error(kind, "failing as the test asked", status)
            params = {k: v[-1] for k, v in query.items()}
            if not parts:
                return 200, INFO
            if parts[0] == "_cluster" and parts[1] == "health":
                return self._health(parts[2] if len(parts) > 2 else None, params)
            if parts[0] == "_bulk" or parts[-1] == "_bulk":
                default = parts[0] if parts[0] != "_bulk" else None
                return 200, self._bulk(body, default, params)
            if parts[0] == "_alias":
                exists = parts[1] in self.aliases
                if method == "HEAD":
                    return (200 if exists else 404), None
                return self._get_alias(parts[1])
            if parts[0] == "_aliases":
                if self.before_aliases:
                    self.before_aliases()
                return self._update_aliases(json.loads(body))
            action = parts[1] if len(parts) > 1 else ""
            if action == "_alias":
                if len(parts) > 2:
                    return self._get_alias(parts[2])
                names = [n for n in self.indices if _matches(parts[0], n)]
                return 200, {n: {"aliases": self._aliases_of(n)} for n in names}
            if method == "PUT" and not action:
                return self._create(parts[0], json.loads(body or b"{}"))
            if method == "DELETE" and not action:
                return self._delete(parts[0])
            names = self._resolve(parts[0])
            if not names and "*" not in parts[0]:
                return 404, _missing(parts[0])
            if method == "HEAD" and not action:
                return 200, None
            if action == "_mapping" and method == "GET":
                return 200, {n: {"mappings": self.mappings[n]} for n in names}
            if action == "_settings":
                for name in names:
                    self.settings[name].update(json.loads(body or b"{}"))
                return 200, {"acknowledged": True}
            if action == "_refresh":
                for name in names:
                    self.visible[name] = dict(self.indices[name])
                return 200, {"_shards": {"total": 1, "successful": 1, "failed": 0}}
            if action == "_delete_by_query":
                return 200, self._delete_by_query(names, json.loads(body), params)
            if action == "_count":
                return 200, {"count": sum(len(self.visible[n]) for n in names)}
            if action == "_search":
                return self._search(names, json.loads(body or b"{}"), params)
            if action == "_msearch":
                return self._msearch(names, body, params)
            if method == "GET" and not action:
                matching = [n for n in self.indices if _matches(parts[0], n)]
                return 200, {
                    n: {"aliases": self._aliases_of(n), "mappings": {}, "settings": {}}
                    for n in matching
                }
            return 400, _error("unsupported", f"{method} {path}", 400)

    def _resolve(self, name: str) -> list[str]:
        if name in self.aliases:
            return list(self.aliases[name])
        return [n for n in self.indices if _matches(name, n)]

    def _aliases_of(self, name: str) -> dict:
        return {alias: {} for alias, names in self.aliases.items() if name in names}

    def _create(self, name: str, body: dict):
        if (
            len(name.encode()) > 255
            or _BAD_NAME.search(name)
            or name[:1] in "-_+"
            or name in (".", "..")
        ):
            return 400, _error("invalid_index_name_exception", f"Invalid index name [{name}]", 400)
        if name in self.indices:
            return 400, _error("resource_already_exists_exception", f"[{name}] exists", 400)
        self.indices[name], self.visible[name], self.versions[name] = {}, {}, {}
        self.mappings[name] = body.get("mappings") or {}
        settings = dict(body.get("settings") or {})
        settings.update(settings.pop("index", {}))
        self.settings[name] = settings
        for alias in body.get("aliases", {}):
            self.aliases.setdefault(alias, []).append(name)
        return 200, {"acknowledged": True, "shards_acknowledged": True, "index": name}

    def _delete(self, names: str):
        if "*" in names:
            reason = "Wildcard expressions or all indices are not allowed"
            return 400, _error("illegal_argument_exception", reason, 400)
        for name in names.split(","):
            if name not in self.indices:
                return 404, _missing(name)
        for name in names.split(","):
            for store in (self.indices, self.visible, self.versions, self.mappings, self.settings):
                store.pop(name, None)
            for alias in list(self.aliases):
                self.aliases[alias] = [n for n in self.aliases[alias] if n != name]
                if not self.aliases[alias]:
                    del self.aliases[alias]
        return 200, {"acknowledged": True}

    def _get_alias(self, alias: str):
        if alias not in self.aliases:
            return 404, {"error": f"alias [{alias}] missing", "status": 404}
        return 200, {name: {"aliases": {alias: {}}} for name in self.aliases[alias]}

    def _update_aliases(self, body: dict):
        results, errors = [], False
        for action in body["actions"]:
            ((kind, spec),) = action.items()
            names = self.aliases.get(spec["alias"], [])
            if kind == "remove" and spec["index"] not in names:
                if spec.get("must_exist"):
                    # Nothing of the request is applied.
                    return 404, _error("aliases_not_found_exception", spec["alias"], 404)
                errors = True
                results.append({"action": {"type": "remove"}, "status": 404})
            elif kind == "add" and spec["index"] not in self.indices:
                return 404, _missing(spec["index"])
            else:
                results.append({"action": {"type": kind}, "status": 200})
        for action in body["actions"]:
            ((kind, spec),) = action.items()
            names = self.aliases.setdefault(spec["alias"], [])
            if kind == "add" and spec["index"] not in names:
                names.append(spec["index"])
            elif kind == "remove" and spec["index"] in names:
                names.remove(spec["index"])
            if not names:
                del self.aliases[spec["alias"]]
        answer = {"acknowledged": True, "errors": errors}
        if errors:
            answer["action_results"] = results
        return 200, answer

    def _health(self, index: str | None, params: dict):
        status = "green"
        for name in self._resolve(index) if index else self.indices:
            replicas = int(self.settings.get(name, {}).get("number_of_replicas", 1))
            if replicas and (replicas >= self.data_nodes or not self.replicas_placed):
                status = "yellow"
        rank = {"green": 0, "yellow": 1, "red": 2}
        wanted = params.get("wait_for_status")
        timed_out = bool(wanted) and rank[status] > rank[wanted]
        answer = {
            "cluster_name": "loopback",
            "status": status,
            "timed_out": timed_out,
            "number_of_nodes": self.data_nodes,
            "number_of_data_nodes": self.data_nodes,
        }
        return (408 if timed_out else 200), answer

    def _bulk(self, body: bytes, default_index: str | None, params: dict) -> dict:
        lines = [json.loads(line) for line in body.decode().splitlines() if line.strip()]
        items, errors, touched = [], False, set()
        i = 0
        while i < len(lines):
            ((op, meta),) = lines[i].items()
            source = lines[i + 1] if op != "delete" else None
            i += 1 if op == "delete" else 2
            status, result = self._bulk_item(op, meta, source, default_index, params, touched)
            errors = errors or status >= 300
            items.append({op: {"_id": meta["_id"], "status": status, **result}})
        if params.get("refresh") in ("true", "wait_for", ""):
            for name in touched:
                self.visible[name] = dict(self.indices[name])
        return {"took": 1, "errors": errors, "items": items}

    def _bulk_item(self, op, meta, source, default_index, params, touched):
        if self.too_busy_items:
            self.too_busy_items -= 1
            return 429, {"error": {"type": "es_rejected_execution_exception", "reason": "busy"}}
        name = meta.get("_index") or default_index
        names = self._resolve(name)
        if len(names) > 1:
            reason = f"alias [{name}] has more than one index associated with it {names}"
            return 400, {"error": {"type": "illegal_argument_exception", "reason": reason}}
        if not names:
            if params.get("require_alias") == "true" or op == "delete":
                return 404, {"error": {"type": "index_not_found_exception", "reason": name}}
            self._create(name, {})  # a real server creates it, with dynamic mappings
            names = [name]
        index = names[0]
        touched.add(index)
        doc_id, versions = meta["_id"], self.versions[index]
        external = meta.get("version_type") == "external"
        if external and meta["version"] <= versions.get(doc_id, -1):
            reason = f"[{doc_id}]: version conflict, current version is higher or equal"
            return 409, _item_error("version_conflict_engine_exception", reason)
        if op != "delete":
            if doc_id in self.refuse_ids:
                return 400, _item_error("document_parsing_exception", "refused by the test")
            mapping = self.mappings[index]
            unknown = set(source) - set(mapping.get("properties", {}))
            if mapping.get("dynamic") == "strict" and unknown:
                reason = f"mapping set to strict, dynamic introduction of {sorted(unknown)}"
                return 400, _item_error("strict_dynamic_mapping_exception", reason)
        versions[doc_id] = meta["version"] if external else versions.get(doc_id, 0) + 1
        if op == "delete":
            if self.indices[index].pop(doc_id, None) is None:
                return 404, {"result": "not_found"}
            return 200, {"result": "deleted"}
        self.indices[index][doc_id] = source
        return 201, {"_index": index, "result": "created", "_version": versions[doc_id]}

    def _delete_by_query(self, names: list[str], body: dict, params: dict) -> dict:
        """Deletes what searches see: documents written since the last refresh survive."""
        gone = 0
        for name in names:
            for key, doc in list(self.visible[name].items()):
                if _match(body["query"], key, doc) and key in self.indices[name]:
                    del self.indices[name][key]
                    gone += 1
            if params.get("refresh") == "true":
                self.visible[name] = dict(self.indices[name])
        return {"took": 1, "deleted": gone, "failures": [], "total": gone}

    def _msearch(self, names: list[str], body: bytes, params: dict):
        lines = [json.loads(line) for line in body.decode().splitlines() if line.strip()]
        responses = []
        for header, search in zip(lines[::2], lines[1::2], strict=True):
            targets = self._resolve(header["index"]) if header.get("index") else names
            status, answer = self._search(targets, search, params)
            responses.append({**answer, "status": status})
        return 200, {"took": 1, "responses": responses}

    def _knn(self, names: list[str], body: dict):
        knn = body["knn"]
        k, candidates = knn["k"], knn.get("num_candidates", knn["k"])
        if not 0 < k <= candidates <= 10_000:
            reason = f"[num_candidates] must be >= [k] and <= 10000, got k={k} and {candidates}"
            return 400, _error("illegal_argument_exception", reason, 400)
        outer, _, inner = knn["field"].rpartition(".")
        for name in names:
            properties = self.mappings[name].get("properties", {})
            holder = properties.get(outer, {}) if outer else {"properties": properties}
            field = holder.get("properties", {}).get(inner, {})
            if field.get("type") != "dense_vector" or (outer and holder.get("type") != "nested"):
                reason = (
                    f"[knn] queries are only supported on [dense_vector] fields: {knn['field']}"
                )
                return 400, _error("illegal_argument_exception", reason, 400)
        query = knn["query_vector"]
        filters = knn.get("filter", [])
        scored = []
        for name in names:
            for key, doc in sorted(self.visible[name].items()):
                if not all(_match(f, key, doc) for f in _values(filters)):
                    continue
                best = None
                for offset, item in enumerate(
                    _values(_field(doc, outer) or []) if outer else [doc]
                ):
                    vector = item.get(inner)
                    if not vector:
                        continue
                    if len(vector) != len(query):
                        reason = f"dims of the query vector [{len(query)}] != [{len(vector)}]"
                        return 400, _error("illegal_argument_exception", reason, 400)
                    score = (1 + _cosine(query, vector)) / 2
                    if best is None or score > best[0]:
                        best = (score, offset, item)
                if best:
                    scored.append((best, name, key, doc))
        scored.sort(key=lambda s: -s[0][0])
        hits = []
        for (score, offset, item), name, key, doc in scored[:k][: body.get("size", k)]:
            inner_source = {n: v for n, v in item.items() if f"{outer}.{n}" in _wanted(knn)}
            nested = {
                "_index": name, "_id": key, "_score": score,
                "_nested": {"field": outer, "offset": offset}, "_source": inner_source,
            }  # fmt: skip
            inner_hits = {outer: {"hits": {"total": {"value": 1}, "hits": [nested]}}}
            hits.append(
                {"_index": name, "_id": key, "_score": score, "_source": doc}
                | ({"inner_hits": inner_hits} if "inner_hits" in knn and outer else {})
            )
        return 200, {
            "took": 1,
            "timed_out": False,
            "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
            "hits": {"total": {"value": len(hits), "relation": "eq"}, "hits": hits},
        }

    def _search(self, names: list[str], body: dict, params: dict):
        if "knn" in body:
            return self._knn(names, body)
        window = min(
            int(self.settings.get(n, {}).get("max_result_window", DEFAULT_WINDOW)) for n in names
        )
        start, size = body.get("from", 0), body.get("size", 10)
        if start + size > window:
            reason = (
                f"Result window is too large, from + size must be less than or equal to: "
                f"[{window}] but was [{start + size}]."
            )
            return 400, _error("illegal_argument_exception", reason, 400)
        if self.search_delay:
            self.lock.release()  # other requests go on while this one is slow
            try:
                time.sleep(self.search_delay)
            finally:
                self.lock.acquire()
            for name in names:
                if name not in self.indices:  # deleted while this search ran
                    return 404, _missing(name)
        query = body.get("query", {"match_all": {}})
        found = [
            (name, key, doc)
            for name in names
            for key, doc in sorted(self.visible[name].items())
            if _match(query, key, doc)
        ]
        pinned = _pinned(query)
        found.sort(key=lambda f: (f[1] not in pinned, pinned.index(f[1]) if f[1] in pinned else 0))
        post = body.get("post_filter")
        shown = [f for f in found if not post or _match(post, f[1], f[2])]
        hits = [
            {"_index": name, "_id": key, "_score": 1.0, "_source": doc}
            | ({"_version": self.versions[name][key]} if body.get("version") else {})
            for name, key, doc in shown[start : start + size]
        ]
        aggregations = {}
        for name, agg in body.get("aggs", {}).items():
            if "composite" in agg:  # the vocabulary: every word, one page
                words = {}
                for *_, doc in found:
                    for word in doc.get("vocab", []):
                        words[word] = words.get(word, 0) + 1
                buckets = [{"key": {"term": w}, "doc_count": n} for w, n in sorted(words.items())]
                aggregations[name] = {"buckets": buckets}
                continue
            scoped = [f for f in found if _match(agg.get("filter", {"match_all": {}}), *f[1:])]
            field = agg.get("aggs", {}).get("values", {}).get("terms", {}).get("field")
            counts = {}
            for *_, doc in scoped:
                counts[doc.get(field)] = counts.get(doc.get(field), 0) + 1
            buckets = [{"key": k, "doc_count": n} for k, n in counts.items() if k is not None]
            aggregations[name] = {"doc_count": len(scoped), "values": {"buckets": buckets}}
        shards = {"total": 1 + self.shard_failures, "successful": 1, "skipped": 0}
        shards["failed"] = self.shard_failures
        if self.shard_failures:
            shards["failures"] = [{"shard": 1, "reason": {"type": "node_not_connected"}}]
        return 200, {
            "took": 1,
            "timed_out": self.timed_out,
            "_shards": shards,
            "hits": {
                "total": {"value": len(shown), "relation": "eq"},
                "max_score": 1.0,
                "hits": hits,
            },
            "aggregations": aggregations,
        }


# -- evaluating queries, loosely ---------------------------------------------------------------


def _field(doc: dict, path: str):
    value = doc
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _words(doc: dict, path: str) -> list[str]:
    value = _field(doc, path.split("^")[0])
    return str(value).split() if value else []


def _values(value) -> list:
    return value if isinstance(value, list) else [value]


def _match(query: dict, key: str, doc: dict) -> bool:  # noqa: C901, PLR0911 (one case each)
    ((kind, spec),) = query.items()
    if kind == "match_all":
        return True
    if kind == "match_none":
        return False
    if kind == "bool":
        must = _values(spec.get("must", [])) + _values(spec.get("filter", []))
        should = _values(spec.get("should", []))
        if not all(_match(q, key, doc) for q in must):
            return False
        if any(_match(q, key, doc) for q in _values(spec.get("must_not", []))):
            return False
        needed = spec.get("minimum_should_match", 0 if must else 1)
        return not should or sum(_match(q, key, doc) for q in should) >= needed
    if kind == "ids":
        return key in spec["values"]
    if kind == "pinned":
        return key in spec["ids"] or _match(spec["organic"], key, doc)
    ((field, value),) = spec.items() if kind not in ("combined_fields", "multi_match") else [(0, 0)]
    if kind == "terms":
        return bool(set(_values(_field(doc, field))) & set(value))
    if kind == "term":
        value = value["value"] if isinstance(value, dict) else value
        return value in _values(_field(doc, field)) or value in _words(doc, field)
    if kind == "exists":
        return _field(doc, spec["field"]) is not None
    if kind == "range":
        current = _field(doc, field)
        return current is not None and all(
            datetime.fromisoformat(current) > datetime.fromisoformat(v)
            for op, v in value.items()
            if op == "gt"
        )
    if kind == "prefix":
        return any(w.startswith(value["value"]) for w in _words(doc, field))
    if kind in ("combined_fields", "multi_match"):
        words = spec["query"].split()
        fields = [_words(doc, f) for f in spec["fields"]]
        if kind == "combined_fields":
            return any(w in f for f in fields for w in words)
        return any(all(w in f for w in words) for f in fields)
    return True


def _cosine(a: list[float], b: list[float]) -> float:
    norms = sum(x * x for x in a) ** 0.5 * sum(y * y for y in b) ** 0.5
    return sum(x * y for x, y in zip(a, b, strict=True)) / norms if norms else 0.0


def _wanted(knn: dict) -> list[str]:
    source = knn.get("inner_hits", {}).get("_source", [])
    return source if isinstance(source, list) else []


def _pinned(query: dict) -> list[str]:
    must = query.get("bool", {}).get("must", [])
    for clause in must if isinstance(must, list) else [must]:
        if "pinned" in clause:
            return clause["pinned"]["ids"]
    return []


def _matches(pattern: str, name: str) -> bool:
    return any(re.fullmatch(re.escape(p).replace(r"\*", ".*"), name) for p in pattern.split(","))


def _item_error(kind: str, reason: str) -> dict:
    return {"error": {"type": kind, "reason": reason}}


def _error(kind: str, reason: str, status: int) -> dict:
    error = {"type": kind, "reason": reason}
    return {"error": {**error, "root_cause": [error]}, "status": status}


def _missing(name: str) -> dict:
    error = {
        "type": "index_not_found_exception",
        "reason": f"no such index [{name}]",
        "index": name,
    }
    return {"error": {**error, "root_cause": [error]}, "status": 404}


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a connection cut by stop() or by a client that gave up waiting is expected


class _Handler(BaseHTTPRequestHandler):
    server_state: FakeElasticsearch
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        self.server_state.connections.add(self.connection)

    def finish(self):
        self.server_state.connections.discard(self.connection)
        super().finish()

    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        url = urlsplit(self.path)
        status, payload = self.server_state.answer(
            self.command,
            unquote(url.path),
            parse_qs(url.query, keep_blank_values=True),
            self.headers,
            body,
        )
        data = b"" if payload is None or self.command == "HEAD" else json.dumps(payload).encode()
        self.send_response(status)
        if self.server_state.product_header:
            self.send_header("X-Elastic-Product", "Elasticsearch")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

    def log_message(self, format, *args):  # noqa: A002 (the base class names it so)
        pass
