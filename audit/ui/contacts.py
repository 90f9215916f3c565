"""Terminal output of `audit contacts`: counts and shares, domains, samples, readings."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from rich.table import Table

from audit import shipped
from audit.contacts.readings import format_count, format_share
from audit.contacts.reasons import translate_reason
from audit.i18n import pick
from audit.ui.console import colon, console, data, indented, set_language

_TEXTS = Path(__file__).with_name("contacts.yaml")
_TONE_STYLE = {"problem": "bad", "warning": "warn", "note": "accent", "positive": "ok"}
_TONE_MARK = {"problem": "✗", "warning": "!", "note": "·", "positive": "✓"}


@cache
def _labels() -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = shipped.data(_TEXTS)
    return data


def _say(key: str, lang: str, **values: Any) -> str:
    return pick(_labels()[key], lang).format(**values)


def _share_row(
    table: Table, label: str, count: int | None, share: float | None, basis: str, lang: str
) -> None:
    shown = format_share(share, lang) if share is not None else "—"
    table.add_row(label, format_count(count, lang), shown, f"[muted]{basis}[/]")


def show_contacts(analysis: dict[str, Any], lang: str) -> None:
    """Print a contact-list analysis (`ContactAnalysis.to_dict()`) for a consultant."""
    out = console()
    set_language(lang)
    a = analysis

    def say(key: str, **values: Any) -> str:
        return _say(key, lang, **values)

    out.print()
    out.print(f"[title]{say('title')}[/] [muted]{data(a['source']['file'], single_line=True)}[/]")
    layout = a["layout"]
    details = [layout["format"].upper()]
    if layout.get("encoding"):
        details.append(layout["encoding"])
    delimiter = layout.get("delimiter")
    if delimiter:
        names: dict[str, Any] = _labels()["delimiters"]
        details.append(pick(names[delimiter], lang) if delimiter in names else delimiter)
    details.append(say("with_header") if layout["header"] else say("without_header"))
    c = colon(lang)
    out.print(f"[muted]{say('layout')}{c}[/] {data(', '.join(details))}")

    def column(key: str) -> str:
        return data(a[key] or say("not_found"), single_line=True)

    columns = [
        f"{say('email_column')} = {column('email_column')}",
        f"{say('consent_column')} = {column('consent_column')}",
        f"{say('activity_column')} = {column('activity_column')}",
    ]
    out.print(indented(f"[muted]{say('columns')}{c}[/] {' · '.join(columns)}", 0))
    audience = say(f"audience_{a['audience']}") if a["audience"] else say("audience_unknown")
    how = say("inferred") if a["audience_inferred"] else say("given")
    out.print(f"[muted]{say('audience')}{c}[/] {audience} [muted]({how})[/]")

    out.print()
    table = Table(box=None, padding=(0, 2), show_edge=False)
    table.add_column(say("measure"), no_wrap=True)
    table.add_column(say("count"), justify="right")
    table.add_column(say("share"), justify="right")
    table.add_column("")
    table.add_row(f"[title]{say('rows')}[/]", format_count(a["rows"], lang), "", "")
    if a["no_address"]:
        table.add_row(f"  {say('no_address')}", format_count(a["no_address"], lang), "", "")
    if a["malformed_count"]:
        table.add_row(f"  {say('malformed')}", format_count(a["malformed_count"], lang), "", "")
    _share_row(table, say("invalid"), a["invalid"], a["invalid_share"], say("share_of_rows"), lang)
    table.add_row(say("valid"), format_count(a["valid"], lang), "", "")
    dup = a["duplicate_share"]
    _share_row(table, f"  {say('duplicates')}", a["duplicates"], dup, say("share_of_valid"), lang)
    table.add_row(f"[title]{say('unique_valid')}[/]", format_count(a["unique_valid"], lang), "", "")
    for kind in ("generic", "webmail", "disposable", "named"):
        share = a[f"{kind}_share"]
        _share_row(table, f"  {say(kind)}", a[kind], share, say("share_of_unique"), lang)
    if a["consent_column"]:
        _share_row(table, say("consent"), None, a["consent_share"], say("share_of_known"), lang)
    if a["activity_column"]:
        label = say("stale", months=a["stale_months"])
        basis = say("share_of_dated")
        if a["median_age_months"] is not None:
            months = str(a["median_age_months"])
            basis += " · " + say(
                "median_age", months=months.replace(".", "," if lang == "fr" else ".")
            )
        _share_row(table, label, None, a["stale_share"], basis, lang)
    out.print(table)

    if a["top_domains"]:
        out.print()
        note = "" if a["top_domains_exact"] else f" [muted]{say('approximate')}[/]"
        out.print(f"[title]{say('top_domains')}[/]{note}")
        domains = Table(box=None, padding=(0, 2), show_edge=False, show_header=False)
        for entry in a["top_domains"]:
            share = format_share(entry["share"], lang)
            domains.add_row(
                data(entry["domain"], single_line=True), format_count(entry["count"], lang), share
            )
        out.print(domains)

    samples = {kind: rows for kind, rows in a["samples"].items() if rows}
    if samples:
        out.print()
        out.print(f"[title]{say('samples')}[/]")
        for kind, rows in samples.items():
            label = say(kind if kind != "duplicate" else "duplicates")
            out.print(f"  [accent]{label}[/]")
            for r in rows:
                said = translate_reason(r["reason"], lang) if r.get("reason") else ""
                reason = f" [muted]({data(said)})[/]" if said else ""
                out.print(
                    indented(
                        f"{say('row')} {r['row']}{c} {data(r['email'], single_line=True)}{reason}",
                        4,
                    )
                )

    if a["malformed_count"]:
        out.print()
        out.print(f"[title]{say('malformed_rows')}[/] ({format_count(a['malformed_count'], lang)})")
        for entry in a["malformed_rows"][:10]:
            said = translate_reason(entry["reason"], lang)
            out.print(indented(f"{say('row')} {entry['row']}{c} {data(said)}", 2))
        more = a["malformed_count"] - min(10, len(a["malformed_rows"]))
        if more > 0:
            out.print(f"  [muted]{say('more_malformed', count=format_count(more, lang))}[/]")
    if a["recoded_rows"]:
        out.print(f"[muted]{say('recoded', count=format_count(a['recoded_rows'], lang))}[/]")

    if a["observations"]:
        out.print()
        out.print(f"[title]{say('readings')}[/]")
        marks = Table.grid(padding=(0, 1))
        marks.add_column(width=3, justify="right")
        marks.add_column(ratio=1)
        for reading in a["observations"]:
            style = _TONE_STYLE.get(reading["tone"], "muted")
            mark = _TONE_MARK.get(reading["tone"], "·")
            marks.add_row(f"[{style}]{mark}[/]", data(pick(reading["text"], lang)))
        out.print(marks)
