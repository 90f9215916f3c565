"""The session engine without a terminal: saving, resuming, orphans, checking a file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from audit.errors import AnswersError, UsageError
from audit.questionnaire.loader import load_pack
from audit.questionnaire.model import Pack, Question
from audit.session.answers import Mode, Status
from audit.session.runner import (
    FileProblem,
    Session,
    check_file_path,
    check_prepared,
    client_slug,
    default_answers_path,
)
from audit.session.store import load_answers


@pytest.fixture
def pack(mini_pack_dir: Path) -> Pack:
    return load_pack(mini_pack_dir)


def q(pack: Pack, qid: str) -> Question:
    question = pack.question(qid)
    assert question is not None
    return question


def test_a_new_session_writes_its_file_at_once(pack: Pack, tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    session = Session.open(pack, path, client="Acme", language="en", quick=True)
    assert not session.resumed
    saved = load_answers(path)
    assert (saved.pack, saved.client.name, saved.language) == ("mini", "Acme", "en")
    assert saved.mode == Mode.QUICK


def test_a_new_session_needs_a_client(pack: Pack, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="client"):
        Session.open(pack, tmp_path / "x.yaml")
    assert not (tmp_path / "x.yaml").exists()


def test_every_answer_is_on_disk_before_the_next_question(pack: Pack, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    session = Session.open(pack, path, client="Acme")
    session.apply(q(pack, "audience"), Status.ANSWERED, "b2c")
    assert load_answers(path).answers["audience"].value == "b2c"
    session.apply(q(pack, "employees"), Status.ANSWERED, "1 200")
    assert load_answers(path).answers["employees"].value == 1200
    session.apply(q(pack, "written_plan"), Status.UNKNOWN)
    on_disk = load_answers(path).answers["written_plan"]
    assert (on_disk.status, on_disk.value) == (Status.UNKNOWN, None)


def test_values_that_do_not_fit_are_refused_and_not_saved(pack: Pack, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    session = Session.open(pack, path, client="Acme")
    with pytest.raises(ValueError):
        session.apply(q(pack, "employees"), Status.ANSWERED, "0")
    with pytest.raises(ValueError):
        session.apply(q(pack, "audience"), Status.ANSWERED, "martians")
    with pytest.raises(ValueError, match="not applicable"):
        session.apply(q(pack, "audience"), Status.NOT_APPLICABLE)
    assert load_answers(path).answers == {}


def test_a_note_is_saved_before_the_answer_and_stays_with_it(pack: Pack, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    session = Session.open(pack, path, client="Acme")
    question = q(pack, "written_plan")
    session.set_note(question, "Only in the director's head")
    kept = load_answers(path).answers["written_plan"]
    assert (kept.status, kept.note) == (Status.SKIPPED, "Only in the director's head")
    # A note alone is not an answer: resuming asks the question, with its note.
    session.apply(q(pack, "audience"), Status.ANSWERED, "b2b")
    session = Session.open(pack, path)  # resumed (one session at a time on a file)
    assert session.first_unanswered() == question
    assert session.note_of(question) == "Only in the director's head"
    session.apply(question, Status.ANSWERED, "no")
    assert load_answers(path).answers["written_plan"].note == "Only in the director's head"
    session.apply(question, Status.ANSWERED, "yes")  # changing the answer keeps the note
    assert load_answers(path).answers["written_plan"].note == "Only in the director's head"
    session.set_note(question, "")
    assert load_answers(path).answers["written_plan"].note is None
    other = q(pack, "employees")
    session.set_note(other, "to ask HR")
    session.set_note(other, " ")  # clearing the note of an unanswered question removes it
    assert "employees" not in load_answers(path).answers


def test_resume_continues_at_the_first_unanswered_question(pack: Pack, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    first = Session.open(pack, path, client="Acme")
    first.apply(q(pack, "audience"), Status.ANSWERED, "b2b")
    first.apply(q(pack, "written_plan"), Status.ANSWERED, True)
    again = Session.open(pack, path, client="Someone else", language="en")
    assert again.resumed
    assert again.answers.client.name == "Acme"
    assert again.language == "en"
    following = again.first_unanswered()
    assert following is not None and following.id == "employees"


def test_orphan_answers_are_kept_through_a_session(pack: Pack, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    Session.open(pack, path, client="Acme")
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("answers: {}", "answers:\n  budget: {status: answered, value: 5000}\n"),
        encoding="utf-8",
    )
    session = Session.open(pack, path)
    assert session.orphans() == ["budget"]
    session.apply(q(pack, "audience"), Status.ANSWERED, "b2b")
    kept = load_answers(path).answers
    assert kept["budget"].value == 5000 and kept["audience"].value == "b2b"


def test_a_corrupt_file_is_an_error_with_its_line_and_is_left_alone(
    pack: Pack, tmp_path: Path
) -> None:
    path = tmp_path / "a.yaml"
    Session.open(pack, path, client="Acme")
    broken = path.read_text(encoding="utf-8").replace("language: fr", "language: [fr")
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(AnswersError) as caught:
        Session.open(pack, path, client="Acme")
    assert caught.value.location.line is not None
    assert path.read_text(encoding="utf-8") == broken


def test_a_file_of_another_pack_is_refused_with_the_line(pack: Pack, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    Session.open(pack, path, client="Acme")
    path.write_text(path.read_text(encoding="utf-8").replace("pack: mini", "pack: other"))
    with pytest.raises(AnswersError, match="'other'") as caught:
        Session.open(pack, path)
    line = caught.value.location.line
    assert line is not None
    assert path.read_text(encoding="utf-8").splitlines()[line - 1].startswith("pack:")


def test_file_questions_store_the_path_from_the_answers_folder(
    pack: Pack, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "exports").mkdir()
    export = tmp_path / "exports" / "contacts.csv"
    export.write_text("email\ncontact@example.com\n", encoding="utf-8")
    session = Session.open(pack, tmp_path / "a.yaml", client="Acme")
    session.apply(q(pack, "contact_export"), Status.ANSWERED, str(export))
    saved = load_answers(tmp_path / "a.yaml").answers["contact_export"].value
    assert saved == "exports/contacts.csv"  # the answers and their list move together
    # A list outside the answers file's folder is refused, whether it exists or not.
    for outside in ("/etc/passwd", "../elsewhere.csv", "/nonexistent/x.csv"):
        with pytest.raises(FileProblem) as refused:
            session.apply(q(pack, "contact_export"), Status.ANSWERED, outside)
        assert refused.value.kind == "outside"
    assert load_answers(tmp_path / "a.yaml").answers["contact_export"].value == saved
    with pytest.raises(FileProblem) as missing:
        check_file_path("nothing-here.csv")
    assert missing.value.kind == "missing"
    with pytest.raises(FileProblem) as folder:
        check_file_path(str(tmp_path))
    assert folder.value.kind == "not_file"


def test_a_contact_list_is_analysed_into_the_facts(pack: Pack, tmp_path: Path) -> None:
    pytest.importorskip("audit.contacts.analysis")
    export = tmp_path / "contacts.csv"
    export.write_text("email\ncontact@acme.fr\njane.doe@acme.fr\n", encoding="utf-8")
    session = Session.open(pack, tmp_path / "a.yaml", client="Acme")
    session.attach_contacts(str(export))
    facts = load_answers(tmp_path / "a.yaml").facts["contacts"]
    assert facts["rows"] == 2
    assert "source" in facts


def test_resume_command_names_a_pack_that_is_not_shipped(pack: Pack, tmp_path: Path) -> None:
    session = Session.open(pack, tmp_path / "my answers.yaml", client="Acme")
    command = session.resume_command()
    assert command.startswith("audit run --answers ")
    assert f"'{tmp_path / 'my answers.yaml'}'" in command
    assert f"--pack {pack.path}" in command


@pytest.mark.parametrize(
    ("name", "slug"),
    [("Café Dupont & Fils", "cafe-dupont-fils"), ("  ", "client"), ("ACME/../etc", "acme-etc")],
)
def test_client_slug_makes_a_safe_file_name(name: str, slug: str) -> None:
    assert client_slug(name) == slug
    assert default_answers_path(name) == Path(f"{slug}-answers.yaml")


def test_check_reports_missing_invalid_and_orphans_with_lines(
    pack: Pack, tmp_path: Path, mini_pack_dir: Path
) -> None:
    path = tmp_path / "prepared.yaml"
    path.write_text(
        "pack: mini\n"
        "pack_version: '0.9'\n"
        "client: {name: Acme}\n"
        "answers:\n"
        "  audience: {status: answered, value: b2b}\n"
        "  employees: {status: answered, value: lots}\n"
        "  written_plan: {status: unknown}\n"
        "  budget: {status: answered, value: 10}\n",
        encoding="utf-8",
    )
    report = check_prepared(pack, path)
    assert not report.ok
    assert [(i.question, i.line) for i in report.invalid] == [("employees", 6)]
    assert report.orphans == [("budget", 8)]
    assert [question.id for question in report.to_verify] == ["written_plan"]
    assert [question.id for question in report.missing] == [
        "data_places",
        "crm_trained",
        "contact_export",
    ]
    assert report.previous_version == "0.9"


def test_check_of_a_complete_file_is_ok(pack: Pack, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    session = Session.open(pack, path, client="Acme", quick=True)
    for qid, value in (("audience", "b2b"), ("written_plan", True), ("data_places", ["paper"])):
        session.apply(q(pack, qid), Status.ANSWERED, value)
    report = check_prepared(pack, path)
    assert report.ok and report.missing == [] and report.total == 3
    assert check_prepared(pack, path, quick=False).missing  # the full questionnaire is not


def test_shipped_example_answers_load_against_their_pack(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    examples = sorted(root.glob("questionnaires/*/examples/*.yaml"))
    # A form export's mapping (audit batch) lives beside the answers files.
    examples = [e for e in examples if not e.name.endswith(".mapping.yaml")]
    if not examples:
        pytest.skip("no shipped example answers yet")
    for example in examples:
        # The contact lists an example names lie beside it: copy the whole folder.
        folder = tmp_path / example.parent.parent.name
        if not folder.exists():
            shutil.copytree(example.parent, folder)
        copy = folder / example.name
        pack = load_pack(example.parent.parent)
        report = check_prepared(pack, copy)
        assert report.ok, (example, report.invalid)


def test_a_quick_file_can_continue_as_the_full_workshop(pack: Pack, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    quick = Session.open(pack, path, client="Acme", quick=True)
    for qid, value in (("audience", "b2b"), ("written_plan", True), ("data_places", ["paper"])):
        quick.apply(q(pack, qid), Status.ANSWERED, value)
    assert quick.first_unanswered() is None
    full = Session.open(pack, path, quick=False)
    assert load_answers(path).mode == Mode.FULL
    following = full.first_unanswered()
    assert following is not None and following.id == "employees"
    assert Session.open(pack, path).answers.mode == Mode.FULL  # the file's mode is kept


def test_a_new_file_in_a_missing_folder_is_a_usage_error(pack: Pack, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="does not exist"):
        Session.open(pack, tmp_path / "nowhere" / "a.yaml", client="Acme")


def test_a_dragged_in_path_is_unquoted_and_unescaped(tmp_path: Path) -> None:
    export = tmp_path / "my list.csv"
    export.write_text("email\n", encoding="utf-8")
    assert check_file_path(f"'{export}' ") == str(export)
    assert check_file_path(str(export).replace(" ", "\\ ")) == str(export)
