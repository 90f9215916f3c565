"""`audit batch`: form exports through a mapping, answers files and folders, in parallel.

The export used is the shipped example (Windows-1252 with `;`, as French Excel saves a
form's responses), spoiled the way real exports are: a row cut short, an answer the form
worded in a way the mapping does not know, a column the form no longer has.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from audit.batch.command import run_batch
from audit.batch.export import read_export
from audit.batch.guess import write_first_mapping
from audit.batch.mapping import MappingError, load_mapping
from audit.cli import app
from audit.report.formats import ReportFormat
from audit.session.store import load_answers

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "questionnaires" / "engagement" / "examples"
EXPORT = EXAMPLES / "prospects-form.csv"
MAPPING = EXAMPLES / "prospects-form.mapping.yaml"
CRM_HEADER = "CRM : où en êtes-vous ?"
STABILITY = "Aujourd'hui, votre marché est-il plutôt stable ou en plein bouleversement ?"


def _rows() -> list[list[str]]:
    text = EXPORT.read_bytes().decode("cp1252")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def _write(path: Path, rows: list[list[str]]) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode("cp1252"))
    return path


@pytest.fixture
def spoiled(tmp_path: Path) -> Path:
    """The example export with a short row (4), an unknown answer (row 6) and no
    market-stability column."""
    rows = _rows()
    header = rows[0]
    rows[3] = rows[3][:9]
    rows[5][header.index(CRM_HEADER)] = "On a un vieux fichier Access"
    drop = header.index(STABILITY)
    rows = [r[:drop] + r[drop + 1 :] if len(r) > drop else r for r in rows]
    return _write(tmp_path / "form.csv", rows)


def test_the_shipped_export_is_read_as_french_excel_writes_it() -> None:
    export = read_export(EXPORT)
    assert (export.encoding, export.delimiter) == ("cp1252", ";")
    assert len(export.rows) == 12 and all(r.problem is None for r in export.rows)


def test_every_row_of_the_shipped_export_becomes_answers(tmp_path: Path) -> None:
    outcome = run_batch([EXPORT], tmp_path, fmt=ReportFormat.JSON, mapping_path=MAPPING)
    assert outcome.failures == []
    assert outcome.count("rendered") == 12
    answers = load_answers(tmp_path / "answers" / "transports-giraud-answers.yaml")
    assert answers.client.name == "Transports Giraud"
    assert answers.client.contact == "antoine.michel@transports-giraud.fr"
    assert answers.started.startswith("2026-11-16")
    values = {k: (a.status.value, a.value) for k, a in answers.answers.items()}
    assert values["offer_emailing"] == ("answered", "has")  # "Déjà équipés", from the mapping
    assert values["offer_crm"] == ("answered", "none")
    # "nous n'avons presque pas d'adresses e-mail de clients ", lower case and a space
    assert values["contact_reachability"] == ("answered", "no_email")
    assert values["data_locations"] == ("answered", ["business_software", "spreadsheets"])
    others = tmp_path / "answers"
    unknown = load_answers(others / "negoce-picard-vins-answers.yaml").answers["offer_crm"]
    assert (unknown.status.value, unknown.value) == ("unknown", None)  # "Je ne sais pas"
    garage = load_answers(others / "garage-meunier-fils-answers.yaml").answers
    # "adresse generique": typed without accents
    assert garage["contact_reachability"].value == "generic_most"
    assert garage["offer_crm"].value == "offered"  # "On nous l'a proposé"


def test_a_bad_row_an_unknown_answer_and_a_missing_column_stop_only_themselves(
    spoiled: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    outcome = run_batch([spoiled], out, fmt=ReportFormat.JSON, mapping_path=MAPPING)
    messages = {f.row: f.message for f in outcome.failures}
    assert set(messages) == {4, 6}
    assert "form.csv, row 4" in messages[4] and "fields where the header has" in messages[4]
    assert "form.csv, row 6" in messages[6] and f"field '{CRM_HEADER}'" in messages[6]
    assert "'On a un vieux fichier Access' is not a choice of 'offer_crm'" in messages[6]
    assert "prospects-form.mapping.yaml (line" in messages[6]  # where to add the text
    assert outcome.count("rendered") == 10
    [warning] = outcome.plan.warnings
    assert "market_stability" in warning and "is not in the export" in warning
    answers = load_answers(out / "answers" / "menuiserie-arnaud-answers.yaml")
    assert "market_stability" not in answers.answers


def test_the_index_lists_every_input_failures_included(spoiled: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    missing = tmp_path / "nobody.yaml"
    run_batch(
        [spoiled, EXAMPLES / "craft.yaml", missing],
        out,
        fmt=ReportFormat.JSON,
        mapping_path=MAPPING,
        lang="en",
    )
    text = (out / "index.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 12 + 1 + 1  # every export row, the answers file, the missing file
    by_source = {r["Source"]: r for r in rows}
    assert by_source["form.csv, row 4"]["Status"] == "failed"
    assert by_source["nobody.yaml"]["Status"] == "failed"
    craft = by_source["craft.yaml"]
    assert craft["Company"] == "Atelier Terre d'Ocre" and craft["Report"] == "craft-assessment.json"
    assert craft["Online shop"] == "Not recommended"
    assert craft["Strategy (level)"] in {"1", "2", "3", "4", "5"}
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "craft-assessment.json" in html and "form.csv, row 6" in html


def test_up_to_date_reports_are_kept_unless_forced(tmp_path: Path) -> None:
    inputs = [EXAMPLES / "digital.yaml", EXAMPLES / "craft.yaml"]
    first = run_batch(inputs, tmp_path, fmt=ReportFormat.MARKDOWN)
    assert first.count("rendered") == 2
    again = run_batch(inputs, tmp_path, fmt=ReportFormat.MARKDOWN)
    assert again.count("skipped") == 2
    report = tmp_path / "craft-report.md"
    os.utime(report, ns=(0, 0))  # older than its answers file
    third = run_batch(inputs, tmp_path, fmt=ReportFormat.MARKDOWN)
    assert [r.status for r in third.results] == ["skipped", "rendered"]
    forced = run_batch(inputs, tmp_path, fmt=ReportFormat.MARKDOWN, force=True)
    assert forced.count("rendered") == 2


def test_a_folder_gives_its_answers_files_not_its_mapping(tmp_path: Path) -> None:
    outcome = run_batch([EXAMPLES], tmp_path, fmt=ReportFormat.JSON)
    assert sorted(r.output or "" for r in outcome.results) == [
        "craft-assessment.json",
        "digital-assessment.json",
        "industrial-assessment.json",
        "industrial-followup-assessment.json",
    ]


def test_an_xlsx_export_reads_like_the_csv(tmp_path: Path) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in _rows()[:4]:
        sheet.append(row)
    workbook.save(tmp_path / "form.xlsx")
    outcome = run_batch(
        [tmp_path / "form.xlsx"], tmp_path / "out", fmt=ReportFormat.JSON, mapping_path=MAPPING
    )
    assert outcome.failures == [] and outcome.count("rendered") == 3


def test_cli_renders_in_two_processes_prints_plain_lines_and_exits_1_on_a_failure(
    spoiled: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        [
            "batch",
            str(spoiled),
            "--mapping",
            str(MAPPING),
            "-o",
            str(out),
            "--jobs",
            "2",
            "--format",
            "summary",
            "--lang",
            "en",
        ],
    )
    assert result.exit_code == 1, result.output
    assert "[10/10] made:" in result.output  # not a terminal: one line per report
    assert "Reports made: 10 · already up to date: 0 · failed: 2" in result.output
    assert "row 4" in result.output and "row 6" in result.output
    pdfs = sorted(out.glob("*-summary.pdf"))
    assert len(pdfs) == 10 and all(p.read_bytes().startswith(b"%PDF") for p in pdfs)


def test_an_export_needs_a_mapping(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "audit", "batch", str(EXPORT), "-o", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "--init-mapping" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("edit", "message", "line"),
    [
        (("offer_crm:", "offer_crn:"), "'offer_crn' is not a question of the pack", 28),
        (('"Déjà équipés": has', '"Déjà équipés": hass'), "'hass' is not a choice", 17),
        (('date: "Horodateur"', 'dat: "Horodateur"'), "unknown field 'dat'", 12),
    ],
)
def test_mapping_errors_name_their_line(
    tmp_path: Path, edit: tuple[str, str], message: str, line: int
) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(MAPPING.read_text("utf-8").replace(*edit, 1), "utf-8")
    with pytest.raises(MappingError) as caught:
        load_mapping(path)
    assert message in str(caught.value)
    assert f"m.yaml:{line}" in str(caught.value)


def test_init_mapping_matches_the_pack_wording_and_marks_its_guesses(tmp_path: Path) -> None:
    export = shutil.copy(EXPORT, tmp_path / "form.csv")
    path, checks = write_first_mapping(Path(export), None, "engagement", "fr", False)
    assert path == tmp_path / "form.mapping.yaml"
    text = path.read_text("utf-8")
    lines = text.splitlines()
    # Headers written as the pack words them are certain; shortened ones are guesses.
    written = next(i for i, t in enumerate(lines) if t.startswith("  written_objectives:"))
    assert "TO CHECK" not in lines[written]
    crm = next(i for i, t in enumerate(lines) if t.startswith("  offer_crm:"))
    assert "TO CHECK" in lines[crm]
    assert '"Commentaires"  # TO CHECK: matches no question' in text
    assert 'name: "Entreprise"' in text and 'date: "Horodateur"' in text
    assert checks == text.count("TO CHECK") - 1  # the header comment names it once
    # The form's own answer texts are proposed, marked when unsure; one that matches no
    # choice is left null, and the batch refuses the mapping until a person fills it in.
    assert '"On nous l\'a proposé": offered  # TO CHECK' in text
    assert '"Déjà équipés": null  # TO CHECK: matches no choice' in text
    with pytest.raises(MappingError, match="maps to nothing"):
        load_mapping(path)
    # Every question the checked, shipped mapping has was found.
    mapped = {
        t.strip().split(":")[0] for t in lines if t.startswith("  ") and not t.startswith("   ")
    }
    assert set(load_mapping(MAPPING).model.questions) <= mapped


def test_init_mapping_keeps_an_existing_mapping(tmp_path: Path) -> None:
    target = tmp_path / "m.yaml"
    target.write_text("checked by hand\n", "utf-8")
    with pytest.raises(MappingError, match="--force"):
        write_first_mapping(EXPORT, target, "engagement", "fr", False)
    assert target.read_text("utf-8") == "checked by hand\n"


def test_a_french_index_is_french_to_the_last_column(spoiled: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch([spoiled], out, fmt=ReportFormat.JSON, mapping_path=MAPPING, lang="fr")
    rows = list(csv.DictReader(io.StringIO((out / "index.csv").read_text(encoding="utf-8-sig"))))
    by_source = {r["Source"]: r for r in rows}
    assert by_source["form.csv, ligne 4"]["État"] == "en échec"
    assert by_source["form.csv, ligne 2"]["État"] == "produit"
    assert [r["Source"] for r in rows][:3] == [f"form.csv, ligne {n}" for n in (2, 3, 4)]
    assert "form.csv, ligne 6" in (out / "index.html").read_text(encoding="utf-8")


def test_an_export_with_none_of_the_mappings_questions_is_refused(tmp_path: Path) -> None:
    # Another form's export: the company column is there, no question column is.
    export = tmp_path / "other-form.csv"
    export.write_text("Entreprise;Ville\nAcme;Lyon\nBeta;Nantes\n", encoding="utf-8")
    outcome = run_batch([export], tmp_path / "out", fmt=ReportFormat.JSON, mapping_path=MAPPING)
    assert outcome.count("rendered") == 0
    [message] = [failure.message for failure in outcome.failures]
    assert "other-form.csv, row 1" in message
    assert "none of the 24 question columns of prospects-form.mapping.yaml" in message
    assert "--init-mapping" in message
