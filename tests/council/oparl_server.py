"""A real OParl server on 127.0.0.1 for the sync tests and the benchmark.

It serves ../shared/fixtures/oparl/ over HTTP (http.server in a thread, HTTP/1.1 keep-alive):
- `karlsruhe`: the 345 papers of the Karlsruhe sample (335 live, 10 deleted placeholders), ids
  rewritten from https://web1.karlsruhe.de/oparl to the local address; System and Body from the
  OParl 1.1 specification examples; File `text` from karlsruhe-sample/file-texts/<id>.txt;
  the organizations the papers are under the direction of, constructed (see
  `_derive_organizations`);
- `karlsruhe_1_0`: part of the same papers as an OParl 1.0 server would give them, under the
  System and Body of a real 1.0 endpoint (real-endpoints-1.0/, Stadt Krefeld);
- `synthetic`: any number of generated papers for the benchmark.
Lists are paginated (`page`, page size `limit`, links.next/last) and honour `modified_since`.
Every request is recorded in `log`; `fault` injects errors, delays, broken JSON and dropped
connections into chosen requests.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "oparl"
SAMPLE = FIXTURES / "karlsruhe-sample"
KARLSRUHE = "https://web1.karlsruhe.de/oparl"
BODY = "bodies/0001"
PDF_TEXT = (
    "Anlage zur Vorlage. Der Gemeinderat beschließt die energetische Sanierung der "
    "Grundschule und die Umstellung der städtischen Gebäude auf Ökostrom."
)


@dataclass
class Dataset:
    """What the server answers, by URL path: single objects, lists and file downloads."""

    entry: str
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)
    lists: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    downloads: dict[str, bytes] = field(default_factory=dict)

    def add(self, obj: dict[str, Any]) -> None:
        self.objects[urlsplit(obj["id"]).path] = obj


@dataclass
class Fault:
    """Misbehaviour for the requests whose path and query contain `match`: the first `skip`
    of them pass, the next `times` (None: all, until `reset_faults`) misbehave."""

    kind: str  # "status", "slow", "malformed" or "drop"
    match: str = ""
    skip: int = 0
    times: int | None = 1
    status: int = 500
    retry_after: str | None = None
    delay: float = 0.0
    seen: int = 0

    def applies(self, target: str) -> bool:
        if self.match not in target:
            return False
        self.seen += 1
        return self.seen > self.skip and (self.times is None or self.seen <= self.skip + self.times)


@functools.cache
def sample_pdf() -> bytes:
    """A one-page PDF with a text layer, made once per test session."""
    from weasyprint import HTML

    return HTML(string=f"<html lang='de'><body><p>{PDF_TEXT}</p></body></html>").write_pdf()


def _file_text(file_id: str) -> str:
    path = SAMPLE / "file-texts" / f"{file_id.rsplit('/', 1)[1]}.txt"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    return text if text.strip() else ""


def _files_of(paper: dict[str, Any]) -> list[dict[str, Any]]:
    main = [paper["mainFile"]] if isinstance(paper.get("mainFile"), dict) else []
    return main + [f for f in paper.get("auxiliaryFile", []) if isinstance(f, dict)]


def _derive_meetings(papers: list[dict[str, Any]], version: str) -> list[dict[str, Any]]:
    """Meetings for the consultations of `papers`. The Karlsruhe sample has no Meeting objects,
    so they are constructed for the test: a meeting takes place 14 days after the earliest
    paper it discusses, at 17:00."""
    first: dict[str, dt.date] = {}
    for paper in papers:
        if not paper.get("date"):
            continue
        day = dt.date.fromisoformat(paper["date"])
        for consultation in paper.get("consultation", []):
            if isinstance(consultation, dict) and consultation.get("meeting"):
                url = consultation["meeting"]
                first[url] = min(first.get(url, day), day)
    return [
        {
            "id": url,
            "type": f"https://schema.oparl.org/{version}/Meeting",
            "name": f"Sitzung {url.rsplit('/', 1)[1]}",
            "start": f"{day + dt.timedelta(days=14)}T17:00:00+01:00",
            "cancelled": False,
            "created": "2025-03-03T12:00:00+01:00",
            "modified": "2025-03-03T12:00:00+01:00",
        }
        for url, day in sorted(first.items())
    ]


def _derive_organizations(
    base: str, papers: list[dict[str, Any]], version: str
) -> list[dict[str, Any]]:
    """The organizations named in the papers' `underDirectionOf`, and the council. The Karlsruhe
    sample has no Organization objects, so they are constructed for the test with made-up names
    ("Amt 10", "Amt 11" … in the order of their ids; the real offices behind the ids are not
    known), in the shape of the OParl examples (real-endpoints-1.0/oparl/Organization.json for
    1.0, spec-1.1/examples/Organization-01.json, the same fields)."""
    body = f"{base}/{BODY}"
    council = {
        "id": f"{body}/organizations/gr/1",
        "name": "Gemeinderat",
        "shortName": "GR",
        "organizationType": "Gremium",
        "classification": "Gemeinderat",
    }
    addresses = sorted({a for p in papers for a in p.get("underDirectionOf", [])})
    offices = [
        {
            "id": address,
            "name": f"Amt {10 + n}",
            "shortName": f"A{10 + n}",
            "organizationType": "Verwaltungsbereich",
            "classification": "Amt",
        }
        for n, address in enumerate(addresses)
    ]
    return [
        {
            **organization,
            "type": f"https://schema.oparl.org/{version}/Organization",
            "body": body,
            "startDate": "2004-07-01",
            "created": "2016-10-12T09:08:36+02:00",
            "modified": "2025-03-03T12:00:00+01:00",
        }
        for organization in [council, *offices]
    ]


def _load_papers(base: str, count: int | None = None) -> list[dict[str, Any]]:
    names = json.loads((SAMPLE / "sample-index.json").read_text(encoding="utf-8"))
    return [
        json.loads((SAMPLE / "papers" / name).read_text(encoding="utf-8").replace(KARLSRUHE, base))
        for name in names[:count]
    ]


def _spec_example(name: str, base: str) -> dict[str, Any]:
    text = (FIXTURES / "spec-1.1" / "examples" / name).read_text(encoding="utf-8")
    return json.loads(text.replace("https://oparl.example.org", base))


def _serve_papers(data: Dataset, base: str, papers: list[dict[str, Any]], version: str) -> None:
    """Register papers, their files (with text or a PDF to download), consultations, the
    derived meetings and organizations, and the three lists of the body."""
    for paper in papers:
        data.add(paper)
        for item in _files_of(paper):
            data.add(item)
            text = _file_text(item["id"])
            if text:
                item["text"] = text
            else:
                for key in ("accessUrl", "downloadUrl"):
                    data.downloads[urlsplit(item[key]).path] = sample_pdf()
        for consultation in paper.get("consultation", []):
            if isinstance(consultation, dict):
                data.add(consultation)
    meetings = _derive_meetings(papers, version)
    organizations = _derive_organizations(base, papers, version)
    for obj in meetings + organizations:
        data.add(obj)
    data.lists[urlsplit(f"{base}/{BODY}/papers").path] = papers
    data.lists[urlsplit(f"{base}/{BODY}/meetings").path] = meetings
    data.lists[urlsplit(f"{base}/{BODY}/organizations").path] = organizations


def karlsruhe(base: str, count: int | None = None) -> Dataset:
    """The sample, or its first `count` papers (in the order of sample-index.json)."""
    # System and Body: the examples of the OParl 1.1 specification (spec-1.1/examples,
    # https://github.com/OParl/spec, CC BY-SA 4.0), moved to the local address and named
    # after Karlsruhe, whose papers they carry.
    system = _spec_example("System-01.json", base)
    system.update(id=f"{base}/system", body=f"{base}/bodies")
    body = _spec_example("Body-01.json", base)
    body.update(
        id=f"{base}/{BODY}",
        system=system["id"],
        name="Stadt Karlsruhe",
        shortName="Karlsruhe",
        ags="08212000",
        paper=f"{base}/{BODY}/papers",
        meeting=f"{base}/{BODY}/meetings",
        organization=f"{base}/{BODY}/organizations",
    )
    data = Dataset(entry=system["id"])
    data.add(system)
    data.add(body)
    data.lists[urlsplit(system["body"]).path] = [body]
    _serve_papers(data, base, _load_papers(base, count), "1.1")
    return data


def karlsruhe_1_0(base: str, count: int = 30) -> Dataset:
    """`count` live papers and one deleted placeholder, as OParl 1.0: type URIs of 1.0,
    consultations given only by their address (served one by one), the first main file by
    address too."""
    endpoint = FIXTURES / "real-endpoints-1.0"
    # System and Body of a real 1.0 endpoint (Stadt Krefeld, SD.NET RIM), moved here.
    real = "https://ris.krefeld.de/webservice/oparl/v1.0"
    system = json.loads(
        (endpoint / "systems" / "Stadt Krefeld.json").read_text("utf-8").replace(real, base)
    )
    body = json.loads(
        (endpoint / "bodies" / "Stadt Krefeld.json").read_text("utf-8").replace(real, base)
    )
    system["body"] = f"{base}/bodies"
    body.update(
        id=f"{base}/{BODY}",
        system=system["id"],
        paper=f"{base}/{BODY}/papers",
        meeting=f"{base}/{BODY}/meetings",
        organization=f"{base}/{BODY}/organizations",
    )
    papers = _load_papers(base)
    chosen = [p for p in papers if not p.get("deleted") and p.get("consultation")][:count]
    chosen += [p for p in papers if p.get("deleted")][:1]
    text = json.dumps(chosen).replace(
        "https://schema.oparl.org/1.1/", "https://schema.oparl.org/1.0/"
    )
    chosen = json.loads(text)
    data = Dataset(entry=system["id"])
    data.add(system)
    data.add(body)
    data.lists[urlsplit(system["body"]).path] = [body]
    _serve_papers(data, base, chosen, "1.0")
    by_reference = next(p for p in chosen if p.get("auxiliaryFile"))
    by_reference["mainFile"] = by_reference["auxiliaryFile"].pop(0)["id"]
    for paper in chosen:
        paper["consultation"] = [c["id"] for c in paper.get("consultation", [])]
    return data


def synthetic(base: str, count: int, meetings: int = 500, offices: int = 60) -> Dataset:
    """`count` papers in the shape of the Karlsruhe ones (two files with text, one or two
    consultations, one or, every seventh, two leading offices), spread over `meetings` meetings
    and `offices` organizations; deterministic."""
    body_url = f"{base}/{BODY}"
    system = {
        "id": f"{base}/system",
        "type": "https://schema.oparl.org/1.1/System",
        "oparlVersion": "https://schema.oparl.org/1.1/",
        "body": f"{base}/bodies",
    }
    body = {
        "id": body_url,
        "type": "https://schema.oparl.org/1.1/Body",
        "name": "Synthetische Stadt",
        "paper": f"{body_url}/papers",
        "meeting": f"{body_url}/meetings",
        "organization": f"{body_url}/organizations",
    }
    data = Dataset(entry=system["id"])
    data.add(system)
    data.add(body)
    data.lists[urlsplit(system["body"]).path] = [body]
    words = ["Klimaschutz", "Radverkehr", "Schulsanierung", "Beschaffung", "Wohnungsbau"]
    papers = []
    start = dt.date(2020, 1, 1)
    for n in range(count):
        day = start + dt.timedelta(days=n % 1500)
        topic = words[n % len(words)]
        papers.append(
            {
                "id": f"{body_url}/papers/{n}",
                "type": "https://schema.oparl.org/1.1/Paper",
                "body": body_url,
                "name": f"{topic}: Vorlage {n}",
                "reference": f"{n}/{day.year}",
                "date": day.isoformat(),
                "paperType": "Beschlussvorlage" if n % 3 else "Antrag",
                "underDirectionOf": [
                    f"{body_url}/organizations/{(n + k) % offices}" for k in range(1 + (n % 7 == 0))
                ],
                "auxiliaryFile": [
                    {
                        "id": f"{body_url}/files/{n}-{k}",
                        "type": "https://schema.oparl.org/1.1/File",
                        "name": f"Anlage {k} zu {n}",
                        "fileName": f"{n}-{k}.pdf",
                        "mimeType": "application/pdf",
                        "accessUrl": f"{body_url}/downloadfiles/{n}-{k}.pdf",
                        "text": f"{topic} Anlage {k}. " + "Sachverhalt und Begründung. " * 60,
                        "modified": "2025-03-03T12:00:00+01:00",
                    }
                    for k in (1, 2)
                ],
                "consultation": [
                    {
                        "id": f"{body_url}/consultations/{n}-{k}",
                        "type": "https://schema.oparl.org/1.1/Consultation",
                        "paper": f"{body_url}/papers/{n}",
                        "meeting": f"{body_url}/meetings/{(n + k * 7) % meetings}",
                        "role": "Beschlussfassung" if k else "Vorberatung",
                    }
                    for k in range(1 + n % 2)
                ],
                "created": "2025-03-03T12:00:00+01:00",
                "modified": "2025-03-03T12:00:00+01:00",
            }
        )
    rows = [
        {
            "id": f"{body_url}/meetings/{m}",
            "type": "https://schema.oparl.org/1.1/Meeting",
            "name": f"Sitzung {m}",
            "start": f"{start + dt.timedelta(days=3 * m)}T17:00:00+01:00",
            "modified": "2025-03-03T12:00:00+01:00",
        }
        for m in range(meetings)
    ]
    organizations = [
        {
            "id": f"{body_url}/organizations/{o}",
            "type": "https://schema.oparl.org/1.1/Organization",
            "name": f"Amt {o}",
            "organizationType": "Verwaltungsbereich",
            "modified": "2025-03-03T12:00:00+01:00",
        }
        for o in range(offices)
    ]
    for obj in papers + rows + organizations:
        data.add(obj)
    data.lists[urlsplit(body["paper"]).path] = papers
    data.lists[urlsplit(body["meeting"]).path] = rows
    data.lists[urlsplit(body["organization"]).path] = organizations
    return data


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body leave in two writes; with Nagle's algorithm every answer would wait
    # for the client's delayed ACK (40 ms).
    disable_nagle_algorithm = True
    server: _HTTPServer

    def do_GET(self) -> None:
        try:
            self.server.owner.respond(self)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up waiting (timeout tests); nothing left to answer.
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        pass


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    owner: OParlServer


class OParlServer:
    """Serves a Dataset on 127.0.0.1 in a thread; use as a context manager."""

    def __init__(self, dataset: Callable[[str], Dataset], page_size: int = 20) -> None:
        self.httpd = _HTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.owner = self
        self.root = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.base = f"{self.root}/oparl"
        self.data = dataset(self.base)
        self.page_size = page_size
        self.log: list[str] = []
        self.faults: list[Fault] = []
        self._lock = threading.Lock()
        self._last_change = dt.datetime.now(dt.UTC).replace(microsecond=0)
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def entry(self) -> str:
        return self.data.entry

    def __enter__(self) -> OParlServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # --- test controls ------------------------------------------------------------------------

    def fault(self, kind: str, **options: Any) -> Fault:
        fault = Fault(kind, **options)
        with self._lock:
            self.faults.append(fault)
        return fault

    def reset_faults(self) -> None:
        with self._lock:
            self.faults.clear()

    def requests(self, match: str = "") -> list[str]:
        with self._lock:
            return [target for target in self.log if match in target]

    def papers(self) -> list[dict[str, Any]]:
        return self.data.lists[urlsplit(f"{self.base}/{BODY}/papers").path]

    def meetings(self) -> list[dict[str, Any]]:
        return self.data.lists[urlsplit(f"{self.base}/{BODY}/meetings").path]

    def organizations(self) -> list[dict[str, Any]]:
        return self.data.lists[urlsplit(f"{self.base}/{BODY}/organizations").path]

    def paper(self, number: str) -> dict[str, Any]:
        return next(p for p in self.papers() if p.get("id", "").endswith(f"/{number}"))

    def _tick(self) -> str:
        """A modification time after every earlier one: OParl times count whole seconds, and
        a client cannot tell two changes within one second apart."""
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        self._last_change = max(now, self._last_change + dt.timedelta(seconds=1))
        return self._last_change.isoformat()

    def touch(self, obj: dict[str, Any], **changes: Any) -> dict[str, Any]:
        """Change an object on the server as the council information system would."""
        obj.update(changes)
        obj["modified"] = self._tick()
        return obj

    def delete(self, obj: dict[str, Any]) -> None:
        """Replace an object by the empty placeholder Karlsruhe serves for deleted ones."""
        kind = obj["type"]
        keep = {key: obj[key] for key in ("id", "body") if key in obj}
        obj.clear()
        obj.update(keep, type=kind, deleted=True, name="", modified=self._tick())
        if kind.endswith("/Paper"):
            obj.update(paperType="", reference="")

    # --- answering ----------------------------------------------------------------------------

    def respond(self, request: BaseHTTPRequestHandler) -> None:
        target = request.path
        with self._lock:
            self.log.append(target)
            fault = next((f for f in self.faults if f.applies(target)), None)
        parts = urlsplit(target)
        if fault is not None:
            if fault.kind == "drop":
                request.close_connection = True
                return
            if fault.kind == "slow":
                time.sleep(fault.delay)
            if fault.kind == "status":
                headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
                self._send(request, fault.status, {"error": "injected"}, headers=headers)
                return
        path = parts.path.rstrip("/") or "/"
        if path in self.data.lists:
            body = self._page(path, dict(parse_qsl(parts.query)))
        elif path in self.data.objects:
            body = self.data.objects[path]
        elif path in self.data.downloads:
            self._send_bytes(request, 200, self.data.downloads[path], "application/pdf")
            return
        else:
            self._send(request, 404, {"error": "not found"})
            return
        if fault is not None and fault.kind == "malformed":
            text = json.dumps(body)
            self._send_bytes(request, 200, text[: len(text) // 2].encode(), "application/json")
            return
        self._send(request, 200, body)

    def _page(self, path: str, query: dict[str, str]) -> dict[str, Any]:
        items = self.data.lists[path]
        since = query.get("modified_since")
        if since:
            limit_time = dt.datetime.fromisoformat(since)
            items = [o for o in items if _modified(o) is None or _modified(o) >= limit_time]
        size = int(query.get("limit", self.page_size))
        number = int(query.get("page", 1))
        pages = max(1, -(-len(items) // size))
        url = f"{self.root}{path}"
        keep = {key: value for key, value in query.items() if key in ("modified_since", "limit")}

        def link(n: int) -> str:
            return f"{url}?{urlencode({**keep, 'page': n})}"

        links = {"first": link(1), "last": link(pages), "self": link(number)}
        if number > 1:
            links["prev"] = link(number - 1)
        if number < pages:
            links["next"] = link(number + 1)
        return {
            "data": items[(number - 1) * size : number * size],
            "pagination": {
                "totalElements": len(items),
                "elementsPerPage": size,
                "currentPage": number,
                "totalPages": pages,
            },
            "links": links,
        }

    def _send(self, request, status: int, body: Any, headers: dict[str, str] | None = None):
        data = json.dumps(body, ensure_ascii=False).encode()
        self._send_bytes(request, status, data, "application/json; charset=utf-8", headers)

    def _send_bytes(self, request, status, data: bytes, content_type: str, headers=None) -> None:
        request.send_response(status)
        request.send_header("Content-Type", content_type)
        request.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            request.send_header(name, value)
        request.end_headers()
        request.wfile.write(data)


def _modified(obj: Any) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(obj["modified"])
    except (TypeError, KeyError, ValueError):
        return None


def fast_client(**options: Any):
    """A client for tests: no rate limit, short timeout, backoff in milliseconds."""
    from zielwerk.council.oparl import OParlClient

    return OParlClient(**{"rate": 0, "timeout": 5, "retries": 3, "backoff": 0.01, **options})
