"""The command line: parse, call the engine, map errors to exit codes. Nothing else."""

# No `from __future__ import annotations` here: typer would evaluate every option's
# annotation string again on each run (twice, for all commands), not once at import.

import contextlib
import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from audit.errors import AuditError
from audit.report.formats import ReportFormat

app = typer.Typer(
    name="audit",
    help="Diagnose a company's marketing maturity before prescribing tools.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help: formatting it with rich costs more than the rest of the start-up.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_debug = False


def _show_version(value: bool) -> None:
    if value:
        from audit import __version__

        typer.echo(f"audit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    global _debug
    _debug = debug


def _fail(exc: AuditError) -> typer.Exit:
    from audit.ui.console import print_error

    print_error(str(exc))
    return typer.Exit(exc.exit_code)


@app.command()
def validate(
    packs: Annotated[
        list[str] | None,
        typer.Argument(help="Pack names or folders (default: every shipped pack)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON report.")] = False,
) -> None:
    """Check questionnaire packs: schema, ids, conditions, reachability, dimensions."""
    from audit.prescription.lint import lint_rules
    from audit.questionnaire.summary import validate_pack
    from audit.resources import shipped_packs

    targets: list[str | Path] = list(packs) if packs else list(shipped_packs())
    reports = [validate_pack(t) for t in targets]
    for report in reports:  # findings.yaml and rules.yaml, when the pack has them
        if report.pack is not None:
            report.problems += lint_rules(report.pack)
    if as_json:
        typer.echo(json.dumps({"packs": [r.as_dict() for r in reports]}, indent=2))
    else:
        from audit.ui.validation import show_validation

        show_validation(reports)
    if any(r.problems for r in reports) or not reports:
        raise typer.Exit(1)


@app.command()
def run(
    pack: Annotated[
        str | None,
        typer.Option(
            "--pack",
            metavar="PACK",
            help="Pack name or folder (default: the answers file's, else engagement).",
        ),
    ] = None,
    quick: Annotated[
        bool | None,
        typer.Option("--quick/--full", help="Only the quick self-assessment questions, or all."),
    ] = None,
    client: Annotated[
        str | None,
        typer.Option("--client", metavar="NAME", help="Client's name, for a new answers file."),
    ] = None,
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            metavar="FILE",
            help="Answers file to resume or create (default: ./<client>-answers.yaml).",
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option("--lang", metavar="fr|en", help="Default: the file's language, else fr."),
    ] = None,
    non_interactive: Annotated[
        bool,
        typer.Option(
            "--non-interactive", help="Ask nothing: check --answers FILE against the pack."
        ),
    ] = False,
) -> None:
    """Run the questionnaire in a workshop; saves after every answer and resumes a file.

    A new answers file goes to ./<client>-answers.yaml unless --answers names one.
    """
    try:
        code = _run(pack, quick, client, answers, lang, non_interactive)
    except AuditError as exc:
        if _debug:
            raise
        raise _fail(exc) from None
    raise typer.Exit(code)


def _run(
    pack: str | None,
    quick: bool | None,
    client: str | None,
    answers: Path | None,
    lang: str | None,
    non_interactive: bool,
) -> int:
    from audit.errors import UsageError

    _check_lang(lang)
    if non_interactive:
        if answers is None:
            raise UsageError("--non-interactive checks a prepared file", expected="--answers FILE")
        from audit.ui.workshop import run_check

        return run_check(pack=pack, answers_path=answers, lang=lang, quick=quick)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError(
            "`audit run` asks questions and needs a terminal; none is attached",
            expected="a terminal, or --answers FILE --non-interactive to check a prepared file",
        )
    from audit.ui.workshop import run_interactive

    return run_interactive(pack=pack, answers_path=answers, client=client, lang=lang, quick=quick)


@app.command()
def diagnose(
    answers: Annotated[Path, typer.Argument(help="The client's answers file (YAML).")],
    contacts: Annotated[
        Path | None,
        typer.Option(
            "--contacts", help="Analyse this contact-list export instead of the stored one."
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the assessment object (schema-versioned JSON).")
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option("--lang", help="fr or en (default: the answers file's language)."),
    ] = None,
) -> None:
    """Scores, findings, a verdict per solution, the roadmap and what remains to verify."""
    from audit.assessment import assess_file
    from audit.errors import AnswersError, Location

    _check_lang(lang)
    assessment = assess_file(answers, lang=lang, contacts=contacts)
    if as_json:
        try:
            text = json.dumps(assessment, indent=2, ensure_ascii=False, allow_nan=False)
        except ValueError:  # Infinity or NaN in a stored fact: refuse rather than print it
            raise AnswersError(
                "the answers file holds an infinite or undefined number",
                Location(file=answers),
                expected="finite numbers",
            ) from None
        typer.echo(text)
    else:
        from audit.ui.diagnosis import show_diagnosis

        show_diagnosis(assessment)


@app.command()
def contacts(
    file: Annotated[Path, typer.Argument(help="Contact-list export: CSV or .xlsx.")],
    column: Annotated[
        str | None,
        typer.Option("--column", help="The e-mail column: header, number (1 = first) or letter."),
    ] = None,
    audience: Annotated[
        str | None,
        typer.Option("--audience", help="b2b or b2c (default: inferred from the addresses)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the analysis as JSON.")] = False,
    lang: Annotated[str, typer.Option("--lang", help="fr or en, for the terminal.")] = "fr",
) -> None:
    """Analyse a contact-list export: invalid, duplicate, generic, webmail, consent, freshness."""
    from audit.contacts.analysis import analyse_file

    _check_lang(lang)
    analysis = analyse_file(file, column=column, audience=audience)
    if as_json:
        typer.echo(json.dumps(analysis.to_dict(), indent=2, ensure_ascii=False))
    else:
        from audit.ui.contacts import show_contacts

        show_contacts(analysis.to_dict(), lang)


@app.command()
def report(
    answers: Annotated[Path, typer.Argument(help="The client's answers file (YAML).")],
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="File to write (default: next to the answers)."),
    ] = None,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", help="pdf, html, json, md or summary (one page).")
    ] = ReportFormat.PDF,
    lang: Annotated[
        str | None,
        typer.Option("--lang", help="fr or en (default: the answers file's language)."),
    ] = None,
    theme: Annotated[
        Path | None, typer.Option("--theme", help="A theme.yaml (default: the shipped theme).")
    ] = None,
    since: Annotated[
        Path | None,
        typer.Option("--since", metavar="BEFORE", help="Add a progress chapter since BEFORE."),
    ] = None,
    with_benchmark: Annotated[
        bool,
        typer.Option("--benchmark", help="Add a chapter placing the client among past clients."),
    ] = False,
    database: Annotated[
        str | None,
        typer.Option(
            "--database",
            metavar="URL|DIR",
            help="The portfolio: a store URL (default: local) or a folder of answers files.",
        ),
    ] = None,
) -> None:
    """Render the client report; prints the path of the file written."""
    from audit.errors import UsageError
    from audit.report.writer import report_file

    _check_lang(lang)
    if (since is not None or with_benchmark) and fmt in (ReportFormat.JSON, ReportFormat.SUMMARY):
        option = "--since" if since is not None else "--benchmark"
        raise UsageError(
            f"{option} adds a chapter to the full report; --format {fmt.value} has no chapters",
            expected="--format pdf, html or md (or `audit compare --format json` for data)",
        )
    typer.echo(
        str(
            report_file(
                answers,
                output=output,
                fmt=fmt,
                lang=lang,
                theme_path=theme,
                since=since,
                benchmark=_benchmark(answers, database) if with_benchmark else None,
            )
        )
    )


