"""Saving answers: every save reads back unchanged, one writer per file, hand edits and
comments survive, a killed save leaves nothing behind (issue 11, items 1, 2 and 7)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit import yamlio
from audit.errors import AnswersError
from audit.questionnaire.loader import load_pack
from audit.questionnaire.model import Pack, Question
from audit.session import lock as answers_lock
from audit.session.answers import Answer, AnswersFile, Client, Respondent, Status
from audit.session.runner import Session
from audit.session.store import AnswersChanged, load_answers, save_answers

MINI = Path(__file__).resolve().parent / "packs" / "mini"


@pytest.fixture
def pack() -> Pack:
    return load_pack(MINI)


def q(pack: Pack, qid: str) -> Question:
    question = pack.question(qid)
    assert question is not None
    return question


def answers_with(text: str, other: str = "x") -> AnswersFile:
    """An answers file holding `text` everywhere a person or a CSV can put text."""
    return AnswersFile(
        pack="mini",
        pack_version="1.0",
        client=Client(name=text or "x", sector=other),
        consultant=text,
        respondents=[Respondent(name=other or "x", role=text)],
        answers={
            "consumer_note": Answer(status=Status.ANSWERED, value=text, note=other),
            "audience": Answer(status=Status.ANSWERED, value="b2b", note=text),
        },
        facts={
            "contacts": {
                "source": {"file": text},
                "samples": {"invalid": [{"row": 2, "email": text, "reason": other}]},
            }
        },
    )


# What a user can type or a CSV cell can hold: any Unicode text except lone surrogates
# (not encodable in UTF-8, so no file and no keyboard produces them), with the characters
# YAML treats specially drawn often.
TRICKY = list("?:-#&*!|>'\"%@`,[]{}\\ \t\n\r\x85\u2028\u2029\x00\x1b\x7f\ufeff\xa0\u202fé0.~=<")
TEXT = st.text(st.sampled_from(TRICKY) | st.characters(exclude_categories=["Cs"]), max_size=200)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXT, other=TEXT)
def test_any_text_survives_save_then_load_exactly(text: str, other: str) -> None:
    answers = answers_with(text, other)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "answers.yaml"
        save_answers(path, answers, touch=False)
        assert load_answers(path) == answers


@pytest.mark.parametrize(
    "text",
    [
        "? à vérifier avec le DG",
        ": y@example.com",
        "- liste",
        "ligne 1\r\nligne 2",
        "avant\x85après",
        "paragraphe\u2029suivant",
        "ligne\n\x01contrôle",
        "  indenté\nsuite",
        "no",
        "12:30",
    ],
)
def test_texts_that_broke_the_file_read_back(text: str, tmp_path: Path) -> None:
    path = tmp_path / "answers.yaml"
    answers = answers_with(text)
    save_answers(path, answers, touch=False)
    assert load_answers(path) == answers


def test_a_save_that_would_not_read_back_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "answers.yaml"
    save_answers(path, answers_with("first"), touch=False)
    before = path.read_bytes()
    # A writer bug that drops a character: the read-back check catches it before the rename.
    real_dump = yamlio.dump
    monkeypatch.setattr(yamlio, "dump", lambda data: real_dump(data).replace("second", "secnd"))
    with pytest.raises(AnswersError) as caught:
        save_answers(path, answers_with("second"), touch=False)
    assert caught.value.location.field is not None
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["answers.yaml"]


def test_a_hand_edit_during_a_session_is_never_overwritten(pack: Pack, tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    session = Session.open(pack, path, client="Acme")
    session.apply(q(pack, "audience"), Status.ANSWERED, "b2b")
    edited = path.read_text(encoding="utf-8").replace("name: Acme", "name: Acme SA")
    path.write_text(edited, encoding="utf-8")
    with pytest.raises(AnswersChanged) as caught:
        session.apply(q(pack, "employees"), Status.ANSWERED, "12")
    assert path.read_text(encoding="utf-8") == edited
    # Nothing is lost either: the session's answers are in the file the message names.
    aside = [p for p in tmp_path.iterdir() if ".unsaved-" in p.name]
    assert len(aside) == 1 and str(aside[0]) in caught.value.message
    kept = load_answers(aside[0])
    assert kept.answers["employees"].value == 12 and kept.client.name == "Acme"


def test_two_sessions_on_one_file_do_not_overwrite_each_other(pack: Pack, tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    first = Session.open(pack, path, client="Acme")
    first.apply(q(pack, "audience"), Status.ANSWERED, "b2b")
    second = Session.open(pack, path)
    second.apply(q(pack, "employees"), Status.ANSWERED, "40")
    with pytest.raises(AnswersChanged):
        first.apply(q(pack, "written_plan"), Status.ANSWERED, True)
    assert load_answers(path).answers["employees"].value == 40


def test_the_files_own_comments_are_kept_on_resume(pack: Pack, tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text(
        "# Acme: prepared before the workshop by C. Roussel\n"
        "pack: mini\n"
        "pack_version: '1.0'\n"
        "client: {name: Acme}  # the legal name is Acme SAS\n"
        "answers:\n"
        "  # settled with the director on the phone\n"
        "  audience: {status: answered, value: b2b}\n",
        encoding="utf-8",
    )
    session = Session.open(pack, path, language="en")
    session.apply(q(pack, "employees"), Status.ANSWERED, "12")
    session.set_note(q(pack, "audience"), "? à vérifier avec le DG")
    text = path.read_text(encoding="utf-8")
    for comment in (
        "# Acme: prepared before the workshop by C. Roussel",
        "# the legal name is Acme SAS",
        "# settled with the director on the phone",
    ):
        assert comment in text
    saved = load_answers(path)
    assert saved.answers["employees"].value == 12
    assert saved.answers["audience"].note == "? à vérifier avec le DG"
    assert saved.language == "en"


def test_a_stale_temp_file_from_a_killed_save_is_removed(pack: Pack, tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    session = Session.open(pack, path, client="Acme")
    stale = tmp_path / ".acme.yaml.k1ll3d.tmp"
    stale.write_text("half a file", encoding="utf-8")
    other = tmp_path / ".other.yaml.abc.tmp"  # another file's: not ours to touch
    other.write_text("x", encoding="utf-8")
    session.apply(q(pack, "audience"), Status.ANSWERED, "b2b")
    assert not stale.exists()
    assert other.exists()


def test_answers_are_written_through_a_symlink(pack: Pack, tmp_path: Path) -> None:
    real = tmp_path / "shared" / "acme.yaml"
    real.parent.mkdir()
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    session = Session.open(pack, link, client="Acme")
    session.apply(q(pack, "audience"), Status.ANSWERED, "b2b")
    assert link.is_symlink()
    assert load_answers(real).answers["audience"].value == "b2b"


def test_a_pipe_is_refused_as_an_answers_file(pack: Pack, tmp_path: Path) -> None:
    fifo = tmp_path / "answers.yaml"
    os.mkfifo(fifo)
    with pytest.raises(AnswersError, match="not a regular file"):
        Session.open(pack, fifo, client="Acme")


# --- the lock --------------------------------------------------------------------------


def test_a_second_lock_is_refused_with_the_holders_host_and_pid(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    with answers_lock.locked(path):
        holder = answers_lock.holder_of(path)
        assert holder is not None
        assert (holder["host"], holder["pid"]) == (socket.gethostname(), os.getpid())
        with pytest.raises(answers_lock.AnswersLocked) as caught:
            answers_lock.acquire(path)
        assert f"process {os.getpid()} on {socket.gethostname()}" in caught.value.message
    assert answers_lock.holder_of(path) is None
    assert not answers_lock.lock_path(path).exists()
    answers_lock.acquire(path).release()  # free again


def test_a_lock_left_by_a_killed_session_is_stale_and_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    code = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from audit.session.lock import acquire\n"
        "acquire(Path(sys.argv[1]))\n"
        "os.kill(os.getpid(), 9)\n"
    )
    subprocess.run([sys.executable, "-c", code, str(path)], check=False)
    left = answers_lock.lock_path(path)
    assert json.loads(left.read_text(encoding="utf-8"))["pid"] != os.getpid()
    with answers_lock.locked(path):
        assert answers_lock.holder_of(path)["pid"] == os.getpid()  # type: ignore[index]


def test_a_lock_from_another_computer_is_not_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    left = answers_lock.lock_path(path)
    left.write_text(json.dumps({"host": "laptop-of-camille", "pid": 4242}), encoding="utf-8")
    with pytest.raises(answers_lock.AnswersLocked) as caught:
        answers_lock.acquire(path)
    assert "laptop-of-camille" in caught.value.message
    assert str(left) in str(caught.value)
