"""The render context: the assessment object, the theme and the report's own texts.

Every format renders from this one context, so the PDF, the HTML page and the Markdown
file say the same thing. Fixed wording comes from `reports/texts.yaml` in the report's
language; the assessment's texts are already in that language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from audit import shipped
from audit.errors import Location, ReportError
from audit.report import charts
from audit.report.theme import Theme
from audit.resources import reports_dir

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
VERDICTS = ("adopt", "not_yet", "not_recommended", "to_verify")
CATEGORIES = ("named", "generic", "webmail", "disposable")
SUMMARY_HEADLINE_CHARS = 180
# Beyond this many characters (question, answer and note), an appendix entry takes the
# full width: a half-width block cannot break across pages.
WIDE_ANSWER_CHARS = 320


def texts_path() -> Path:
    return reports_dir() / "texts.yaml"


def _localise(node: Any, lang: str, where: list[str], path: Path) -> Any:
    """Turn `{fr: ..., en: ...}` leaves into the text in `lang`; both must exist.

    A mapping with other keys besides fr/en (an audience reading) keeps them and gets
    its text under `text`.
    """
    if isinstance(node, dict):
        present = {"fr", "en"} & set(node)
        if present and present != {"fr", "en"}:
            raise ReportError(
                f"text '{'.'.join(where)}' lacks {', '.join(sorted({'fr', 'en'} - present))}",
                Location(path),
                expected="both fr and en",
            )
        if present:
            if set(node) == {"fr", "en"}:
                return node[lang]
            rest = {k: v for k, v in node.items() if k not in ("fr", "en")}
            return rest | {"text": node[lang]}
        return {k: _localise(v, lang, [*where, str(k)], path) for k, v in node.items()}
    if isinstance(node, list):
        return [_localise(v, lang, [*where, str(i)], path) for i, v in enumerate(node)]
    return node


@cache
def report_texts(lang: str) -> dict[str, Any]:
    """The report's fixed texts in `lang`, as nested dicts (raise ReportError if incomplete)."""
    path = texts_path()
    data = shipped.data(path)
    result: dict[str, Any] = _localise(data, lang, [], path)
    return result


@cache
def localised_texts(name: str, lang: str) -> dict[str, Any]:
    """The texts of `reports/<name>.yaml` (a chapter's or a page's own words) in `lang`."""
    path = reports_dir() / f"{name}.yaml"
    result: dict[str, Any] = _localise(shipped.data(path), lang, [], path)
    return result


def format_number(value: float, lang: str, digits: int = 0) -> str:
    """A number written the way a reader of `lang` expects (1 240 / 1,240; 6,9 / 6.9)."""
    text = f"{value:,.{digits}f}"
    if lang == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


def format_share(share: float | None, lang: str) -> str:
    """A 0-1 share as a percentage: '68 %' in French, '68%' in English."""
    if share is None:
        return "—"
    digits = 1 if 0 < share < 0.1 else 0
    number = format_number(share * 100, lang, digits)
    return f"{number}\u00a0%" if lang == "fr" else f"{number}%"


def format_date(iso: str | None, lang: str, months: list[str]) -> str:
    """An ISO timestamp as '20 novembre 2026' or '20 November 2026' ('' if unreadable)."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{moment.day} {months[moment.month - 1]} {moment.year}"


def shorten(text: str, limit: int) -> str:
    """`text` cut at a word boundary to at most `limit` characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "…"


@dataclass
class ReportContext:
    """Everything a template needs; `values` is what Jinja sees."""

    lang: str
    assessment: dict[str, Any]
    theme: Theme
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return str(self.values["title"])


def _audience_view(
    contacts: dict[str, Any] | None,
    t: dict[str, Any],
    lang: str,
    colours: dict[str, str],
    font: str,
) -> Any:
    if not contacts:
        return None
    unique = contacts.get("unique_valid") or 0
    audience = contacts.get("audience")
    bars = []
    for category in CATEGORIES:
        count = contacts.get(category) or 0
        share = contacts.get(f"{category}_share")
        if share is None:
            share = count / unique if unique else 0.0
        bars.append(
            {
                "id": category,
                "label": t["audience"]["categories"][category],
                "count": count,
                "share": share,
                "share_text": format_share(share, lang),
                "highlight": category == "generic" and audience != "b2c",
            }
        )
    readings = []
    for reading in t["audience_readings"]:
        if reading["audience"] not in ("any", audience):
            continue
        value = contacts.get(reading["metric"])
        if value is None:
            continue
        if value >= reading.get("min", 0) and value <= reading.get("max", 1):
            readings.append(reading["text"])
    source = contacts.get("source") or {}

    def counted(key: str) -> str:
        return format_number(contacts.get(key) or 0, lang)

    figures = [
        (t["audience"]["rows"], counted("rows")),
        (t["audience"]["unique_valid"], counted("unique_valid")),
        (t["audience"]["invalid"], counted("invalid")),
        (t["audience"]["duplicates"], counted("duplicates")),
        (
            t["audience"]["consent"],
            format_share(contacts["consent_share"], lang)
            if contacts.get("consent_share") is not None
            else t["audience"]["consent_unknown"],
        ),
    ]
    if contacts.get("stale_share") is not None:
        figures.append((t["audience"]["stale"], format_share(contacts["stale_share"], lang)))
    return {
        "bars": bars,
        "chart": charts.bar_chart(bars, t["audience"]["chart_label"], colours, font),
        "readings": readings,
        "figures": figures,
        "audience": t["audience"].get(f"audience_{audience}") if audience else None,
        "source_file": Path(str(source.get("file", ""))).name,
        "analysed": format_date(source.get("analysed"), lang, t["months"]),
    }