def _benchmark(answers: Path, database: str | None) -> dict[str, Any]:
    from audit.portfolio.records import benchmark_file

    return benchmark_file(database, answers)


@app.command()
def demo(
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="PDF to write (default: ./demo-report.pdf)."),
    ] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help="fr or en (default: the example's language).")
    ] = None,
    quick: Annotated[
        bool, typer.Option("--quick", help="Only the quick self-assessment's answers.")
    ] = False,
) -> None:
    """The whole pipeline on a shipped example client; prints the path of the PDF."""
    from audit.report.writer import demo as run_demo

    _check_lang(lang)
    typer.echo(str(run_demo(output, lang, quick=quick)))


@app.command()
def batch(
    inputs: Annotated[
        list[Path] | None,
        typer.Argument(help="Answers files, folders of them, or form exports (CSV, XLSX)."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Folder for the reports and index.")
    ] = None,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", help="summary (default), pdf, html, json or md.")
    ] = ReportFormat.SUMMARY,
    mapping: Annotated[
        Path | None,
        typer.Option("--mapping", help="How a form export's columns map to questions (YAML)."),
    ] = None,
    init_mapping: Annotated[
        Path | None,
        typer.Option(
            "--init-mapping",
            metavar="EXPORT",
            help="Write a first mapping for this export (to --mapping FILE or next to it).",
        ),
    ] = None,
    pack: Annotated[str, typer.Option("--pack", help="Pack for --init-mapping.")] = "engagement",
    lang: Annotated[
        str | None,
        typer.Option("--lang", help="fr or en (default: each input's language)."),
    ] = None,
    jobs: Annotated[
        int, typer.Option("--jobs", "-j", help="Reports rendered in parallel (processes).")
    ] = 2,
    force: Annotated[
        bool, typer.Option("--force", help="Remake reports that are up to date.")
    ] = False,
    theme: Annotated[
        Path | None, typer.Option("--theme", help="A theme.yaml (default: the shipped theme).")
    ] = None,
) -> None:
    """Reports for many clients at once, with an index (index.csv, index.html).

    Exit 1 if any input gave no report; the others are made all the same.
    """
    from audit.errors import UsageError

    _check_lang(lang)
    if init_mapping is not None:
        from audit.batch.guess import write_first_mapping
        from audit.ui.batch import show_mapping_written

        target, checks = write_first_mapping(init_mapping, mapping, pack, lang or "fr", force)
        show_mapping_written(target, checks, lang or "fr")
        return
    if output is None:
        raise UsageError("no output folder", expected="-o DIR")
    from audit.batch.command import run_batch
    from audit.ui.batch import BatchView

    view = BatchView(lang or "fr", jobs, output)
    with view.running():
        outcome = run_batch(
            list(inputs or []),
            output,
            fmt=fmt,
            mapping_path=mapping,
            lang=lang,
            jobs=jobs,
            force=force,
            theme_path=theme,
            on_plan=view.plan,
            on_result=view.result,
        )
    view.finish(outcome)
    if outcome.failures:
        raise typer.Exit(1)


