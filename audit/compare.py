"""`audit compare BEFORE AFTER`: what changed between two assessments of one client.

Both answers files are assessed with the current pack; the comparison object lists, in
the language asked: the score and level change per dimension, the verdicts that changed
with the reason before and after, the prerequisites met since, the findings that appeared
or were resolved, and the answers that changed. It is the data every output renders (the
terminal, JSON, Markdown, the progress-report PDF and the chapter `audit report --since`
adds).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from audit.assessment import assess_loaded
from audit.errors import AnswersError, Location
from audit.questionnaire.loader import load_pack
from audit.session.answers import AnswersFile
from audit.session.runner import client_slug
from audit.session.store import load_answers

COMPARISON_VERSION = 1


class CompareError(AnswersError):
    """Two answers files that cannot be compared (another client, another pack)."""


def _check_pair(
    before: AnswersFile, after: AnswersFile, paths: tuple[Path, Path], known: set[str], force: bool
) -> None:
    if before.pack != after.pack:
        raise CompareError(
            f"these assessments use two packs ('{before.pack}' and '{after.pack}')",
            Location(file=paths[1], field="pack"),
            expected="two assessments made with the same questionnaire",
        )
    if client_slug(before.client.name) != client_slug(after.client.name) and not force:
        raise CompareError(
            f"these are two clients ('{before.client.name}' and '{after.client.name}')",
            Location(file=paths[1], field="client.name"),
            expected="two assessments of the same client, or --force",
        )
    if before.pack_version != after.pack_version and not force:
        gone = sorted((set(before.answers) | set(after.answers)) - known)
        which = f"; questions the pack no longer has: {', '.join(gone)}" if gone else ""
        raise CompareError(
            f"the questionnaire changed between the two (version {before.pack_version} then "
            f"{after.pack_version}){which}",
            Location(file=paths[1], field="pack_version"),
            expected="assessments made with one version of the pack, or --force",
        )


def _answers(assessment: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        q["id"]: dict(q, section=s["title"])
        for s in assessment.get("answers", [])
        for q in s["questions"]
    }


def _unmet(assessment: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        item["id"]: dict(item, horizon_label=h["label"])
        for h in assessment.get("roadmap", [])
        for item in h["items"]
    }


def compare(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The comparison object of two assessment objects (same pack, same language)."""
    dimensions = []
    for key, now in after["scores"].items():
        was = before["scores"].get(key, {})
        delta = None
        if was.get("score") is not None and now.get("score") is not None:
            delta = round(now["score"] - was["score"], 1)
        dimensions.append(
            {
                "id": key,
                "name": now["name"],
                "before": {k: was.get(k) for k in ("score", "level", "level_name")},
                "after": {k: now.get(k) for k in ("score", "level", "level_name")},
                "delta": delta,
                "level_change": (now["level"] - was["level"])
                if was.get("level") is not None and now.get("level") is not None
                else None,
            }
        )
    verdicts = []
    for key, now in after["verdicts"].items():
        was = before["verdicts"].get(key)
        if was is None or was["verdict"] == now["verdict"]:
            continue
        verdicts.append(
            {
                "solution": key,
                "name": now["name"],
                "before": {k: was.get(k) for k in ("verdict", "verdict_label", "headline", "rule")},
                "after": {k: now.get(k) for k in ("verdict", "verdict_label", "headline", "rule")},
            }
        )
    unmet_before, unmet_after = _unmet(before), _unmet(after)
    met = [
        {k: item[k] for k in ("id", "title", "owner")}
        for pid, item in unmet_before.items()
        if pid not in unmet_after
    ]
    found_before = {f["id"]: f for f in before.get("findings", [])}
    found_after = {f["id"]: f for f in after.get("findings", [])}

    def finding(f: dict[str, Any]) -> dict[str, Any]:
        return {k: f.get(k) for k in ("id", "title", "severity")}

    answers_before, answers_after = _answers(before), _answers(after)
    changed = []
    for qid, now in answers_after.items():
        was = answers_before.get(qid)
        if was is not None and (was["status"], was["answer"]) == (now["status"], now["answer"]):
            continue
        changed.append(
            {
                "question": qid,
                "text": now["text"],
                "section": now["section"],
                "before": {"status": was["status"], "answer": was["answer"]} if was else None,
                "after": {"status": now["status"], "answer": now["answer"]},
            }
        )
    for qid, was in answers_before.items():
        if qid not in answers_after:
            changed.append(
                {
                    "question": qid,
                    "text": was["text"],
                    "section": was["section"],
                    "before": {"status": was["status"], "answer": was["answer"]},
                    "after": None,
                }
            )
    return {
        "comparison_version": COMPARISON_VERSION,
        "language": after["language"],
        "client": after["client"],
        "pack": after["pack"],
        "before": {"date": before.get("updated"), "mode": before.get("mode")},
        "after": {"date": after.get("updated"), "mode": after.get("mode")},
        "dimensions": dimensions,
        "verdicts_changed": verdicts,
        "prerequisites_met": met,
        "findings_new": [finding(f) for k, f in found_after.items() if k not in found_before],
        "findings_resolved": [finding(f) for k, f in found_before.items() if k not in found_after],
        "answers_changed": changed,
    }


def compare_files(
    before_path: Path, after_path: Path, lang: str | None = None, *, force: bool = False
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Assess both answers files and compare them; return (comparison, after's assessment).

    `lang` defaults to AFTER's language. Raises CompareError for two clients (unless
    `force`), two packs, or two versions of the pack (unless `force`, naming the questions
    that differ); AnswersError and the others for files that do not read.
    """
    before = load_answers(before_path)
    after = load_answers(after_path)
    pack = load_pack(after.pack)
    _check_pair(before, after, (before_path, after_path), {q.id for q in pack.questions}, force)
    language = lang or after.language
    was = assess_loaded(pack, before, before_path, language)
    now = assess_loaded(pack, after, after_path, language)
    return compare(was, now), now
