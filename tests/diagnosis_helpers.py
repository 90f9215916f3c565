"""Helpers for the diagnosis and prescription tests: packs, answers, assessments."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from audit.assessment import assess
from audit.questionnaire.loader import load_pack
from audit.questionnaire.model import Pack
from audit.session.answers import Answer, AnswersFile, Client, Mode, Status
from audit.session.store import load_answers

TESTS = Path(__file__).resolve().parent
RULES_DEMO = TESTS / "packs" / "rules_demo"
CLIENTS = TESTS / "clients"
ENGAGEMENT = TESTS.parent / "questionnaires" / "engagement"

_PACKS: dict[Path, Pack] = {}


def pack_at(folder: Path) -> Pack:
    """A pack loaded once per test session (assessments cache compiled rules per pack)."""
    if folder not in _PACKS:
        _PACKS[folder] = load_pack(folder)
    return _PACKS[folder]


def answers_for(
    pack: Pack, values: dict[str, Any], mode: Mode = Mode.FULL, **facts: Any
) -> AnswersFile:
    """An answers file: a value answers, `"?"` is "don't know", `None` not applicable."""
    answers: dict[str, Answer] = {}
    for qid, value in values.items():
        if value == "?":
            answers[qid] = Answer(status=Status.UNKNOWN)
        elif value is None:
            answers[qid] = Answer(status=Status.NOT_APPLICABLE)
        else:
            answers[qid] = Answer(status=Status.ANSWERED, value=value)
    return AnswersFile(
        pack=pack.id,
        pack_version=pack.version,
        mode=mode,
        client=Client(name="Test client"),
        answers=answers,
        facts=dict(facts),
    )


def client(name: str) -> AnswersFile:
    return load_answers(CLIENTS / f"{name}.yaml")


def assess_client(name: str, lang: str = "en") -> dict[str, Any]:
    return assess(pack_at(ENGAGEMENT), client(name), lang)


# A complete rules_demo client with nothing wrong: every solution should be adopted.
READY_DEMO: dict[str, Any] = {
    "reach": "named",
    "written_plan": True,
    "market": "stable",
    "data_places": ["crm"],
    "data_owner": True,
    "sellers": 6,
    "contact_export": None,
    "offer_marketing_automation": "none",
    "offer_emailing": "none",
    "offer_crm": "none",
    "offer_e_commerce": "none",
    "offer_chatbot": "none",
    "offer_social_media": "none",
}