class CompareFormat(StrEnum):
    TERMINAL = "terminal"
    JSON = "json"
    MARKDOWN = "md"
    PDF = "pdf"


@app.command()
def compare(
    before: Annotated[Path, typer.Argument(help="The earlier answers file.")],
    after: Annotated[Path, typer.Argument(help="The later answers file, same client.")],
    fmt: Annotated[
        CompareFormat, typer.Option("--format", help="terminal (default), json, md or pdf.")
    ] = CompareFormat.TERMINAL,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="File for md/pdf (default: next to AFTER)."),
    ] = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help="fr or en (default: AFTER's language).")
    ] = None,
    theme: Annotated[
        Path | None, typer.Option("--theme", help="A theme.yaml, for the PDF.")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Compare even two clients' or two pack versions' files.")
    ] = False,
) -> None:
    """What changed between two assessments of one client: scores, verdicts, findings, answers."""

    _check_lang(lang)
    if fmt in (CompareFormat.MARKDOWN, CompareFormat.PDF):
        from audit.report.progress import progress_file

        report_fmt = ReportFormat.PDF if fmt == CompareFormat.PDF else ReportFormat.MARKDOWN
        path = progress_file(before, after, report_fmt, output, lang, theme, force=force)
        typer.echo(str(path))
        return
    from audit.compare import compare_files

    comparison, _ = compare_files(before, after, lang, force=force)
    if fmt == CompareFormat.JSON:
        typer.echo(json.dumps(comparison, indent=2, ensure_ascii=False))
    else:
        from audit.ui.compare import show_comparison

        show_comparison(comparison)


def _register_serve() -> None:
    """`audit serve` lives in audit/web/command.py (its heavy imports happen when it runs)."""
    from audit.web.command import serve_app

    app.add_typer(serve_app, name="serve")


_register_serve()


portfolio_app = typer.Typer(
    help="The agency's past assessments, the benchmark a report can show.",
    no_args_is_help=True,
)
app.add_typer(portfolio_app, name="portfolio")
DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--database",
        metavar="URL|DIR",
        help="The store (default: the local SQLite file), or a folder of answers files.",
    ),
]


@portfolio_app.command("add")
def portfolio_add(
    files: Annotated[list[Path], typer.Argument(help="Answers files, or folders of them.")],
    database: DatabaseOption = None,
) -> None:
    """Record assessments in the portfolio (no client name is stored); exit 1 if one fails."""
    from audit.portfolio.records import add_files
    from audit.store.database import Store

    store = Store.open(database)
    try:
        results = add_files(store, files)
    finally:
        store.close()
    for result in results:
        typer.echo(f"{result.status}: {result.message or result.path}")
    if any(r.status == "failed" for r in results):
        raise typer.Exit(1)


