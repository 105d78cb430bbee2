"""`zielwerk oparl-sync URL`: papers, meetings, consultations and files of a council
information system, read over OParl 1.0 or 1.1 into Paper, Meeting, Consultation and PaperFile.

A run reads the names of the body's organizations (Paper.department names those of the
paper's `underDirectionOf`), then the body's meeting list, then its paper list, page by page;
each page is written in one transaction together with the address of the next page
(OParlSource.resume_state), so an interrupted run goes on where it stopped and upserts on the
OParl id never duplicate anything. A run that read every page stores its start time (minus a
safety margin against clock skew between the two machines) in OParlSource.synced_until; the
next run asks only for objects modified since then. Objects that cannot be read are skipped,
reported with their id and reason, and the run goes on."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from zielwerk.council.models import (
    OPARL_ID_LENGTH,
    Consultation,
    Meeting,
    OParlSource,
    Paper,
    PaperFile,
    SyncRun,
)
from zielwerk.council.oparl import MalformedResponse, OParlClient, OParlError, Page, with_query
from zielwerk.council.pdftext import PdfTextError, pdf_text

logger = logging.getLogger(__name__)

SAFETY_MARGIN = dt.timedelta(minutes=10)
PDF_TYPES = frozenset({"application/pdf", "application/x-pdf", "application/acrobat"})
RE_TYPE = re.compile(r"^https?://schema\.oparl\.org/(\d+\.\d+)/(\w+)$")
MEETINGS, PAPERS = "meetings", "papers"
# Fields a run takes from the source; everything else on Paper and Meeting is ours.
PAPER_FIELDS = ("reference", "title", "date", "paper_type", "web_url")
PAPER_OWN = ("updated_at", "text", "meeting_date", "department", *PAPER_FIELDS)
DEPARTMENT_LENGTH = Paper._meta.get_field("department").max_length
MEETING_FIELDS = ("name", "start", "cancelled")

Progress = Callable[[str, int, int | None], None]


_R = TypeVar("_R", "_MeetingRecord", "_PaperRecord")


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    skipped: int = 0


@dataclass
class SyncResult:
    source: OParlSource
    run: SyncRun
    papers: Counts = field(default_factory=Counts)
    meetings: Counts = field(default_factory=Counts)
    problems: list[dict[str, Any]] = field(default_factory=list)
    resumed: bool = False
    # Why the run stopped before the end; empty when it read every page.
    error: str = ""

    @property
    def summary(self) -> str:
        p, m = self.papers, self.meetings
        line = _(
            "Vorlagen: %(pc)s neu, %(pu)s geändert, %(pd)s gelöscht, %(ps)s übersprungen; "
            "Sitzungen: %(mc)s neu, %(mu)s geändert, %(md)s gelöscht, %(ms)s übersprungen"
        ) % {
            "pc": p.created,
            "pu": p.updated,
            "pd": p.deleted,
            "ps": p.skipped,
            "mc": m.created,
            "mu": m.updated,
            "md": m.deleted,
            "ms": m.skipped,
        }
        # The reason of a broken run is stored among the problems but shown on its own.
        notes = sum(not problem["skipped"] for problem in self.problems) - bool(self.error)
        if notes:
            line += ngettext("; %(n)s Hinweis", "; %(n)s Hinweise", notes) % {"n": notes}
        if self.error:
            line += _(" – abgebrochen, der nächste Lauf setzt fort")
        return line


class _Malformed(ValueError):
    """An OParl object that cannot be stored; the message is the German reason."""

    def __init__(self, reason: str, oparl_id: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.oparl_id = oparl_id


# --- reading single fields -------------------------------------------------------------------


def _type_of(obj: Any) -> tuple[str, str]:
    """(version, class) of an OParl object, e.g. ("1.0", "Paper"); ("", "") if unknown."""
    if isinstance(obj, dict) and isinstance(obj.get("type"), str):
        match = RE_TYPE.match(obj["type"].strip())
        if match:
            return match.group(1), match.group(2)
    return "", ""


def _wrong(name: str, expected: str, value: Any) -> _Malformed:
    shown = repr(value)
    return _Malformed(
        _("Feld „%(name)s“: %(expected)s erwartet, erhalten %(value)s")
        % {"name": name, "expected": expected, "value": shown[:80]}
    )


def _text(obj: dict, name: str, limit: int | None = None) -> str:
    value = obj.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _wrong(name, _("Text"), value)
    value = value.strip()
    return value[:limit] if limit else value


def _url(obj: dict, name: str, limit: int = OPARL_ID_LENGTH) -> str:
    value = _text(obj, name)
    # An address too long for the column cannot be shortened without breaking it.
    return value if len(value) <= limit else ""


def _date(obj: dict, name: str) -> dt.date | None:
    value = _text(obj, name)
    if not value:
        return None
    # Some 1.0 servers put a date-time into date fields.
    parsed = parse_date(value[:10]) if len(value) >= 10 else None
    if parsed is None:
        raise _wrong(name, _("Datum"), value)
    return parsed


def _datetime(obj: dict, name: str) -> dt.datetime | None:
    value = _text(obj, name)
    if not value:
        return None
    try:
        parsed = parse_datetime(value)
    except ValueError:
        parsed = None
    if parsed is None:
        raise _wrong(name, _("Datum mit Uhrzeit"), value)
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _bool(obj: dict, name: str) -> bool:
    value = obj.get(name, False)
    if not isinstance(value, bool):
        raise _wrong(name, _("true oder false"), value)
    return value


def _list(obj: dict, name: str) -> list:
    value = obj.get(name)
    if value is None:
        return []
    if not isinstance(value, list):
        raise _wrong(name, _("Liste"), value)
    return value


def _identity(raw: Any, kind: str) -> str:
    """The id of an object of class `kind`; raises _Malformed if it is none."""
    if not isinstance(raw, dict):
        raise _Malformed(_("Eintrag ist kein JSON-Objekt"))
    oparl_id = raw.get("id")
    if not isinstance(oparl_id, str) or not oparl_id.strip():
        raise _Malformed(_("Feld „id“ fehlt oder ist leer"))
    oparl_id = oparl_id.strip()
    if len(oparl_id) > OPARL_ID_LENGTH:
        raise _Malformed(
            _("Die Kennung ist länger als %(n)s Zeichen") % {"n": OPARL_ID_LENGTH}, oparl_id[:80]
        )
    _version, found = _type_of(raw)
    if found != kind:
        raise _Malformed(
            _("Typ „%(found)s“, erwartet %(kind)s") % {"found": raw.get("type"), "kind": kind},
            oparl_id,
        )
    return oparl_id


# --- mapping objects ---------------------------------------------------------------------------


@dataclass
class _MeetingRecord:
    oparl_id: str
    values: dict[str, Any]
    modified: dt.datetime | None
    deleted: bool


@dataclass
class _PaperRecord:
    oparl_id: str
    values: dict[str, Any]
    modified: dt.datetime | None
    deleted: bool
    files: list[tuple[bool, Any]]
    consultations: list[Any]
    # Addresses of the organizations in `underDirectionOf`, the leading departments.
    organizations: list[str]


@contextmanager
def _about(oparl_id: str) -> Iterator[None]:
    """Name the object in every _Malformed raised while reading its fields."""
    try:
        yield
    except _Malformed as exc:
        exc.oparl_id = exc.oparl_id or oparl_id
        raise


def _meeting_record(raw: Any) -> _MeetingRecord:
    oparl_id = _identity(raw, "Meeting")
    with _about(oparl_id):
        values = {
            "name": _text(raw, "name", 300),
            "start": _datetime(raw, "start"),
            "cancelled": _bool(raw, "cancelled"),
        }
        return _MeetingRecord(oparl_id, values, _datetime(raw, "modified"), _bool(raw, "deleted"))


def _paper_record(raw: Any) -> _PaperRecord:
    oparl_id = _identity(raw, "Paper")
    with _about(oparl_id):
        values = {
            "reference": _text(raw, "reference", 100),
            "title": _text(raw, "name", 1000),
            "date": _date(raw, "date"),
            "paper_type": _text(raw, "paperType", 200),
            "web_url": _url(raw, "web", 1000),
        }
        main = raw.get("mainFile")
        if main is not None and not isinstance(main, dict | str):
            raise _wrong("mainFile", _("Datei-Objekt"), main)
        files = [(True, main)] if main is not None else []
        files += [(False, item) for item in _list(raw, "auxiliaryFile")]
        return _PaperRecord(
            oparl_id,
            values,
            _datetime(raw, "modified"),
            _bool(raw, "deleted"),
            files,
            _list(raw, "consultation"),
            _addresses(raw, "underDirectionOf"),
        )


def _addresses(obj: dict, name: str) -> list[str]:
    """The ids in a list of references; an embedded object stands for its id."""
    result = []
    for item in _list(obj, name):
        address = item.get("id") if isinstance(item, dict) else item
        if not isinstance(address, str) or not address.strip():
            raise _wrong(name, _("Liste von Adressen"), item)
        result.append(address.strip())
    return result


def _organization(raw: Any) -> tuple[str, str] | None:
    """(id, name) of an entry of the organization list, the name from `name`, else
    `shortName`; None for an entry that is unusable or has no name."""
    try:
        oparl_id = _identity(raw, "Organization")
        name = _text(raw, "name") or _text(raw, "shortName")
    except _Malformed:
        # Only a paper pointing at it would care; that paper's run reports the id once.
        return None
    return (oparl_id, name) if name else None


def _file_values(raw: dict) -> dict[str, Any]:
    oparl_id = _identity(raw, "File")
    with _about(oparl_id):
        return {
            "oparl_id": oparl_id,
            "name": _text(raw, "name", 1000),
            "file_name": _text(raw, "fileName", 300),
            "mime_type": _text(raw, "mimeType", 100).lower(),
            "access_url": _url(raw, "accessUrl", 1000),
            "download_url": _url(raw, "downloadUrl", 1000),
            "text": _text(raw, "text"),
            "modified": _datetime(raw, "modified"),
        }


def _consultation_values(raw: dict) -> dict[str, Any]:
    oparl_id = _identity(raw, "Consultation")
    with _about(oparl_id):
        return {
            "oparl_id": oparl_id,
            "meeting_oparl_id": _url(raw, "meeting"),
            "role": _text(raw, "role", 200),
        }


def first_meeting_date(meetings: Iterable[Meeting | None]) -> dt.date | None:
    """The day of the earliest meeting that takes place (not cancelled, not deleted)."""
    starts = [m.start for m in meetings if m and m.start and not m.cancelled and not m.deleted]
    return timezone.localtime(min(starts)).date() if starts else None


def _is_pdf(item: PaperFile) -> bool:
    if item.mime_type:
        return item.mime_type in PDF_TYPES
    return item.file_name.lower().endswith(".pdf")


def _assign(obj: Meeting | Paper, values: dict[str, Any]) -> None:
    for name, value in values.items():
        setattr(obj, name, value)


def _following_page(previous: str | None, current: str) -> str | None:
    """The page after `current` when the list counts pages in one query parameter, judged from
    how `previous` became `current` (page=2 → page=3, offset=40 → offset=60); None when that
    cannot be seen."""
    if previous is None or urlsplit(previous).path != urlsplit(current).path:
        return None
    before, now = (dict(parse_qsl(urlsplit(u).query)) for u in (previous, current))
    changed = [key for key in before.keys() | now.keys() if before.get(key) != now.get(key)]
    if len(changed) != 1 or not now.get(changed[0], "").isdigit():
        return None
    key = changed[0]
    value = int(now[key])
    if key in before:
        if not before[key].isdigit():
            return None
        step = value - int(before[key])
    else:
        # The first page names no number: it is page 1 (then this is page=2) or offset 0.
        step = 1 if value == 2 else value
    return with_query(current, {key: str(value + step)}) if step > 0 else None


# --- the run --------------------------------------------------------------------------------------


def resolve_body(client: OParlClient, url: str) -> tuple[str, dict[str, Any]]:
    """(OParl version, Body object) behind an entry address, which may be a System or a Body."""
    try:
        entry = client.get_object(url)
    except MalformedResponse as exc:
        raise OParlError(
            _("Unter %(url)s antwortet keine OParl-Schnittstelle: %(reason)s")
            % {"url": url, "reason": exc}
        ) from exc
    version, kind = _type_of(entry)
    if kind == "System":
        bodies_url = entry.get("body")
        if not isinstance(bodies_url, str) or not bodies_url:
            raise OParlError(
                _("Das OParl-System %(url)s nennt keine Liste der Körperschaften (Feld „body“).")
                % {"url": url}
            )
        bodies = [body for page in client.pages(bodies_url) for body in page.objects]
        if len(bodies) != 1:
            names = ", ".join(
                f"{b.get('name', '?')} ({b.get('id', '?')})" for b in bodies if isinstance(b, dict)
            )
            raise OParlError(
                _(
                    "Das OParl-System %(url)s hat %(n)s Körperschaften; bitte die Adresse "
                    "einer davon angeben: %(names)s"
                )
                % {"url": url, "n": len(bodies), "names": names or "–"}
            )
        body = bodies[0]
        if isinstance(body, str):
            body = client.get_object(body)
        version = _version_of_system(entry) or version
    elif kind == "Body":
        body = entry
    else:
        raise OParlError(
            _(
                "Unter %(url)s antwortet keine OParl-Schnittstelle: erwartet ein Objekt vom "
                "Typ System oder Body, erhalten „%(type)s“."
            )
            % {"url": url, "type": entry.get("type", "") if isinstance(entry, dict) else ""}
        )
    if _type_of(body)[1] != "Body" or not isinstance(body.get("paper"), str):
        raise OParlError(
            _("Die Körperschaft unter %(url)s nennt keine Liste der Vorlagen (Feld „paper“).")
            % {"url": url}
        )
    return version or _type_of(body)[0], body


def organization_names(client: OParlClient, body: dict[str, Any]) -> dict[str, str]:
    """Names of the body's organizations (committees, offices, departments) by OParl id, read
    from every page of its organization list. Raises OParlError if the list cannot be read."""
    url = body.get("organization")
    if not isinstance(url, str) or not url.strip():
        raise OParlError(
            _("Die Körperschaft nennt keine Liste der Organisationen (Feld „organization“).")
        )
    return dict(
        entry
        for page in client.pages(url.strip())
        for entry in map(_organization, page.objects)
        if entry
    )


def _version_of_system(system: dict[str, Any]) -> str:
    value = system.get("oparlVersion")
    match = re.search(r"/(\d+\.\d+)/?$", value) if isinstance(value, str) else None
    return match.group(1) if match else ""


def sync(
    url: str,
    *,
    client: OParlClient,
    full: bool = False,
    files: bool = True,
    progress: Progress | None = None,
) -> SyncResult:
    """Sync one OParl endpoint. Raises OParlError, storing nothing, if `url` is no usable
    OParl endpoint; a run that breaks off later is returned with `error` set and resumes next
    time."""
    started = timezone.now()
    version, body = resolve_body(client, url)
    with transaction.atomic():
        source, _created = OParlSource.objects.get_or_create(url=url)
        source.name = _text(body, "name", 200) or source.name
        source.oparl_version = version
        source.body_id = _url(body, "id")
        if full:
            source.resume_state = {}
        source.save()
    return _Run(source, client, body, started, full, files, progress).execute()


class _Run:
    def __init__(
        self,
        source: OParlSource,
        client: OParlClient,
        body: dict[str, Any],
        started: dt.datetime,
        full: bool,
        files: bool,
        progress: Progress | None,
    ) -> None:
        self.source = source
        self.client = client
        self.body = body
        self.files = files
        self.progress = progress or (lambda kind, n, total: None)
        state = source.resume_state or {}
        self.resumed = bool(state.get("next"))
        if self.resumed:
            self.started = parse_datetime(state["started_at"])
            since = state.get("modified_since")
            self.modified_since = parse_datetime(since) if since else None
            self.gaps = bool(state.get("gaps"))
        else:
            self.started = started
            self.modified_since = None if full else source.synced_until
            self.gaps = False
        query = (
            {"modified_since": self.modified_since.replace(microsecond=0).isoformat()}
            if self.modified_since
            else {}
        )
        self.lists = [
            (kind, with_query(body[key], query))
            for kind, key in ((MEETINGS, "meeting"), (PAPERS, "paper"))
            if isinstance(body.get(key), str) and body[key]
        ]
        if self.resumed:
            kinds = [kind for kind, _url in self.lists]
            position = kinds.index(state["list"]) if state.get("list") in kinds else 0
            self.lists = [(state["list"], state["next"]), *self.lists[position + 1 :]]
        self.run = SyncRun.objects.create(
            source=source, started_at=started, modified_since=self.modified_since
        )
        self.result = SyncResult(source=source, run=self.run, resumed=self.resumed)
        # Organization names by id; None while (or when) the list cannot be read.
        self.organizations: dict[str, str] | None = None
        self.unknown_organizations: set[str] = set()

    def execute(self) -> SyncResult:
        self.organizations = self._read_organizations()
        try:
            for index, (kind, url) in enumerate(self.lists):
                following = self.lists[index + 1] if index + 1 < len(self.lists) else None
                self._walk(kind, url, following)
        except OParlError as exc:
            self.result.error = str(exc)
            self._problem(_("Lauf"), self.source.url, str(exc), skipped=False)
        self._finish()
        return self.result

    def _walk(self, kind: str, url: str, following: tuple[str, str] | None) -> None:
        prepare = self._prepare_meetings if kind == MEETINGS else self._prepare_papers
        counts = self.result.meetings if kind == MEETINGS else self.result.papers
        previous: str | None = None
        last: str | None = None
        while url:
            try:
                page = self.client.get_page(url)
            except MalformedResponse as exc:
                after = None
                if url != last:
                    after = _following_page(previous, url)
                    if after is None:
                        # Where the list goes on cannot be seen: stop; the next run retries.
                        raise
                self.gaps = True
                counts.skipped += 1
                self._problem(_("Seite"), url, str(exc))
                previous, url = url, after
                self._save_point(kind, url, following)
                continue
            last = page.last_url or last
            # Downloads and look-ups happen before the transaction, which only writes.
            write = prepare(page)
            with transaction.atomic():
                write()
                self._save_point(kind, page.next_url, following)
            self.progress(kind, len(page.objects), page.total)
            previous, url = url, page.next_url

    def _save_point(self, kind: str, next_url: str | None, following) -> None:
        if next_url:
            point = (kind, next_url)
        elif following:
            point = following
        else:
            point = None
        self.source.resume_state = (
            {
                "list": point[0],
                "next": point[1],
                "started_at": self.started.isoformat(),
                "modified_since": self.modified_since.isoformat() if self.modified_since else None,
                "gaps": self.gaps,
            }
            if point
            else {}
        )
        OParlSource.objects.filter(pk=self.source.pk).update(resume_state=self.source.resume_state)

    def _finish(self) -> None:
        result, run = self.result, self.run
        complete = not result.error and not self.gaps
        if complete:
            self.source.synced_until = self.started - SAFETY_MARGIN
            OParlSource.objects.filter(pk=self.source.pk).update(
                synced_until=self.source.synced_until
            )
        run.complete = complete
        run.finished_at = timezone.now()
        run.created = result.papers.created
        run.updated = result.papers.updated
        run.deleted = result.papers.deleted
        run.skipped = result.papers.skipped + result.meetings.skipped
        run.problems = result.problems
        run.save()

    def _read_organizations(self) -> dict[str, str] | None:
        """The whole list, every run: without a model of their own, papers that did not change
        can only be checked against names read now. None, reported once, if it cannot be
        read; the run then goes on and leaves the stored departments as they are."""
        try:
            return organization_names(self.client, self.body)
        except OParlError as exc:
            where = self.body.get("organization")
            self._problem(
                _("Organisationen"),
                where if isinstance(where, str) and where else self.source.body_id,
                str(exc),
                skipped=False,
            )
            return None

    def _department(self, record: _PaperRecord, unchanged: bool) -> str | None:
        """The names of the organizations the paper is under the direction of, joined by ", ";
        None to keep the stored department: the organization list could not be read, or the
        source did not change the paper and one of its organizations is missing from the list
        (an office dissolved since must not erase the name the paper was filed under). A
        missing organization is reported once per run, however many papers name it."""
        if self.organizations is None:
            return None
        names: list[str] = []
        missing = False
        for address in record.organizations:
            name = self.organizations.get(address)
            if name is None:
                missing = True
                if address not in self.unknown_organizations:
                    self.unknown_organizations.add(address)
                    self._problem(
                        _("Organisation"),
                        address,
                        _(
                            "fehlt in der Liste der Organisationen der Körperschaft oder hat "
                            "dort keinen Namen; neue und geänderte Vorlagen dieser Stelle "
                            "erhalten ihn nicht"
                        ),
                        skipped=False,
                    )
            elif name not in names:
                names.append(name)
        if missing and unchanged:
            return None
        return ", ".join(names)[:DEPARTMENT_LENGTH]

    def _problem(self, kind: str, oparl_id: str, reason: str, skipped: bool = True) -> None:
        logger.info("%s %s: %s", kind, oparl_id, reason)
        self.result.problems.append(
            {"type": kind, "id": oparl_id, "reason": reason, "skipped": skipped}
        )

    def _skip(self, kind: str, page: Page, index: int, exc: _Malformed, counts: Counts) -> None:
        where = exc.oparl_id or _("%(url)s, Eintrag %(n)s") % {"url": page.url, "n": index + 1}
        counts.skipped += 1
        self._problem(kind, where, exc.reason)

    def _records(
        self, page: Page, read: Callable[[Any], _R], kind: str, counts: Counts
    ) -> dict[str, _R]:
        """The page's objects read by `read`, by id; malformed ones are skipped and reported."""
        records: dict[str, _R] = {}
        for index, raw in enumerate(page.objects):
            try:
                record = read(raw)
            except _Malformed as exc:
                self._skip(kind, page, index, exc, counts)
                continue
            records[record.oparl_id] = record
        return records

    # --- meetings -------------------------------------------------------------------------------

    def _prepare_meetings(self, page: Page) -> Callable[[], None]:
        counts = self.result.meetings
        records = self._records(page, _meeting_record, _("Sitzung"), counts)
        existing = {m.oparl_id: m for m in Meeting.objects.filter(oparl_id__in=records)}
        new, changed = [], []
        for oparl_id, record in records.items():
            meeting = existing.get(oparl_id)
            if meeting is None:
                meeting = Meeting(oparl_id=oparl_id, source=self.source, deleted=record.deleted)
                if record.deleted:
                    counts.deleted += 1
                else:
                    _assign(meeting, record.values)
                    counts.created += 1
                meeting.modified = record.modified
                new.append(meeting)
                continue
            if record.modified is not None and meeting.modified == record.modified:
                continue
            if record.deleted:
                counts.deleted += not meeting.deleted
            else:
                _assign(meeting, record.values)
                counts.updated += 1
            meeting.deleted = record.deleted
            meeting.modified = record.modified
            meeting.source = self.source
            changed.append(meeting)

        def write() -> None:
            Meeting.objects.bulk_create(new)
            Meeting.objects.bulk_update(changed, ["source", "modified", "deleted", *MEETING_FIELDS])
            self._relink([m.oparl_id for m in new + changed])

        return write

    def _relink(self, meeting_ids: list[str]) -> None:
        """Point stored consultations at these meetings and date their papers anew."""
        if not meeting_ids:
            return
        consultations = list(
            Consultation.objects.filter(meeting_oparl_id__in=meeting_ids).only(
                "id", "paper_id", "meeting_id", "meeting_oparl_id"
            )
        )
        if not consultations:
            return
        pks = dict(Meeting.objects.filter(oparl_id__in=meeting_ids).values_list("oparl_id", "pk"))
        unlinked = [c for c in consultations if c.meeting_id != pks[c.meeting_oparl_id]]
        for consultation in unlinked:
            consultation.meeting_id = pks[consultation.meeting_oparl_id]
        Consultation.objects.bulk_update(unlinked, ["meeting"])
        paper_ids = {c.paper_id for c in consultations}
        meetings_of: dict[int, list[Meeting | None]] = {pk: [] for pk in paper_ids}
        for consultation in Consultation.objects.filter(paper_id__in=paper_ids).select_related(
            "meeting"
        ):
            meetings_of[consultation.paper_id].append(consultation.meeting)
        papers = list(Paper.objects.filter(pk__in=paper_ids).only("id", "meeting_date"))
        moved = []
        for paper in papers:
            day = first_meeting_date(meetings_of[paper.pk])
            if paper.meeting_date != day:
                paper.meeting_date = day
                moved.append(paper)
        Paper.objects.bulk_update(moved, ["meeting_date"])

    # --- papers ---------------------------------------------------------------------------------

    def _prepare_papers(self, page: Page) -> Callable[[], None]:
        counts = self.result.papers
        records = self._records(page, _paper_record, _("Vorlage"), counts)
        existing = {p.oparl_id: p for p in Paper.objects.filter(oparl_id__in=records)}
        unchanged = {
            r.oparl_id
            for r in records.values()
            if r.oparl_id in existing
            and r.modified is not None
            and existing[r.oparl_id].modified == r.modified
        }
        # An unchanged paper is read again only for PDF texts still missing (an earlier run
        # with --no-files, a failed download); that is no change to count.
        refresh = (
            set(
                PaperFile.objects.filter(
                    paper__oparl_id__in=unchanged, text_source="", mime_type__in=PDF_TYPES
                ).values_list("paper__oparl_id", flat=True)
            )
            if self.files and unchanged
            else set()
        )
        now = timezone.now()
        # An unchanged paper still takes the name of an organization renamed since (or of one
        # named for the first time); a changed department is a change and counts as one.
        relabelled = []
        for oparl_id in unchanged - refresh:
            record, paper = records[oparl_id], existing[oparl_id]
            department = None if record.deleted else self._department(record, unchanged=True)
            if department is not None and department != paper.department:
                paper.department = department
                paper.updated_at = now
                relabelled.append(paper)
        counts.updated += len(relabelled)
        todo = [r for r in records.values() if r.oparl_id not in unchanged - refresh]
        live = [r for r in todo if not r.deleted]
        old_files = {
            f.oparl_id: f
            for f in PaperFile.objects.filter(
                paper__oparl_id__in=[r.oparl_id for r in live]
            ).exclude(oparl_id="")
        }
        files = {r.oparl_id: self._files(r, old_files) for r in live}
        consultations = {r.oparl_id: self._consultations(r) for r in live}
        meetings = {
            m.oparl_id: m
            for m in Meeting.objects.filter(
                oparl_id__in={c.meeting_oparl_id for cs in consultations.values() for c in cs}
                - {""}
            )
        }
        new, changed = [], []
        for record in todo:
            paper = existing.get(record.oparl_id)
            department = (
                None
                if record.deleted
                else self._department(record, unchanged=record.oparl_id in refresh)
            )
            if paper is None:
                paper = Paper(oparl_id=record.oparl_id, title="")
                new.append(paper)
                if record.deleted:
                    counts.deleted += 1
                else:
                    counts.created += 1
            else:
                changed.append(paper)
                if record.deleted:
                    counts.deleted += not paper.deleted
                elif record.oparl_id not in refresh or (
                    department is not None and department != paper.department
                ):
                    counts.updated += 1
            paper.source = self.source
            paper.modified = record.modified
            paper.deleted = record.deleted
            paper.updated_at = now
            if record.deleted:
                # Placeholders of deleted papers are empty; what was known stays readable.
                continue
            _assign(paper, record.values)
            if department is not None:
                paper.department = department
            paper_files = files[record.oparl_id]
            main = [f.text for f in paper_files if f.is_main and f.text]
            paper.text = "\n\n".join(main or [f.text for f in paper_files if f.text])
            for consultation in consultations[record.oparl_id]:
                consultation.meeting = meetings.get(consultation.meeting_oparl_id)
            paper.meeting_date = first_meeting_date(
                c.meeting for c in consultations[record.oparl_id]
            )

        def write() -> None:
            Paper.objects.bulk_create(new)
            Paper.objects.bulk_update(changed, ["source", "modified", "deleted", *PAPER_OWN])
            Paper.objects.bulk_update(relabelled, ["department", "updated_at"])
            replaced = [p for p in changed if not p.deleted]
            PaperFile.objects.filter(paper__in=replaced).delete()
            Consultation.objects.filter(paper__in=replaced).delete()
            rewritten = [p for p in new if not p.deleted] + replaced
            for paper in rewritten:
                for item in [*files[paper.oparl_id], *consultations[paper.oparl_id]]:
                    item.paper = paper
            PaperFile.objects.bulk_create(f for p in rewritten for f in files[p.oparl_id])
            Consultation.objects.bulk_create(
                c for p in rewritten for c in consultations[p.oparl_id]
            )

        return write

    def _embedded(
        self, raw: Any, owner: str, kind: str, read: Callable[[dict], dict[str, Any]]
    ) -> dict[str, Any] | None:
        """The fields of an embedded object or of the object a reference points to (OParl 1.0
        servers often give consultations and files as addresses only); None, reported, if it
        cannot be read. The paper is stored without it."""
        obj = raw
        if isinstance(raw, str) and raw.strip():
            try:
                obj = self.client.get_object(raw.strip())
            except OParlError as exc:
                self._problem(kind, raw, str(exc), skipped=False)
                return None
        try:
            return read(obj)
        except _Malformed as exc:
            self._problem(kind, exc.oparl_id or owner, exc.reason, skipped=False)
            return None

    def _consultations(self, record: _PaperRecord) -> list[Consultation]:
        found = (
            self._embedded(raw, record.oparl_id, _("Beratung"), _consultation_values)
            for raw in record.consultations
        )
        return [Consultation(**values) for values in found if values]

    def _files(self, record: _PaperRecord, old_files: dict[str, PaperFile]) -> list[PaperFile]:
        result = []
        for is_main, raw in record.files:
            values = self._embedded(raw, record.oparl_id, _("Datei"), _file_values)
            if values is None:
                continue
            download_url = values.pop("download_url")
            item = PaperFile(is_main=is_main, **values)
            if item.text:
                item.text_source = PaperFile.TextSource.OPARL
            else:
                self._file_text(item, download_url, old_files.get(item.oparl_id))
            result.append(item)
        return result

    def _file_text(self, item: PaperFile, download_url: str, old: PaperFile | None) -> None:
        if (
            old is not None
            and old.text_source
            and old.modified == item.modified
            and old.access_url == item.access_url
        ):
            item.text, item.text_source = old.text, old.text_source
            return
        address = download_url or item.access_url
        if not self.files or not address or not _is_pdf(item):
            return
        try:
            item.text = pdf_text(self.client.get_bytes(address))
        except (OParlError, PdfTextError) as exc:
            self._problem(_("Datei"), item.oparl_id, str(exc), skipped=False)
            return
        item.text_source = PaperFile.TextSource.PDF
