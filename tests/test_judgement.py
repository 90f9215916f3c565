"""Judgement that holds for any client (issue 10): every blocking reason with the measured
ones first, automation never better than e-mailing, passing and lasting contraindications,
what to do with a solution the client already has, reasons that are findings (never a
step's title), and the lead-process and walk-in-shop rules.

The verdict table of the test clients lives in tests/test_verdicts.py; the properties over
generated clients in tests/test_rules_properties.py.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import Any

import pytest
from diagnosis_helpers import CLIENTS, ENGAGEMENT, RULES_DEMO, assess_client, client, pack_at
from pypdf import PdfReader
from typer.testing import CliRunner

from audit.assessment import assess, compiled_content
from audit.cli import app
from audit.diagnosis.context import Diagnosis
from audit.prescription.lint import lint_rules
from audit.prescription.rules import RuleKind, Solution
from audit.prescription.verdict import judge
from audit.questionnaire.loader import load_pack
from audit.report.formats import ReportFormat
from audit.report.writer import render_report
from audit.session.answers import AnswersFile

PACK = pack_at(ENGAGEMENT)
CATALOGUE, BOOK = compiled_content(PACK)
assert BOOK is not None
CLIENT_NAMES = sorted(path.stem for path in CLIENTS.glob("*.yaml"))
LANGS = ("fr", "en")


def with_list(answers: AnswersFile, **shares: float) -> AnswersFile:
    """The client with a measured B2B contact list: clean except for `shares`."""
    analysis: dict[str, Any] = {
        "rows": 400,
        "unique_valid": 380,
        "audience": "b2b",
        "generic_share": 0.05,
        "named_share": 0.9,
        "webmail_share": 0.05,
        "invalid_share": 0.0,
        "duplicate_share": 0.0,
        "disposable_share": 0.0,
        "consent_share": 0.95,
        "stale_share": 0.05,
        **shares,
    }
    return answers.model_copy(update={"facts": {"contacts": analysis}})


# 1. Every blocking reason, the strongest evidence first.


def blocking_rules(answers: AnswersFile, solution: Solution) -> set[tuple[str, str, Any]]:
    """Every rule of the solution whose condition stands in the way, evaluated here."""
    ctx = Diagnosis(PACK, answers, "en", CATALOGUE)
    rules = BOOK.solutions[solution]
    found: set[tuple[str, str, Any]] = set()
    for rule in rules.rules():
        result = rule.condition.evaluate(ctx.env).result
        if (rule.kind == RuleKind.CONTRAINDICATION and result is True) or (
            rule.kind != RuleKind.CONTRAINDICATION and result is False
        ):
            found.add((rule.kind.value, rule.id, rule.inherited and rule.inherited.value))
    return found


@pytest.mark.parametrize("name", CLIENT_NAMES)
def test_a_blocked_verdict_lists_every_reason_that_holds(name: str) -> None:
    answers = client(name)
    verdicts = assess(PACK, answers, "en")["verdicts"]
    for solution in Solution:
        verdict = verdicts[solution.value]
        listed = [(b["kind"], b["id"], b["from"]) for b in verdict["blocking"]]
        if verdict["verdict"] in ("not_yet", "not_recommended"):
            assert len(listed) == len(set(listed))
            assert set(listed) == blocking_rules(answers, solution), solution
            assert verdict["reasons"] == [b["text"] for b in verdict["blocking"]]
            assert verdict["headline"] == verdict["reasons"][0]
            assert verdict["rule"] == {"kind": listed[0][0], "id": listed[0][1]}
        else:
            assert listed == []


@pytest.mark.parametrize("name", CLIENT_NAMES)
def test_a_list_measured_mostly_generic_heads_automation_and_emailing(name: str) -> None:
    """Whatever else blocks them (a craft, no consent, a stale list...), a B2B list measured
    at 74 % generic addresses is named first in the automation and e-mailing verdicts."""
    for shares in ({"generic_share": 0.74}, {"generic_share": 0.74, "consent_share": 0.1}):
        measured = with_list(client(name), **shares)
        for lang in LANGS:
            verdicts = assess(PACK, measured, lang)["verdicts"]
            for solution in ("marketing_automation", "emailing"):
                verdict = verdicts[solution]
                assert verdict["verdict"] in ("not_yet", "not_recommended"), (solution, lang)
                first = verdict["blocking"][0]
                assert first["id"] == "collect_named_contacts", (solution, verdict["headline"])
                assert first["measured"] == ["contacts_generic_share"]
                assert "74" in verdict["headline"]
                facts = [e for e in verdict["evidence"] if e["kind"] == "fact"]
                assert facts[0]["name"] == "contacts_generic_share"


def test_measured_reasons_come_before_declared_ones_and_say_so() -> None:
    verdict = assess_client("training_centre_generic_list", "en")["verdicts"]
    automation = verdict["marketing_automation"]
    kinds = [bool(b["measured"]) for b in automation["blocking"]]
    assert kinds == sorted(kinds, reverse=True)  # measured ones first
    ids = [b["id"] for b in automation["blocking"]]
    assert ids[0] == "collect_named_contacts" and "write_strategy" in ids
    assert "Measured in your contact list: 74% generic role addresses" in automation["headline"]
    french = assess_client("training_centre_generic_list", "fr")["verdicts"]
    assert "74\u00a0% d'adresses génériques" in french["marketing_automation"]["headline"]


# 2. Automation needs what e-mailing needs.


def test_automation_declares_and_inherits_what_emailing_needs() -> None:
    automation = BOOK.solutions[Solution.MARKETING_AUTOMATION]
    emailing = BOOK.solutions[Solution.EMAILING]
    assert automation.needs == [Solution.EMAILING]
    own = {r.id for r in automation.contraindications}
    assert {r.id for r in emailing.contraindications} <= own
    assert {r.id for r in emailing.prerequisites} <= {r.id for r in automation.prerequisites}
    assert [f.inherited for f in automation.needed_fits] == [Solution.EMAILING]


def test_no_addresses_makes_automation_not_recommended_like_emailing() -> None:
    answers = client("b2b_saas")
    values = answers.answers["contact_reachability"].model_copy(update={"value": "no_email"})
    answers.answers["contact_reachability"] = values
    verdicts = assess(PACK, answers, "en")["verdicts"]
    assert verdicts["emailing"]["verdict"] == "not_recommended"
    automation = verdicts["marketing_automation"]
    assert automation["verdict"] == "not_recommended"
    assert automation["rule"]["id"] == "emailing_no_email"
    assert automation["blocking"][0]["from"] == "emailing"


RULES_WITH_NEEDS = """
  marketing_automation:
    needs: [{needed}]
    name: {{fr: Automatisation marketing, en: Marketing automation}}"""


@pytest.mark.parametrize(
    ("needed", "message"),
    [
        ("marketing_automation", "cannot need itself"),
        ("crm", None),
    ],
)
def test_validate_checks_needs(tmp_path: Path, needed: str, message: str | None) -> None:
    pack_dir = tmp_path / "pack"
    shutil.copytree(RULES_DEMO, pack_dir)
    rules = pack_dir / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    head = (
        "\n  marketing_automation:\n"
        "    name: {fr: Automatisation marketing, en: Marketing automation}"
    )
    assert head in text
    rules.write_text(text.replace(head, RULES_WITH_NEEDS.format(needed=needed)), "utf-8")
    problems = lint_rules(load_pack(pack_dir))
    if message is None:
        assert problems == []
    else:
        assert [p.message for p in problems if message in p.message]
        assert all(p.location.file == rules for p in problems)


def test_validate_reports_circular_needs(tmp_path: Path) -> None:
    pack_dir = tmp_path / "pack"
    shutil.copytree(RULES_DEMO, pack_dir)
    rules = pack_dir / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    text = text.replace(
        "\n  marketing_automation:\n", "\n  marketing_automation:\n    needs: [emailing]\n"
    )
    text = text.replace("\n  emailing:\n", "\n  emailing:\n    needs: [marketing_automation]\n")
    rules.write_text(text, "utf-8")
    messages = [p.message for p in lint_rules(load_pack(pack_dir))]
    assert any("needs itself through another solution" in m for m in messages), messages
    result = CliRunner().invoke(app, ["validate", str(pack_dir)])
    assert result.exit_code == 1
    assert "needs itself through another solution" in result.output


# 3. Passing and lasting contraindications.


def test_every_contraindication_says_whether_it_passes_or_lasts() -> None:
    for rules in BOOK.solutions.values():
        for rule in rules.contraindications:
            assert bool(rule.ends_with) == rule.passing, rule.id
    passing = {
        r.id for rules in BOOK.solutions.values() for r in rules.contraindications if r.passing
    }
    assert {"automation_under_uncertainty", "emailing_stale_base"} <= passing
    lasting = {
        r.id for rules in BOOK.solutions.values() for r in rules.contraindications if not r.passing
    }
    assert {"automation_for_craft", "emailing_offline_audience", "emailing_no_email"} <= lasting


def test_a_market_upheaval_passes_with_the_steps_that_end_it_on_the_roadmap() -> None:
    assessment = assess_client("events_after_shock", "en")
    verdict = assessment["verdicts"]["marketing_automation"]
    assert (verdict["verdict"], verdict["rule"]["id"]) == (
        "not_yet",
        "automation_under_uncertainty",
    )
    assert verdict["blocking"][0]["lasting"] is False
    steps = [p["id"] for p in verdict["prerequisites"]]
    assert steps[:2] == ["listen_to_customers", "set_reassessment_date"]
    assert verdict["prerequisites"][0]["reason"] == verdict["headline"]
    on_roadmap = {item["id"] for step in assessment["roadmap"] for item in step["items"]}
    assert {"listen_to_customers", "set_reassessment_date"} <= on_roadmap


def test_a_lasting_contraindication_puts_nothing_on_the_roadmap() -> None:
    assessment = assess_client("craft_workshop", "en")
    verdict = assessment["verdicts"]["marketing_automation"]
    assert verdict["verdict"] == "not_recommended"
    assert verdict["blocking"][0]["lasting"] is True
    assert verdict["prerequisites"] == []
    serves = {s for step in assessment["roadmap"] for i in step["items"] for s in i["solutions"]}
    assert "marketing_automation" not in serves


def test_a_list_measured_out_of_date_passes_once_requalified() -> None:
    verdict = assess_client("wine_estate_stale_list", "en")["verdicts"]["emailing"]
    assert verdict["verdict"] == "not_yet"
    assert verdict["blocking"][0] == {
        "kind": "contraindication",
        "id": "emailing_stale_base",
        "text": verdict["headline"],
        "lasting": False,
        "measured": ["contacts_stale_share"],
        "from": None,
    }
    assert "requalify_list" in [p["id"] for p in verdict["prerequisites"]]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ("        duration: lasting\n", "'duration'"),
        ("        duration: passing\n", "passes: list in 'ends_with'"),
        ("        duration: lasting\n        ends_with: [write_plan]\n", "lasts: nothing ends it"),
        ("        duration: passing\n        ends_with: [nowhere]\n", "unknown prerequisite"),
    ],
)
def test_validate_checks_durations(tmp_path: Path, edit: str, message: str) -> None:
    pack_dir = tmp_path / "pack"
    shutil.copytree(RULES_DEMO, pack_dir)
    rules = pack_dir / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    original = "        when: generic_audience\n        duration: lasting\n"
    assert original in text
    replacement = "        when: generic_audience\n" + ("" if message == "'duration'" else edit)
    rules.write_text(text.replace(original, replacement), "utf-8")
    problems = lint_rules(load_pack(pack_dir))
    assert any(message in p.message for p in problems), [p.message for p in problems]
    assert all(p.location.line for p in problems)


# 4. What the client already has.

HAS_LABELS = {
    "en": {
        "adopt": "Keep and build on it",
        "not_yet": "Make it work first",
        "not_recommended": "Reconsider it",
    },
    "fr": {
        "adopt": "À conserver et développer",
        "not_yet": "À faire fonctionner d'abord",
        "not_recommended": "À reconsidérer",
    },
}
# Sentences that assume the client does not have the solution.
ABSENT = {
    "en": ["one more crm", "would stay empty", "the shop would be empty", "the tool would"],
    "fr": ["un crm de plus", "resterait vide", "la boutique serait vide", "l'outil déciderait"],
}


@pytest.mark.parametrize("name", CLIENT_NAMES)
def test_a_solution_the_client_has_is_judged_as_such(name: str) -> None:
    for lang in LANGS:
        for verdict in assess_client(name, lang)["verdicts"].values():
            if verdict["offer"] != "has":
                continue
            if verdict["verdict"] in HAS_LABELS[lang]:
                assert verdict["verdict_label"] == HAS_LABELS[lang][verdict["verdict"]]
            said = " ".join([verdict["headline"], *verdict["reasons"]]).lower()
            assert not [phrase for phrase in ABSENT[lang] if phrase in said], said


def test_every_rule_has_a_sentence_for_a_client_who_has_the_solution() -> None:
    """Where a reason speaks of the solution as absent, its `has` variant exists."""
    for rules in BOOK.solutions.values():
        assert rules.fit is not None
        assert rules.fit.reason_has is not None and rules.fit.misfit_has is not None
        for rule in rules.contraindications + rules.prerequisites:
            text = rule.reason.en.lower() if rule.reason else ""
            if any(word in text for word in ("would", "the tool", "the shop", "one more")):
                assert rule.reason_has is not None, (rules.solution.value, rule.id)


def test_the_wording_for_what_the_client_has_reaches_every_output() -> None:
    """The law firm has a CRM nobody uses: "make it work first", in both languages, in the
    report, the one-page summary and `audit diagnose`."""
    path = CLIENTS / "law_firm_unused_crm.yaml"
    for lang in LANGS:
        label = HAS_LABELS[lang]["not_yet"]
        assessment = assess_client("law_firm_unused_crm", lang)
        headline = assessment["verdicts"]["crm"]["headline"]
        html = render_report(assessment, ReportFormat.HTML, lang).decode()
        assert label.replace("'", "&#39;") in html or label in html
        markdown = render_report(assessment, ReportFormat.MARKDOWN, lang).decode()
        assert label.replace("'", "’") in markdown or label in markdown
        summary = render_report(assessment, ReportFormat.SUMMARY, lang)
        text = " ".join(
            (page.extract_text() or "") for page in PdfReader(io.BytesIO(summary)).pages
        )
        flat = " ".join(text.replace("’", "'").split())
        assert label in flat, flat[:500]
        result = CliRunner().invoke(app, ["diagnose", str(path), "--lang", lang])
        assert result.exit_code == 0, result.output
        screen = " ".join(result.output.replace("│", " ").replace("’", "'").split())
        assert label in screen
        assert " ".join(headline.replace("’", "'").split()[:4]) in screen


# 5. Reasons are findings, steps are prerequisites.


def _step_words(lang: str) -> tuple[set[str], set[str]]:
    titles = {p.title.get(lang) for p in BOOK.prerequisites.values()}
    verbs = {title.split()[0].lower().rstrip("'") for title in titles}
    verbs |= {title.split("'")[0].lower() + "'" for title in titles if "'" in title.split()[0]}
    return titles, verbs


@pytest.mark.parametrize("name", CLIENT_NAMES)
def test_reasons_state_findings_never_a_step_title(name: str) -> None:
    for lang in LANGS:
        titles, verbs = _step_words(lang)
        for verdict in assess_client(name, lang)["verdicts"].values():
            said = [verdict["headline"], *verdict["reasons"]]
            said += [p["reason"] for p in verdict["prerequisites"]]
            for sentence in said:
                assert sentence not in titles, sentence
                first = sentence.split()[0].lower()
                assert first not in verbs and not any(
                    first.startswith(v) for v in verbs if v.endswith("'")
                ), sentence


def test_every_prerequisite_says_what_is_true_when_it_is_missing() -> None:
    for prerequisite in BOOK.prerequisites.values():
        for lang in LANGS:
            assert prerequisite.unmet.get(lang) != prerequisite.title.get(lang)


# 6. Lead handling and the walk-in shop.


def test_automation_and_crm_read_the_shared_lead_process() -> None:
    verdicts = assess_client("lab_supplier_no_lead_process", "en")["verdicts"]
    for solution in ("marketing_automation", "crm"):
        verdict = verdicts[solution]
        assert verdict["rule"]["id"] == "agree_lead_process"
        questions = {e.get("question") for e in verdict["evidence"]}
        assert {"lead_handling", "sales_marketing_alignment"} <= questions
        assert verdict["prerequisites"][0]["id"] == "agree_lead_process"


def test_a_walk_in_shop_without_a_list_is_never_an_automation_candidate() -> None:
    answers = client("hardware_store_walk_in")
    ctx = Diagnosis(PACK, answers, "en", CATALOGUE)
    judgement = judge(
        BOOK.solutions[Solution.MARKETING_AUTOMATION], ctx.env, ctx.findings, BOOK.prerequisites
    )
    assert judgement.verdict.value == "not_recommended"
    assert judgement.main is not None and judgement.main.id == "automation_walk_in_shop"
    # Everything else would favour it: many customers, many enquiries, digital habits.
    assert BOOK.solutions[Solution.MARKETING_AUTOMATION].fit is not None
    fit = BOOK.solutions[Solution.MARKETING_AUTOMATION].fit
    assert fit is not None and fit.condition.evaluate(ctx.env).result is True


# The pack cache keeps all of it.


def test_a_cached_rule_book_judges_every_test_client_as_the_yaml_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Passing contraindications, needs, and the wording for what the client has survive
    the pack cache (`audit.cache`): every client gets the same verdicts and texts."""
    from audit import cache

    folder = tmp_path / "engagement"
    shutil.copytree(ENGAGEMENT, folder, ignore=shutil.ignore_patterns("examples"))

    def assessed() -> list[dict[str, Any]]:
        pack = load_pack(folder)
        results = []
        for name in CLIENT_NAMES:
            result = assess(pack, client(name), "en")
            results.append({k: result[k] for k in ("verdicts", "roadmap")})
        return results

    monkeypatch.setenv(cache.ENV_VARIABLE, "")  # no cache: everything from the YAML
    from_yaml = assessed()
    monkeypatch.setenv(cache.ENV_VARIABLE, str(tmp_path / "cache"))
    assessed()  # fills the cache
    assert list((tmp_path / "cache").glob("rules-*.json"))
    assert assessed() == from_yaml