@portfolio_app.command("stats")
def portfolio_stats(
    database: DatabaseOption = None,
    pack: Annotated[str, typer.Option("--pack", help="The pack's assessments.")] = "engagement",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    lang: Annotated[str, typer.Option("--lang", help="fr or en, for the terminal.")] = "fr",
) -> None:
    """Counts, medians and quartiles per dimension, by size band and by sector."""
    from audit.portfolio.records import close_source, open_source, stats

    _check_lang(lang)
    source = open_source(database)
    try:
        figures = stats(source, pack)
    finally:
        close_source(source)
    if as_json:
        typer.echo(json.dumps(figures, indent=2))
    else:
        from audit.ui.portfolio import show_stats

        show_stats(figures, lang)


def _check_lang(lang: str | None) -> None:
    """Refuse a --lang other than fr or en (None: the option was not given)."""
    if lang is not None and lang not in ("fr", "en"):
        from audit.errors import UsageError

        raise UsageError(f"unknown language '{lang}'", expected="--lang fr or --lang en")


def main() -> None:
    """Entry point: typer handles usage errors (exit 2); ours become a message and a code."""
    import os

    from audit.errors import os_error

    # audit uses no pydantic plugin; looking for them reads the metadata of every installed
    # package the first time a model is built (a user may still set the variable to 0).
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "1")
    _no_plugin_loader()
    _quick_exit()
    _tolerant_streams()
    try:
        app()
        sys.stdout.flush()  # a full disk or a closed pipe shows here, not at exit
    except AuditError as exc:
        if _debug:
            raise
        sys.exit(_fail(exc).exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:  # `audit diagnose | head`: the reader has gone, nothing to say
        _silence_stdout()
        sys.exit(1)
    except OSError as exc:  # a file or folder the engine did not expect to fail on
        if _debug:
            raise
        _silence_stdout()
        sys.exit(_fail(os_error(exc)).exit_code)
    except RecursionError:
        if _debug:
            raise
        print("Error: the input is nested too deeply to be read.", file=sys.stderr)
        sys.exit(1)
    except Exception as exc:
        if _debug:
            raise
        print(f"Internal error: {exc!r}. Run again with --debug for details.", file=sys.stderr)
        sys.exit(1)


_PLUGIN_LOADER = "pydantic.plugin._loader"
_PLUGINS_OFF = ("__all__", "1", "true")  # the values pydantic reads as "no plugins"


def _no_plugin_loader() -> None:
    """With plugins off, do not import pydantic's plugin loader at all.

    Even when PYDANTIC_DISABLE_PLUGINS tells it to look for nothing, the loader module
    imports `importlib.metadata` (a tenth of a command's start-up) the first time a model
    or a typer option is validated. A stand-in answers "no plugins" while the variable says
    so, and hands over to the real loader if it no longer does.
    """
    import types

    if os.environ.get("PYDANTIC_DISABLE_PLUGINS") not in _PLUGINS_OFF:
        return
    if _PLUGIN_LOADER in sys.modules:
        return
    stand_in = types.ModuleType(_PLUGIN_LOADER)

    def real_loader() -> types.ModuleType:
        if sys.modules.get(_PLUGIN_LOADER) is stand_in:
            del sys.modules[_PLUGIN_LOADER]
        import importlib

        return importlib.import_module(_PLUGIN_LOADER)

    def get_plugins() -> tuple[object, ...]:
        if os.environ.get("PYDANTIC_DISABLE_PLUGINS") in _PLUGINS_OFF:
            return ()
        return tuple(real_loader().get_plugins())

    def anything_else(name: str) -> object:  # a name a later pydantic may import from it
        if name.startswith("__"):  # the import system's probes (__file__, __path__...)
            raise AttributeError(name)
        return getattr(real_loader(), name)

    stand_in.get_plugins = get_plugins  # type: ignore[attr-defined]
    stand_in.__getattr__ = anything_else  # type: ignore[method-assign]
    sys.modules[_PLUGIN_LOADER] = stand_in


def _quick_exit() -> None:
    """At exit, leave the objects of the finished command to the operating system.

    The interpreter's last garbage collections walk every object the imports made, a
    tenth of a short command's time; `gc.freeze()` in an exit handler (run before them)
    skips that work. Files and locks are closed by the commands themselves, and the exit
    handlers still run.
    """
    import atexit
    import gc

    atexit.unregister(gc.freeze)  # once, however many times main() runs in a process
    atexit.register(gc.freeze)


def _tolerant_streams() -> None:
    """A terminal that cannot show a character (ASCII-only, say) gets `?`, not a crash."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush does not fail again."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
