"""The portfolio (store migration 2) and the benchmark chapter of `audit report`."""

from __future__ import annotations

import shutil
from pathlib import Path

from pypdf import PdfReader
from typer.testing import CliRunner

from audit.cli import app

EXAMPLES = Path(__file__).resolve().parent.parent / "questionnaires" / "engagement" / "examples"


def _text(pdf: Path) -> str:
    return " ".join(p.extract_text() for p in PdfReader(pdf).pages)


def test_with_fewer_than_five_peers_the_chapter_says_so(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    runner = CliRunner()
    added = runner.invoke(
        app, ["portfolio", "add", str(EXAMPLES / "craft.yaml"), str(EXAMPLES / "digital.yaml"),
              "--database", url],
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    again = runner.invoke(
        app, ["portfolio", "add", str(EXAMPLES / "craft.yaml"), "--database", url]
    )
    assert again.output.startswith("already")
    pdf = tmp_path / "r.pdf"
    result = runner.invoke(
        app, ["report", str(EXAMPLES / "industrial.yaml"), "--benchmark", "--database", url,
              "-o", str(pdf)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = _text(pdf)
    assert "Où vous situez-vous" in text
    assert "pas encore assez de diagnostics comparables" in text
    assert "2 entreprise(s) seulement" in text
    assert "Atelier Terre" not in text and "Thés Rivage" not in text  # never another client


def test_with_enough_peers_the_chapter_shows_quartiles_and_no_names(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    files = []
    for name in ("craft", "digital"):  # the lists the answers name, beside them
        shutil.copy(EXAMPLES / f"{name}-contacts.csv", tmp_path)
    for index, name in enumerate(["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot"]):
        source = EXAMPLES / ("craft.yaml" if index % 2 else "digital.yaml")
        copy = tmp_path / f"{name}.yaml"
        text = source.read_text("utf-8")
        first_name = text.split("client:\n  name: ")[1].split("\n")[0]
        copy.write_text(text.replace(first_name, f"Client {name}"), "utf-8")
        files.append(str(copy))
    _lists_beside(tmp_path)
    runner = CliRunner()
    assert runner.invoke(app, ["portfolio", "add", *files, "--database", url]).exit_code == 0
    stats = runner.invoke(app, ["portfolio", "stats", "--database", url, "--json"])
    assert '"clients": 6' in stats.output
    pdf = tmp_path / "r.pdf"
    result = runner.invoke(
        app, ["report", str(EXAMPLES / "industrial.yaml"), "--benchmark", "--database", url,
              "-o", str(pdf), "--lang", "en"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = _text(pdf)
    assert "How do you compare?" in text
    assert "the 6 companies we have worked with" in text  # too few of its size: all clients
    assert "Middle half" in text and "Median" in text
    assert "Client Alpha" not in text


def test_a_folder_of_answers_files_is_a_portfolio_too(tmp_path: Path) -> None:
    folder = _five_past_clients(tmp_path / "past")
    runner = CliRunner()
    stats = runner.invoke(app, ["portfolio", "stats", "--database", str(folder), "--json"])
    assert stats.exit_code == 0, stats.output
    assert '"clients": 5' in stats.output
    pdf = tmp_path / "r.pdf"
    result = runner.invoke(
        app, ["report", str(EXAMPLES / "craft.yaml"), "--benchmark", "--database", str(folder),
              "-o", str(pdf), "--lang", "en"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "the 5 companies we have worked with" in _text(pdf)
    assert "Maison" not in _text(pdf)


def test_peers_are_the_same_size_band_from_five_of_them(tmp_path: Path) -> None:
    from audit.assessment import assess_file
    from audit.portfolio.records import MIN_PEERS, FolderPortfolio, benchmark
    from audit.session.store import load_answers

    folder = tmp_path / "past"
    folder.mkdir()
    for name in ("craft", "digital"):
        shutil.copy(EXAMPLES / f"{name}-contacts.csv", folder)
    digital = (EXAMPLES / "digital.yaml").read_text("utf-8")  # 10 to 49 people
    for index in range(MIN_PEERS):
        (folder / f"d{index}.yaml").write_text(digital.replace("Thés Rivage", f"Maison {index}"))
    craft = (EXAMPLES / "craft.yaml").read_text("utf-8")  # another size band
    (folder / "craft.yaml").write_text(craft)
    _lists_beside(folder)
    client = EXAMPLES / "digital.yaml"
    result = benchmark(FolderPortfolio(folder), assess_file(client), load_answers(client))
    assert (result["scope"], result["peers"], result["enough"]) == ("size_band", MIN_PEERS, True)
    strategy = next(d for d in result["dimensions"] if d["id"] == "strategy")
    assert strategy["peers"]["count"] == MIN_PEERS
    (folder / "d0.yaml").unlink()  # four of its size: compare with all five clients
    fewer = benchmark(FolderPortfolio(folder), assess_file(client), load_answers(client))
    assert (fewer["scope"], fewer["peers"]) == ("all", MIN_PEERS)


def _five_past_clients(folder: Path) -> Path:
    """A folder portfolio of five past clients ("Maison 0" to "Maison 4")."""
    folder.mkdir()
    for index in range(5):
        text = (EXAMPLES / "digital.yaml").read_text("utf-8")
        (folder / f"c{index}.yaml").write_text(text.replace("Thés Rivage", f"Maison {index}"))
    _lists_beside(folder)
    return folder


def _lists_beside(folder: Path) -> None:
    """The contact lists the examples name, beside the copies (a named list must be there)."""
    for listed in EXAMPLES.glob("*.csv"):
        (folder / listed.name).write_bytes(listed.read_bytes())


def test_the_markdown_report_has_the_benchmark_chapter_too(tmp_path: Path) -> None:
    folder = _five_past_clients(tmp_path / "past")
    md = tmp_path / "r.md"
    result = CliRunner().invoke(
        app, ["report", str(EXAMPLES / "craft.yaml"), "--benchmark", "--database", str(folder),
              "--format", "md", "-o", str(md), "--lang", "en"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = md.read_text("utf-8")
    chapter = text[text.index("## How do you compare?") : text.index("\n## Your audience")]
    assert "the 5 companies we have worked with" in chapter
    assert "| Dimension | You | Middle half | Median |" in chapter
    assert chapter.count("\n| ") == 1 + 6  # the header, then a row per dimension
    assert "Maison" not in text


def test_a_portfolio_folder_that_does_not_exist_is_named(tmp_path: Path) -> None:
    import subprocess
    import sys

    missing = tmp_path / "past-audits"
    result = subprocess.run(
        [sys.executable, "-m", "audit", "portfolio", "stats", "--database", str(missing)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode != 0
    assert f"no folder '{missing}'" in result.stderr
    assert "a folder of answers files" in result.stderr and "Traceback" not in result.stderr


def test_stats_in_the_terminal_speak_the_consultants_language(tmp_path: Path) -> None:
    folder = tmp_path / "past"
    folder.mkdir()
    shutil.copy(EXAMPLES / "digital-contacts.csv", folder)
    shutil.copy(EXAMPLES / "digital.yaml", folder)
    _lists_beside(folder)
    runner = CliRunner()
    french = runner.invoke(app, ["portfolio", "stats", "--database", str(folder)])
    assert french.exit_code == 0, french.output
    assert "1 diagnostic(s) enregistré(s)" in french.output
    assert "Tous les clients · 1 client(s)" in french.output
    assert "Médiane" in french.output and "Données clients" in french.output
    english = runner.invoke(app, ["portfolio", "stats", "--database", str(folder), "--lang", "en"])
    assert "1 assessment(s) recorded" in english.output and "Customer data" in english.output
    assert "Médiane" not in english.output
    empty = tmp_path / "none"
    empty.mkdir()
    nothing = runner.invoke(app, ["portfolio", "stats", "--database", str(empty), "--lang", "en"])
    assert "No assessment recorded yet" in nothing.output
