"""The UI's own words: every text exists in French and English, and every text is used."""

from __future__ import annotations

import re
import string
from pathlib import Path

from audit.questionnaire.loader import load_pack
from audit.session.answers import Answer, Status
from audit.ui.session_view import format_number, readable_answer
from audit.ui.texts import Texts, all_texts
from audit.ui.workshop import parse_respondents

UI = Path(__file__).resolve().parent.parent / "audit" / "ui"


def test_every_text_has_both_languages_with_the_same_placeholders() -> None:
    for key, text in all_texts().items():
        assert set(text) == {"fr", "en"}, key
        fields = [
            {name for _, name, _, _ in string.Formatter().parse(text[lang]) if name}
            for lang in ("fr", "en")
        ]
        assert fields[0] == fields[1], key


def test_every_text_is_used_and_every_key_used_exists() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in UI.glob("*.py"))
    used = set(re.findall(r"""\b(?:t|texts|self\.texts)\(\s*["']([a-z_]+)["']""", source))
    used |= set(re.findall(r"""["']([a-z_]+)["']""", source)) & set(all_texts())
    assert used - set(all_texts()) == set()
    assert set(all_texts()) - used == set()


def test_action_keys_are_distinct_within_a_language() -> None:
    for lang in ("fr", "en"):
        t = Texts(lang)
        keys = [
            t(k)
            for k in ("yes_key", "no_key") + tuple(k for k in all_texts() if k.startswith("key_"))
        ]
        assert len(keys) == len(set(keys)), (lang, keys)
        assert all(re.fullmatch(r"[a-z]", k) for k in keys)


def test_french_yes_no_keys_are_o_and_n() -> None:
    assert (Texts("fr")("yes_key"), Texts("fr")("no_key")) == ("o", "n")
    assert (Texts("en")("yes_key"), Texts("en")("no_key")) == ("y", "n")


def test_answers_read_naturally_in_each_language(mini_pack_dir: Path) -> None:
    pack = load_pack(mini_pack_dir)
    employees, plan, places = (
        pack.question(i) for i in ("employees", "written_plan", "data_places")
    )
    assert employees and plan and places
    fr, en = Texts("fr"), Texts("en")
    count = Answer(status=Status.ANSWERED, value=12500)
    assert readable_answer(employees, count, fr) == "12\u202f500 salariés"
    assert readable_answer(employees, count, en) == "12,500 employees"
    assert readable_answer(plan, Answer(status=Status.ANSWERED, value=False), fr) == "Non"
    chosen = Answer(status=Status.ANSWERED, value=["crm", "paper"])
    assert readable_answer(places, chosen, en) == "A CRM, Paper"
    assert readable_answer(places, Answer(status=Status.UNKNOWN), fr) == "à vérifier"
    assert readable_answer(places, None, en) == "not answered"
    assert format_number(2.5, "fr") == "2,5"


def test_participants_are_read_with_their_roles() -> None:
    people = parse_respondents("Marie Roy (directrice), Paul Henry , ")
    assert [(p.name, p.role) for p in people] == [("Marie Roy", "directrice"), ("Paul Henry", None)]
