"""Property tests: whatever a hand (or a bad merge) does to a pack or an answers file, loading
either works or raises our AuditError with a location, never another exception."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.errors import AuditError
from audit.questionnaire.loader import load_pack
from audit.session.runner import Session, check_prepared

MINI = Path(__file__).resolve().parent / "packs" / "mini"
PACK_FILES = ["pack.yaml", "sections/company.yaml", "sections/data.yaml"]

ANSWERS = """\
pack: mini
pack_version: '1.0'
mode: full
client: {name: Acme, sector: retail}
language: en
respondents:
- {name: Jane Roe, role: director}
started: '2026-11-23T10:00:00+00:00'
updated: '2026-11-23T10:05:00+00:00'
answers:
  audience: {status: answered, value: b2c}
  written_plan: {status: answered, value: true, note: oral only}
  employees: {status: answered, value: 12}
  data_places: {status: answered, value: [crm, paper]}
  crm_trained: {status: not_applicable, value: null}
  consumer_note: {status: unknown, value: null}
"""

# Pieces a person might type by mistake, or a merge might leave behind.
NOISE = [
    "",
    " ",
    "\t",
    ":",
    "- ",
    "{",
    "}",
    "[",
    "]",
    "'",
    '"',
    "#",
    "&a",
    "*a",
    "!!python/object:os.system",
    "no",
    "yes",
    "null",
    "~",
    "1e999",
    "-1",
    "é",
    "\x00",
    "\n",
    "<<<<<<< HEAD\n",
    "id: audience\n",
    "when: \"audience == 'b2b'\"\n",
    "status: skipped",
    "value: [a, b]",
]


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """`text` with a few lines deleted, duplicated, swapped or spliced with noise."""
    lines = text.splitlines(keepends=True)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        if not lines:
            break
        index = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "splice", "truncate"]))
        if kind == "delete":
            del lines[index]
        elif kind == "duplicate":
            lines.insert(index, lines[index])
        elif kind == "swap":
            other = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif kind == "splice":
            line = lines[index]
            at = draw(st.integers(min_value=0, max_value=len(line)))
            noise = draw(st.sampled_from(NOISE) | st.text(max_size=6))
            cut = draw(st.integers(min_value=0, max_value=3))
            lines[index] = line[:at] + noise + line[at + cut :]
        else:
            lines = lines[:index]
    return "".join(lines)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_mutated_pack_loads_or_fails_with_our_error(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(PACK_FILES))
    text = data.draw(mutated((MINI / name).read_text(encoding="utf-8")))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pack"
        shutil.copytree(MINI, folder)
        (folder / name).write_text(text, encoding="utf-8")
        try:
            load_pack(folder)
        except AuditError as exc:
            assert exc.location.file is not None


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=mutated(ANSWERS))
def test_a_mutated_answers_file_loads_or_fails_with_our_error(text: str) -> None:
    pack = load_pack(MINI)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "answers.yaml"
        path.write_bytes(text.encode("utf-8"))  # bytes: a mutated `\r` stays a `\r`
        try:
            report = check_prepared(pack, path)
        except AuditError as exc:
            assert exc.location.file is not None
            assert path.read_bytes() == text.encode("utf-8")  # never reset
            return
        # A file that passes the check also opens as a session and navigates.
        session = Session.open(pack, path)
        session.review()
        question = session.first_unanswered()
        if question is not None:
            session.progress(question)
        assert len(report.invalid) == len(session.invalid())
