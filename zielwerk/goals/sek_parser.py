"""Parser for an SEK chapter as plain text (written by hand or extracted from a PDF).

The chapter is read line by line. Structural lines (headings such as "Strategisches Ziel 2 - …"
or goal lines such as "- 12.2.1: …") open a slot; every other line is text that belongs to the
slot opened last. Text that would belong to no slot is an error, so nothing of the chapter can
be lost silently. Pure Python: no Django, so it can be tested and reused on its own.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

BULLETS = "-•–—*▪◦●·‣⁃■□➢►"
_BULLET = f"[{re.escape(BULLETS)}]"
_DASH = r"[-–—:]"

RE_FIELD = re.compile(rf"^Handlungsfeld\s+(\d{{1,3}})(?:\s*{_DASH}\s*(.+))?$", re.I)
RE_TITLE_QUESTION = re.compile(
    r"^Wurde der Titel des Handlungsfeld(?:e)?s geändert\s*\?\s*(.*)$", re.I
)
RE_STRUCTURE_QUESTION = re.compile(r"^Wurde die Struktur der Ziele geändert\s*\?\s*(.*)$", re.I)
RE_FEEDBACK = re.compile(r"^Folgende Rückmeldungen\b", re.I)
RE_LEITSATZ = re.compile(r"^Leitsatz(?: des Handlungsfeldes)?\s*:?$", re.I)
RE_STRATEGIC = re.compile(rf"^Strategisches Ziel\s+(\d{{1,2}})\s*(?:{_DASH}\s*(.*))?$", re.I)
RE_OPERATIVE_HEADING = re.compile(r"^Operative Ziele\s*:?$", re.I)
RE_OPERATIVE = re.compile(
    rf"^(?:(?P<bullet>{_BULLET})\s*)?(?P<f>\d{{1,3}})\.(?P<s>\d{{1,2}})\.(?P<o>\d{{1,2}})"
    rf"(?:\s*(?P<sep>[:.)–—-])\s*|\s+)(?P<title>.*)$"
)
RE_BULLET_LINE = re.compile(rf"^{_BULLET}\s+(.*)$")
RE_PAGE_NUMBER = re.compile(
    r"^(?:(?:Seite|S\.)\s*\d{1,4}(?:\s*(?:von|/)\s*\d{1,4})?|\d{1,4}|[-–—]\s*\d{1,4}\s*[-–—])$",
    re.I,
)
RE_ANSWER = re.compile(r"^(Ja|Nein)\b[\s,:;.–—-]*(.*)$", re.I)
RE_FORMERLY = re.compile(r"^(?:ehemals|früher|vormals)\s+(.+)$", re.I)
RE_CROSS_FIELD = re.compile(r"\bHandlungsfeld(?:es)?\s+(\d{1,3})\b")
RE_CROSS_GOAL = re.compile(r"\bStrategischen?\s+Ziel(?:s|es)?\s+(\d{1,2})\b")

LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# Words after a line-end hyphen that show the hyphen was a real one ("Bürgerinnen- und …").
CONJUNCTIONS = {"und", "oder", "bzw.", "sowie", "bis", "als", "noch"}
SENTENCE_END = tuple('.!?:"“”»«)')


class SekParseError(ValueError):
    """A chapter that does not follow the expected structure; names the line and the problem."""

    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(f"Zeile {line}: {message}")


# The dataclasses below are the in-memory form of a chapter: the SEK text parser and the
# exchange-format reader both produce them, and one function stores them (goals.importing).
# Responsible units are organisation unit codes; the SEK text itself names none.


@dataclass
class OperativeGoalText:
    number: int
    title: str
    text: str
    line: int = 0
    responsible_units: list[str] = field(default_factory=list)


@dataclass
class CrossReferenceText:
    text: str
    target_field_number: int | None
    target_goal_number: int | None


@dataclass
class StrategicGoalText:
    number: int
    title: str
    text: str
    line: int = 0
    cross_references: list[CrossReferenceText] = field(default_factory=list)
    operative_goals: list[OperativeGoalText] = field(default_factory=list)
    responsible_units: list[str] = field(default_factory=list)


@dataclass
class FieldText:
    """One Handlungsfeld as written in the chapter."""

    number: int
    title: str
    line: int = 0
    title_changed: bool | None = None
    former_title: str = ""
    structure_changed: bool | None = None
    structure_change_note: str = ""
    feedback: list[str] = field(default_factory=list)
    leitsatz: str = ""
    strategic_goals: list[StrategicGoalText] = field(default_factory=list)
    responsible_units: list[str] = field(default_factory=list)

    def operative_goals(self) -> list[OperativeGoalText]:
        return [og for sg in self.strategic_goals for og in sg.operative_goals]


def clean_line(raw: str) -> str:
    """Undo what PDF extraction leaves in a line: odd spaces, ligatures, decomposed umlauts."""
    line = unicodedata.normalize("NFC", raw.translate(INVISIBLE))
    for ligature, letters in LIGATURES.items():
        line = line.replace(ligature, letters)
    return SPACES.sub(" ", line).strip()


def join_wrapped(text: str, line: str) -> str:
    """Append a wrapped line to text, mending words hyphenated at the line break."""
    if not text:
        return line
    if len(text) >= 2 and text.endswith("-") and text[-2].isalpha():
        first_word = line.split(" ", 1)[0]
        if line[:1].islower() and first_word not in CONJUNCTIONS:
            return text[:-1] + line
        if line[:1].isupper() or line[:1].isdigit():
            return text + line
    return f"{text} {line}"


class _Paragraphs:
    """Text lines of one slot, grouped into paragraphs.

    A blank line ends a paragraph only where the text before it ends a sentence: PDF
    extraction also leaves blank lines in the middle of sentences."""

    def __init__(self) -> None:
        self.items: list[str] = []
        self._open = False

    def add(self, line: str, new_item: bool = False) -> None:
        if self._open and self.items and not new_item:
            self.items[-1] = join_wrapped(self.items[-1], line)
        else:
            self.items.append(line)
        self._open = True

    def blank(self) -> None:
        if self.items and self.items[-1].endswith(SENTENCE_END):
            self._open = False

    def text(self) -> str:
        return "\n\n".join(self.items)


@dataclass
class _Slot:
    kind: str
    line: int
    paragraphs: _Paragraphs = field(default_factory=_Paragraphs)


def read_chapter_file(path: str | Path) -> str:
    """Read a chapter file; UTF-8 (with or without BOM), else Windows-1252 as Word exports it."""
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="strict")


def _answer(line_no: int, answer: str, question: str) -> tuple[bool, str]:
    match = RE_ANSWER.match(answer)
    if not match:
        raise SekParseError(
            line_no,
            f"Auf die Frage „{question}“ wird „Ja“ oder „Nein“ erwartet, gefunden: „{answer}“.",
        )
    return match.group(1).lower() == "ja", match.group(2).strip()


class _ChapterParser:
    def __init__(self) -> None:
        self.fields: list[FieldText] = []
        self.slot: _Slot | None = None
        self.current_field: FieldText | None = None
        self.current_sg: StrategicGoalText | None = None
        self.seen_leitsatz = False
        self.last_line = 0
        # Blank lines around a page number come from the page break, not from the author, so a
        # blank line only counts once the next text line shows no page number came between.
        self.after_page_break = False
        self.pending_blank = False

    # --- closing slots: the collected text goes to its place -------------------------------
    def close_slot(self) -> None:
        slot, self.slot = self.slot, None
        if slot is None:
            return
        f, paragraphs = self.current_field, slot.paragraphs
        if slot.kind == "field_title":
            title = " ".join(paragraphs.items)
            if f.title and title:
                f.title = join_wrapped(f.title, title)
            elif title:
                f.title = title
        elif slot.kind in ("title_question", "structure_question"):
            answer = " ".join(paragraphs.items)
            if slot.kind == "title_question":
                f.title_changed, rest = _answer(slot.line, answer, "Wurde der Titel geändert?")
                formerly = RE_FORMERLY.match(rest)
                f.former_title = formerly.group(1) if formerly else rest
            else:
                f.structure_changed, f.structure_change_note = _answer(
                    slot.line, answer, "Wurde die Struktur der Ziele geändert?"
                )
        elif slot.kind == "feedback":
            f.feedback.extend(paragraphs.items)
        elif slot.kind == "leitsatz":
            if not paragraphs.items:
                raise SekParseError(slot.line, "Der Leitsatz des Handlungsfeldes ist leer.")
            f.leitsatz = paragraphs.text()
        elif slot.kind == "strategic":
            self._close_strategic(slot)
        elif slot.kind == "operative":
            goal = self.current_sg.operative_goals[-1]
            if not paragraphs.items:
                raise SekParseError(
                    slot.line, f"Das operative Ziel {self._code(goal.number)} hat keinen Text."
                )
            goal.text = paragraphs.text()

    def _close_strategic(self, slot: _Slot) -> None:
        sg, f = self.current_sg, self.current_field
        texts = []
        for paragraph in slot.paragraphs.items:
            target = RE_CROSS_FIELD.search(paragraph)
            if target and int(target.group(1)) != f.number:
                goal = RE_CROSS_GOAL.search(paragraph, target.end())
                sg.cross_references.append(
                    CrossReferenceText(
                        text=paragraph,
                        target_field_number=int(target.group(1)),
                        target_goal_number=int(goal.group(1)) if goal else None,
                    )
                )
            else:
                texts.append(paragraph)
        if not texts:
            raise SekParseError(slot.line, f"Das strategische Ziel {sg.number} hat keinen Text.")
        sg.text = "\n\n".join(texts)

    def _code(self, number: int) -> str:
        return f"{self.current_field.number}.{self.current_sg.number}.{number}"

    def open_slot(self, kind: str, line_no: int) -> None:
        self.close_slot()
        self.slot = _Slot(kind, line_no)

    # --- checks at the end of a field ------------------------------------------------------
    def finish_field(self) -> None:
        self.close_slot()
        f = self.current_field
        if f is None:
            return
        if not f.title:
            raise SekParseError(f.line, f"Handlungsfeld {f.number} hat keinen Titel.")
        if not self.seen_leitsatz:
            raise SekParseError(
                f.line,
                f"Im Handlungsfeld {f.number} fehlt der Abschnitt „Leitsatz des Handlungsfeldes“.",
            )
        if not f.strategic_goals:
            raise SekParseError(
                self.last_line,
                f"Im Handlungsfeld {f.number} wurde kein „Strategisches Ziel 1 - …“ gefunden.",
            )
        self._check_operatives(self.last_line)

    def _check_operatives(self, line_no: int) -> None:
        sg = self.current_sg
        if sg is not None and not sg.operative_goals:
            raise SekParseError(
                line_no,
                f"Das strategische Ziel {self.current_field.number}.{sg.number} hat keine "
                f"operativen Ziele; erwartet wurde eine Zeile wie „- {self._code(1)}: Titel“.",
            )

    # --- one line --------------------------------------------------------------------------
    def feed(self, line_no: int, line: str) -> None:
        self.last_line = line_no
        if not line:
            self.pending_blank = not self.after_page_break
            return
        if RE_PAGE_NUMBER.match(line):
            self.after_page_break, self.pending_blank = True, False
            return
        if self.pending_blank and self.slot is not None:
            self.slot.paragraphs.blank()
        self.after_page_break = self.pending_blank = False

        heading = RE_FIELD.match(line)
        if heading:
            self.start_field(line_no, int(heading.group(1)), (heading.group(2) or "").strip())
            return
        if self.current_field is None:
            raise SekParseError(
                line_no,
                f"Erwartet wurde die Überschrift „Handlungsfeld <Nummer>“, gefunden: „{line}“.",
            )
        if self.handle_heading(line_no, line):
            return
        if self.slot is None:
            raise SekParseError(
                line_no, f"Dieser Text gehört zu keinem Abschnitt des Handlungsfeldes: „{line}“."
            )
        if self.slot.kind == "feedback":
            # Each bullet is one piece of feedback; other lines continue the bullet before.
            bullet = RE_BULLET_LINE.match(line)
            self.slot.paragraphs.add(bullet.group(1) if bullet else line, new_item=bool(bullet))
            return
        if self._continues_title(line):
            return
        self.slot.paragraphs.add(line)

    def _continues_title(self, line: str) -> bool:
        """A goal title wrapped onto the next line.

        The text under a heading starts a sentence with a capital letter; a line that starts
        in lower case, or follows a title ending in a hyphen, still belongs to the title."""
        if self.slot.kind not in ("strategic", "operative") or self.slot.paragraphs.items:
            return False
        goal = (
            self.current_sg
            if self.slot.kind == "strategic"
            else self.current_sg.operative_goals[-1]
        )
        if not (goal.title.endswith("-") or line[:1].islower()):
            return False
        goal.title = join_wrapped(goal.title, line)
        return True

    def start_field(self, line_no: int, number: int, title: str) -> None:
        self.finish_field()
        if any(f.number == number for f in self.fields):
            raise SekParseError(line_no, f"Handlungsfeld {number} steht zweimal in der Datei.")
        self.current_field = FieldText(number=number, title=title, line=line_no)
        self.fields.append(self.current_field)
        self.current_sg = None
        self.seen_leitsatz = False
        self.open_slot("field_title", line_no)

    def handle_heading(self, line_no: int, line: str) -> bool:
        f = self.current_field
        if match := RE_TITLE_QUESTION.match(line):
            self.open_slot("title_question", line_no)
            if match.group(1):
                self.slot.paragraphs.add(match.group(1))
            return True
        if match := RE_STRUCTURE_QUESTION.match(line):
            self.open_slot("structure_question", line_no)
            if match.group(1):
                self.slot.paragraphs.add(match.group(1))
            return True
        if RE_FEEDBACK.match(line):
            self.open_slot("feedback_intro", line_no)
            return True
        if self.slot is not None and self.slot.kind == "feedback_intro":
            # The introduction may wrap; it ends with its colon or with the first bullet.
            if RE_BULLET_LINE.match(line):
                self.open_slot("feedback", line_no)
                return False
            if self.slot.paragraphs.items and self.slot.paragraphs.items[-1].endswith(":"):
                raise SekParseError(
                    line_no,
                    f"Erwartet wurde eine Rückmeldung als Aufzählungspunkt, gefunden: „{line}“.",
                )
            self.slot.paragraphs.add(line)
            return True
        if RE_LEITSATZ.match(line):
            if self.seen_leitsatz:
                raise SekParseError(line_no, f"Handlungsfeld {f.number} hat zwei Leitsätze.")
            self.seen_leitsatz = True
            self.open_slot("leitsatz", line_no)
            return True
        if match := RE_STRATEGIC.match(line):
            self.start_strategic(line_no, int(match.group(1)), (match.group(2) or "").strip())
            return True
        if RE_OPERATIVE_HEADING.match(line):
            if self.current_sg is None:
                raise SekParseError(
                    line_no, "„Operative Ziele“ steht vor dem ersten „Strategisches Ziel 1 - …“."
                )
            self.open_slot("operative_heading", line_no)
            return True
        match = RE_OPERATIVE.match(line)
        if match and (match.group("bullet") or match.group("sep") or self._expects_operative()):
            self.start_operative(line_no, match)
            return True
        if self.slot is not None and self.slot.kind == "operative_heading":
            raise SekParseError(
                line_no,
                f"Nach „Operative Ziele“ wird eine Zeile wie „- {self._code(1)}: Titel“ erwartet, "
                f"gefunden: „{line}“.",
            )
        return False

    def _expects_operative(self) -> bool:
        return self.slot is not None and self.slot.kind == "operative_heading"

    def start_strategic(self, line_no: int, number: int, title: str) -> None:
        f = self.current_field
        if not self.seen_leitsatz:
            raise SekParseError(
                line_no,
                f"Strategisches Ziel {number} beginnt, aber der Abschnitt „Leitsatz des "
                "Handlungsfeldes“ fehlt davor.",
            )
        self.close_slot()
        self._check_operatives(line_no)
        expected = len(f.strategic_goals) + 1
        if number != expected:
            raise SekParseError(
                line_no,
                f"Erwartet wurde „Strategisches Ziel {expected}“, gefunden „Strategisches Ziel "
                f"{number}“ (Nummern müssen lückenlos aufsteigen).",
            )
        if not title:
            raise SekParseError(
                line_no,
                f"Strategisches Ziel {number} hat keinen Titel (erwartet: „Strategisches "
                f"Ziel {number} - Titel“).",
            )
        self.current_sg = StrategicGoalText(number=number, title=title, text="", line=line_no)
        f.strategic_goals.append(self.current_sg)
        self.open_slot("strategic", line_no)

    def start_operative(self, line_no: int, match: re.Match[str]) -> None:
        f, sg = self.current_field, self.current_sg
        code = f"{match.group('f')}.{match.group('s')}.{match.group('o')}"
        if sg is None:
            raise SekParseError(
                line_no,
                f"Das operative Ziel {code} steht vor dem ersten „Strategisches Ziel 1 - …“.",
            )
        field_no, sg_no, og_no = (int(match.group(k)) for k in ("f", "s", "o"))
        expected = f"{f.number}.{sg.number}.{len(sg.operative_goals) + 1}"
        if field_no != f.number:
            raise SekParseError(
                line_no,
                f"Das operative Ziel {code} gehört nicht zu Handlungsfeld {f.number}; erwartet "
                f"wurde {expected}.",
            )
        if sg_no == sg.number + 1 and og_no == 1:
            raise SekParseError(
                line_no,
                f"Das operative Ziel {code} steht unter Strategischem Ziel {sg.number}; die "
                f"Überschrift „Strategisches Ziel {sg_no} - …“ fehlt davor.",
            )
        if code != expected:
            raise SekParseError(
                line_no,
                f"Erwartet wurde das operative Ziel {expected}, gefunden {code} (Nummern müssen "
                "lückenlos aufsteigen und zum strategischen Ziel passen).",
            )
        title = match.group("title").strip()
        if not title:
            raise SekParseError(line_no, f"Das operative Ziel {code} hat keinen Titel.")
        self.close_slot()
        sg.operative_goals.append(
            OperativeGoalText(number=og_no, title=title, text="", line=line_no)
        )
        self.slot = _Slot("operative", line_no)


def parse_chapter(text: str) -> list[FieldText]:
    """Parse the text of one or more SEK chapters; raises SekParseError on the first problem."""
    parser = _ChapterParser()
    line_no = 0
    for line_no, raw in enumerate(text.splitlines(), start=1):
        parser.feed(line_no, clean_line(raw))
    parser.last_line = max(line_no, 1)
    if parser.current_field is None:
        raise SekParseError(
            parser.last_line, "Die Datei enthält keine Überschrift „Handlungsfeld <Nummer>“."
        )
    parser.finish_field()
    return parser.fields
