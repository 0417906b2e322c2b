"""A loopback HTTP server that answers like Elasticsearch for the few requests the engine
makes, so the outage tests can take a server away and bring it back.

It keeps documents as they arrive and answers a search with every stored document: enough to
see what reached the server and which engine answered, no substitute for the live suite. It
listens on 127.0.0.1 only and stops itself after ``lifetime`` seconds at the latest.
"""

import json
import re
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

INFO = {
    "name": "fake",
    "cluster_name": "loopback",
    "version": {"number": "8.19.0", "build_flavor": "default"},
    "tagline": "You Know, for Search",
}


class FakeElasticsearch:
    def __init__(self, port: int, lifetime: float = 60.0):
        self.port = port
        self.lifetime = lifetime
        self.indices: dict[str, dict[str, dict]] = {}  # physical index -> _id -> _source
        self.aliases: dict[str, str] = {}  # alias -> physical index
        self.requests: list[tuple[str, str]] = []
        self.refuse_ids: set[str] = set()  # documents answered with a mapping error
        self.search_delay = 0.0  # seconds a search waits before answering
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

    def create_index(self, alias: str) -> None:
        """An empty index behind ``alias``, as a site's index was before the test."""
        self._create(f"{alias}--0", {"aliases": {alias: {}}})

    # -- what arrived ----------------------------------------------------------------------

    def documents(self, alias: str) -> dict[str, dict]:
        return self.indices.get(self.aliases.get(alias, alias), {})

    def count(self, method: str, pattern: str) -> int:
        return sum(1 for m, path in self.requests if m == method and re.search(pattern, path))

    # -- answers ----------------------------------------------------------------------------

    def resolve(self, name: str) -> str:
        return self.aliases.get(name, name)

    def answer(self, method: str, path: str, body: bytes) -> tuple[int, object]:
        parts = [p for p in path.split("/") if p]
        with self.lock:
            self.requests.append((method, path))
            if not parts:
                return 200, INFO
            if parts[0] == "_bulk" or parts[-1] == "_bulk":
                return 200, self._bulk(body, parts[0] if parts[0] != "_bulk" else None)
            if parts[0] == "_alias" and method == "HEAD":
                return (200 if parts[1] in self.aliases else 404), None
            if parts[0] == "_alias":
                return self._get_alias(parts[1])
            if parts[0] == "_aliases":
                return 200, self._update_aliases(json.loads(body))
            index = self.resolve(parts[0])
            action = parts[1] if len(parts) > 1 else ""
            if action == "_alias":
                return self._get_alias(parts[2])
            if method == "PUT" and not action:
                return 200, self._create(parts[0], json.loads(body or b"{}"))
            if method == "DELETE" and not action:
                for name in parts[0].split(","):
                    self.indices.pop(name, None)
                    self.aliases = {a: i for a, i in self.aliases.items() if i != name}
                return 200, {"acknowledged": True}
            if index not in self.indices and not parts[0].endswith("*"):
                return 404, _missing(parts[0])
            if method == "HEAD" and not action:
                return 200, None
            if action in ("_settings", "_refresh"):
                return 200, {
                    "acknowledged": True,
                    "_shards": {"total": 1, "successful": 1, "failed": 0},
                }
            if action == "_delete_by_query":
                return 200, self._delete_by_query(index, json.loads(body))
            if action == "_count":
                return 200, {"count": len(self.indices[index])}
            if action == "_search":
                return self._search(index, json.loads(body or b"{}"))
            if method == "GET" and not action:
                names = [n for n in self.indices if re.fullmatch(parts[0].replace("*", ".*"), n)]
                return 200, {n: {"aliases": {}, "mappings": {}, "settings": {}} for n in names}
            return 400, {
                "error": {"type": "unsupported", "reason": f"{method} {path}"},
                "status": 400,
            }

    def _create(self, name: str, body: dict) -> dict:
        self.indices[name] = {}
        for alias in body.get("aliases", {}):
            self.aliases[alias] = name
        return {"acknowledged": True, "shards_acknowledged": True, "index": name}

    def _get_alias(self, alias: str):
        if alias not in self.aliases:
            return 404, {"error": f"alias [{alias}] missing", "status": 404}
        return 200, {self.aliases[alias]: {"aliases": {alias: {}}}}

    def _update_aliases(self, body: dict) -> dict:
        for action in body["actions"]:
            ((kind, spec),) = action.items()
            if kind == "add":
                self.aliases[spec["alias"]] = spec["index"]
            elif self.aliases.get(spec["alias"]) == spec["index"]:
                del self.aliases[spec["alias"]]
        return {"acknowledged": True}

    def _bulk(self, body: bytes, default_index: str | None) -> dict:
        lines = [json.loads(line) for line in body.decode().splitlines() if line.strip()]
        items, errors = [], False
        i = 0
        while i < len(lines):
            ((op, meta),) = lines[i].items()
            index = self.resolve(meta.get("_index") or default_index)
            doc_id = meta["_id"]
            if op == "delete":
                self.indices.get(index, {}).pop(doc_id, None)
                items.append(
                    {op: {"_index": index, "_id": doc_id, "status": 200, "result": "deleted"}}
                )
                i += 1
                continue
            source = lines[i + 1]
            i += 2
            if doc_id in self.refuse_ids:
                errors = True
                error = {"type": "document_parsing_exception", "reason": "refused by the test"}
                items.append({op: {"_index": index, "_id": doc_id, "status": 400, "error": error}})
                continue
            self.indices.setdefault(index, {})[doc_id] = source
            items.append({op: {"_index": index, "_id": doc_id, "status": 201, "result": "created"}})
        return {"took": 1, "errors": errors, "items": items}

    def _delete_by_query(self, index: str, body: dict) -> dict:
        query = body["query"]["bool"]
        pages = set(query["filter"][0]["terms"]["page_id"])
        keep = set(query.get("must_not", [{}])[0].get("ids", {}).get("values", []))
        docs = self.indices[index]
        gone = [k for k, d in docs.items() if d["page_id"] in pages and k not in keep]
        for key in gone:
            del docs[key]
        return {"took": 1, "deleted": len(gone), "failures": [], "total": len(gone)}

    def _search(self, index: str, body: dict):
        if self.search_delay:
            self.lock.release()  # other requests go on while this one is slow
            try:
                time.sleep(self.search_delay)
            finally:
                self.lock.acquire()
        docs = sorted(self.indices[index].items())
        start, size = body.get("from", 0), body.get("size", 10)
        hits = [
            {"_index": index, "_id": k, "_score": 1.0, "_source": d}
            for k, d in docs[start : start + size]
        ]
        aggregations = {}
        for name, agg in body.get("aggs", {}).items():
            if "composite" in agg:  # the vocabulary: every word, one page
                words = {}
                for _, doc in docs:
                    for word in doc.get("vocab", []):
                        words[word] = words.get(word, 0) + 1
                buckets = [{"key": {"term": w}, "doc_count": n} for w, n in sorted(words.items())]
                aggregations[name] = {"buckets": buckets}
                continue
            field = agg.get("aggs", {}).get("values", {}).get("terms", {}).get("field")
            counts = {}
            for _, doc in docs:
                counts[doc.get(field)] = counts.get(doc.get(field), 0) + 1
            buckets = [{"key": k, "doc_count": n} for k, n in counts.items() if k is not None]
            aggregations[name] = {"doc_count": len(docs), "values": {"buckets": buckets}}
        return 200, {
            "took": 1,
            "timed_out": False,
            "hits": {
                "total": {"value": len(docs), "relation": "eq"},
                "max_score": 1.0,
                "hits": hits,
            },
            "aggregations": aggregations,
        }


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
        status, payload = self.server_state.answer(
            self.command, unquote(urlsplit(self.path).path), body
        )
        data = b"" if payload is None or self.command == "HEAD" else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("X-Elastic-Product", "Elasticsearch")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

    def log_message(self, format, *args):  # noqa: A002 (the base class names it so)
        pass
