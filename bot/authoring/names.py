"""Session lines after the clock: name, duration, notes and link labels, in sv and en.

"11:20 Fri träning 1 (60 min) – LIVETIMING" keeps its name as written and gets the other
language from a small glossary, a kind (practice/qualifying/race) and the shipped ids.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from bot.core.model import LinkKind, SessionKind, Text

# --- glossaries -----------------------------------------------------------------------

#: Session-name terms, Swedish -> English; the first pair wins when read backwards.
_NAME_TERMS: tuple[tuple[str, str], ...] = (
    ("Fri träning", "Free Practice"),
    ("Träning", "Practice"),
    ("Tidskval", "Qualifying"),
    ("Kvalificering", "Qualifying"),
    ("Kval", "Qualifying"),
    ("Uppvärmning", "Warm-up"),
    ("Race", "Race"),
    ("Final", "Final"),
    ("Superpole", "Superpole"),
    ("och", "and"),
)

#: Whole notes, Swedish -> English.
_NOTES: tuple[tuple[str, str], ...] = (
    ("byter förare efter halva loppet", "driver change at half distance"),
    ("förarbyte efter halva loppet", "driver change at half distance"),
    ("förarbyte", "driver change"),
    ("omvänd startordning", "reversed grid"),
    ("stående start", "standing start"),
    ("rullande start", "rolling start"),
)

_DURATION = re.compile(
    r"^(?:\d+\s*[x×]\s*)?\d+\s*(?:min(?:uter|utes)?|h|tim(?:mar)?)\.?$", re.IGNORECASE
)
_TOKENS = re.compile(r"\((?P<paren>[^()]*)\)|(?P<sep>\s+[–—-](?:\s+|$)|^[–—-]\s+)")
_LIVE_ON = re.compile(
    r"^(?:live|livesänds|sänds\s+live|direktsänds|streamas|streamed|stream)\s*"
    r"(?:på|on|via|at|:)\s+(?P<label>.+)$",
    re.IGNORECASE,
)
_HERE = re.compile(
    r"\b(?:live|sänd\w*|stream\w*|timing|watch|följ|follow|se)\b.*\b(?:här|here)\.?$",
    re.IGNORECASE,
)
_LINK_WORD = re.compile(r"^(?:live|livetiming|live-timing|livestream|stream)\b", re.IGNORECASE)
SESSION_TERM = re.compile(
    r"^(?:fri\s+träning|träning|tidskval|kval\w*|free\s+practice|practice|qualifying|race|"
    r"superpole|warm-?up|uppvärmning|final|heat|q\d)\b",
    re.IGNORECASE,
)


@dataclass
class Parts:
    name: str
    duration: str | None
    labels: list[str]
    notes: list[str]


def link_label(text: str) -> str | None:
    """The label of a link mention: "LIVE på X" -> "X"; "LIVETIMING", "LIVE TV RACE 1" as is."""
    text = text.strip()
    match = _LIVE_ON.match(text)
    if match:
        return match["label"].strip()
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 4 and all(c.isupper() for c in letters):
        return text
    if _LINK_WORD.match(text):
        return text
    if _HERE.search(text):
        return text  # "se racet live HÄR": the release linked the word, not the address
    return None


def _known_note(text: str) -> bool:
    folded = text.casefold()
    return any(folded in (sv.casefold(), en.casefold()) for sv, en in _NOTES)


def split_rest(rest: str) -> Parts:
    """Split "Name (60 min) – note - LABEL" into its parts, keeping the name as written."""
    name: list[str] = []
    duration: str | None = None
    labels: list[str] = []
    notes: list[str] = []
    name_open = True
    separator: str | None = None

    def text_part(piece: str) -> None:
        nonlocal name_open
        stripped = piece.strip()
        if not stripped:
            return
        if not name:
            name.append(piece)
            return
        label = link_label(stripped) if separator is not None else None
        if label is not None:
            labels.append(label)
            name_open = False
        elif name_open and separator is None:
            name.append(piece)
        elif name_open and SESSION_TERM.match(stripped):
            name.append(f"{separator}{piece}")
        else:
            name_open = False
            if separator is None and notes:
                notes[-1] = f"{notes[-1]} {stripped}"
            else:
                notes.append(stripped)

    position = 0
    for match in _TOKENS.finditer(rest):
        text_part(rest[position : match.start()])
        position = match.end()
        if match["sep"] is not None:
            separator = match["sep"]
            continue
        inner = match["paren"].strip()
        if _DURATION.match(inner):
            duration = re.sub(r"\s+", " ", inner).rstrip(".")
            name_open = False
        elif (label := link_label(inner)) is not None:
            labels.append(label)
            name_open = False
        elif _known_note(inner):
            notes.append(inner)  # "(omvänd startordning)" is a note, not part of the name
            name_open = False
        elif name_open and name:
            name.append(match.group(0))
        elif notes:
            notes[-1] = f"{notes[-1]} {match.group(0)}"
        else:
            notes.append(match.group(0))
        separator = None
    text_part(rest[position:])
    joined = re.sub(r"\s+", " ", "".join(name)).strip().strip("–—-").strip()
    return Parts(joined, duration, labels, notes)


def _translate(text: str, pairs: Iterable[tuple[str, str]]) -> str:
    """Replace glossary terms (whole words, longest first), keeping the writer's capitals."""
    mapping: dict[str, str] = {}
    for source, target in pairs:
        mapping.setdefault(source.casefold(), target)
    if not mapping:
        return text
    alternatives = "|".join(re.escape(k) for k in sorted(mapping, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)

    def swap(match: re.Match[str]) -> str:
        written = match.group(0)
        target = mapping[written.casefold()]
        if written.isupper() and len(written) > 1:
            return target.upper()
        if written[:1].islower():
            return target[:1].lower() + target[1:]
        return target

    return pattern.sub(swap, text)


def names(written: str, language: str) -> Text:
    if language == "en":
        return Text(_translate(written, ((en, sv) for sv, en in _NAME_TERMS)), written)
    return Text(written, _translate(written, _NAME_TERMS))


def note(written: str, language: str) -> Text:
    for sv, en in _NOTES:
        if language == "en" and written.casefold() == en.casefold():
            return Text(sv, written)
        if language != "en" and written.casefold() == sv.casefold():
            return Text(written, en)
    return Text(written, written)


def line_language(name: str, fallback: Literal["sv", "en"]) -> Literal["sv", "en"]:
    if re.search(r"träning|kval|\boch\b|uppvärmning", name, re.IGNORECASE):
        return "sv"
    if re.search(r"practice|qualifying|\band\b|warm-?up", name, re.IGNORECASE):
        return "en"
    return fallback


def kind_of(name: Text) -> SessionKind:
    both = f"{name.sv} | {name.en}".lower()
    if re.search(r"practice|träning|warm-?up|uppvärmning|\bfp\d*\b", both):
        return SessionKind.PRACTICE
    if re.search(r"\brace\b|\blopp\b|\bheat\b|\bfinal\b|race\s*\d", both):
        return SessionKind.RACE
    if re.search(r"qualif|kval|superpole|\bq\d", both):
        return SessionKind.QUALIFYING
    return SessionKind.OTHER


def slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    out = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:64].strip("-")
    return out or "x"


def session_id(name: Text, kind: SessionKind) -> str:
    """fp1, fp2, q, race1, race2 as the shipped files use; other sessions get a slug."""
    numbers = list(dict.fromkeys(re.findall(r"\d+", name.en)))
    single = numbers[0] if len(numbers) == 1 else ""
    if kind is SessionKind.PRACTICE:
        return f"fp{single}"
    if kind is SessionKind.QUALIFYING:
        return f"q{single}"
    if kind is SessionKind.RACE:
        return f"race{single}"
    return slug(name.en)


def link_kind(label: str) -> LinkKind:
    return (
        LinkKind.TIMING
        if re.search(r"timing|tidtagning", label, re.IGNORECASE)
        else LinkKind.STREAM
    )