def _no_step_text(a: dict[str, Any], t: dict[str, Any]) -> str:
    """What to say when no prerequisite is pending: ready, or waiting on open answers."""
    open_questions = {
        str(q.get("question"))
        for v in a.get("verdicts", {}).values()
        if v.get("verdict") == "to_verify"
        for q in v.get("to_verify", [])
    }
    if not open_questions:
        return str(t["summary"]["next_step_none"])
    if len(open_questions) == 1:
        return str(t["summary"]["next_step_verify_one"])
    return str(t["summary"]["next_step_verify"]).replace("{count}", str(len(open_questions)))


def _level_scale(a: dict[str, Any], reached: list[tuple[Any, str, str]]) -> list[dict[str, Any]]:
    """The levels to explain: the whole scale if the assessment carries one (an optional
    `levels` list), otherwise the levels the client's dimensions reached."""
    scale = a.get("levels")
    if isinstance(scale, list) and scale:
        return [
            {
                "level": item.get("level"),
                "name": item.get("name", ""),
                "description": item.get("description") or "",
            }
            for item in scale
            if isinstance(item, dict)
        ]
    return [{"level": n, "name": name, "description": d} for n, name, d in reached]


def _group_by_section(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Items grouped under their section, sections in order of first appearance."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        groups.setdefault(str(item.get("section") or ""), []).append(item)
    return [{"section": name, "items": group} for name, group in groups.items()]


def _verdict_view(solution: str, verdict: dict[str, Any]) -> dict[str, Any]:
    """A verdict for templates, without repeating itself: the headline is not listed again
    among the reasons, and questions to settle appear once, under "to verify", not also as
    reasons or as unanswered evidence."""
    headline = " ".join(str(verdict.get("headline", "")).split())
    open_ids = {str(q.get("question")) for q in verdict.get("to_verify", [])}
    open_texts = [str(q.get("text", "")) for q in verdict.get("to_verify", []) if q.get("text")]
    reasons = [
        r
        for r in verdict.get("reasons", [])
        if " ".join(str(r).split()) != headline and not any(t in str(r) for t in open_texts)
    ]
    evidence = [
        e
        for e in verdict.get("evidence", [])
        if not (e.get("kind") == "answer" and str(e.get("question")) in open_ids)
    ]
    return {**verdict, "solution": solution, "reasons": reasons, "evidence": evidence}


def build_context(assessment: dict[str, Any], theme: Theme, lang: str) -> ReportContext:
    """The render context for `assessment` in `lang` with `theme` (raise ReportError)."""
    t = report_texts(lang)
    a = assessment
    verdicts = [_verdict_view(key, value) for key, value in a.get("verdicts", {}).items()]
    scores = [{"id": key, **value} for key, value in a.get("scores", {}).items()]
    findings = sorted(
        a.get("findings", []), key=lambda f: SEVERITY_ORDER.get(f.get("severity", "low"), 3)
    )
    roadmap = [h for h in a.get("roadmap", []) if h.get("items")]
    steps = [dict(item, horizon_label=h["label"]) for h in roadmap for item in h["items"]]
    scored = [s for s in scores if s.get("score") is not None and s.get("level") is not None]
    levels = sorted(
        {(s["level"], s["level_name"] or "", s.get("level_description") or "") for s in scored}
    )
    average = sum(s["score"] for s in scored) / len(scored) if scored else None
    client = a.get("client", {}).get("name", "")
    model = theme.model
    colours = model.colours.model_dump()
    values: dict[str, Any] = {
        "lang": lang,
        "t": t,
        "a": a,
        "title": f"{t['document']['title']} · {client}",
        "client": client,
        "date": format_date(a.get("updated") or a.get("generated"), lang, t["months"]),
        "mode_label": t["document"]["mode_quick" if a.get("mode") == "quick" else "mode_full"],
        "agency": model.agency.name,
        "tagline": model.agency.tagline.get(lang) if model.agency.tagline else "",
        "contact_line": model.contact,
        "colours": colours,
        "font_family": model.font.family,
        "verdicts": verdicts,
        "scores": scores,
        "levels": _level_scale(a, levels),
        "average": average,
        "findings": findings,
        "top_findings": findings[:3],
        "roadmap": roadmap,
        "steps": steps,
        "next_step": steps[0] if steps else None,
        "no_step_text": _no_step_text(a, t),
        "top_steps": steps[:3],
        "to_verify": a.get("to_verify", []),
        "to_verify_groups": _group_by_section(a.get("to_verify", [])),
        "answers": [s for s in a.get("answers", []) if s.get("questions")],
        "audience": _audience_view(a.get("contacts"), t, lang, colours, model.font.family),
        "radar": charts.maturity_chart(
            scored, t["maturity"]["chart_label"], colours, model.font.family
        )
        if scored
        else "",
        "unscored": [s for s in scores if s not in scored],
        "wide_answer_chars": WIDE_ANSWER_CHARS,
        "solution_names": {v["solution"]: v["name"] for v in verdicts},
        "summary_verdicts": [
            dict(v, headline=shorten(v.get("headline", ""), SUMMARY_HEADLINE_CHARS))
            for v in verdicts
        ],
        # French typography: a no-break space before the colon, guillemets for quotes.
        "colon": "\u00a0: " if lang == "fr" else ": ",
        "quote_open": "«\u00a0" if lang == "fr" else "“",
        "quote_close": "\u00a0»" if lang == "fr" else "”",
        "pct": lambda share: format_share(share, lang),
        # Optional chapters (`audit report --since`, `--benchmark`), and their own words.
        "progress": None,
        "tc": localised_texts("compare", lang),
        "benchmark": None,
        "tb": localised_texts("benchmark", lang),
    }
    return ReportContext(lang=lang, assessment=a, theme=theme, values=values)
