"""The workshop screens' logic without a terminal: participants, review pages and keys,
typed answers wrapped at words, texts typeset."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from audit.questionnaire.loader import load_pack
from audit.session.answers import Answer, AnswersFile, Client, Status
from audit.session.navigation import review
from audit.typography import NNBSP
from audit.ui.review_view import (
    PAGE_CHROME,
    item_label,
    pages,
    reserved_keys,
    review_options,
    section_keys,
)
from audit.ui.texts import Texts
from audit.ui.workshop import parse_respondents, parse_self
from audit.ui.wrapping import WordWrap


def people(text: str) -> list[tuple[str, str | None]]:
    return [(p.name, p.role) for p in parse_respondents(text)]


def test_a_comma_inside_brackets_belongs_to_the_role() -> None:
    assert people("M. Martin (gérant, artisan boulanger)") == [
        ("M. Martin", "gérant, artisan boulanger")
    ]
    assert people("M. Martin (gérant, artisan), Mme Roy; Paul Henry (commercial)") == [
        ("M. Martin", "gérant, artisan"),
        ("Mme Roy", None),
        ("Paul Henry", "commercial"),
    ]


def test_one_participant_per_line_is_read_too() -> None:
    assert people("Marie Roy (directrice)\nPaul Henry") == [
        ("Marie Roy", "directrice"),
        ("Paul Henry", None),
    ]


@pytest.mark.parametrize(
    "text",
    ["M. Martin (gérant, artisan", "(gérant) M. Martin", "Roy) ,", "((x))", "a (b) (c)"],
)
def test_nothing_typed_is_dropped(text: str) -> None:
    kept = " ".join(f"{name} {role or ''}" for name, role in people(text))
    for char in text:
        if char not in " ,;()\n":
            assert char in kept, (text, kept)
    assert people(text)


def test_quick_mode_reads_a_name_and_a_role() -> None:
    assert [(p.name, p.role) for p in parse_self("Marie Roy, directrice commerciale")] == [
        ("Marie Roy", "directrice commerciale")
    ]
    assert [(p.name, p.role) for p in parse_self("Marie Roy (directrice)")] == [
        ("Marie Roy", "directrice")
    ]
    assert [(p.name, p.role) for p in parse_self("Marie Roy")] == [("Marie Roy", None)]
    assert parse_self("  ") == []


def test_ui_texts_are_typeset_in_french() -> None:
    assert Texts("fr")("respondents_confirm").endswith(f"correct{NNBSP}?")
    assert Texts("en")("respondents_confirm") == "Is that right?"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_review_keys_never_reuse_a_question_screen_key(lang: str) -> None:
    texts = Texts(lang)
    reserved = reserved_keys(texts)
    assert texts("key_help") in reserved and texts("key_unknown") in reserved
    keys = section_keys(30, texts)
    real = [k for k in keys if k]
    assert len(real) == len(set(real))
    assert not set(real) & reserved
    assert keys[:10] == list("1234567890")
    # The 11th section's key was `a` (help in French) before.
    assert keys[10] not in reserved


def test_review_menu_keys_for_ten_sections(tmp_path: Path) -> None:
    pack = load_pack("engagement")
    answers = AnswersFile(pack=pack.id, pack_version=pack.version, client=Client(name="X"))
    sections = review(pack, answers)
    texts = Texts("fr")
    options = review_options(sections, 3, texts, "continue", "finish")
    keys = [key for _, value, key in options if value is not None]
    assert len(keys) == len(set(keys)) == len(sections) + 2
    assert texts("key_help") not in keys  # `a`, the 10th section's key before


def _engagement_with(answers: dict[str, Answer]) -> tuple[Any, Any]:
    pack = load_pack("engagement")
    file = AnswersFile(
        pack=pack.id, pack_version=pack.version, client=Client(name="X"), answers=answers
    )
    return pack, review(pack, file)


def test_the_review_shows_question_answer_and_note_whole() -> None:
    note = "À vérifier avec le directeur commercial : " + "la liste complète des promesses " * 4
    long_answer = "Des relances automatiques « en un clic » vers tous nos clients " * 3
    pack, sections = _engagement_with(
        {
            "offer_crm": Answer(status=Status.ANSWERED, value="offered", note=note),
            "vendor_promises": Answer(status=Status.ANSWERED, value=long_answer.strip()),
        }
    )
    texts = Texts("fr")
    offers = sections[0]
    items = {item.question.id: item for item in offers.items}

    def flat(text: str) -> str:  # one line, every kind of space as one space
        return " ".join(text.split())

    label = flat(item_label(items["offer_crm"], texts))
    crm = pack.question("offer_crm")
    assert flat(crm.text.get("fr")) in label
    assert "Un prestataire nous l'a proposé" in label
    assert flat(note) in label
    assert flat(long_answer) in flat(item_label(items["vendor_promises"], texts))
    assert all(len(line) <= 80 for line in item_label(items["offer_crm"], texts).splitlines())


def test_review_pages_fit_the_screen_and_keep_every_item() -> None:
    note = "Une note longue qui prend de la place sur l'écran projeté. " * 6
    answers = {
        f"offer_{s}": Answer(status=Status.UNKNOWN, note=note)
        for s in ("marketing_automation", "emailing", "crm", "e_commerce", "chatbot")
    }
    _, sections = _engagement_with(answers)
    texts = Texts("fr")
    split = pages(sections[0], texts, 24)
    assert len(split) > 1
    assert [i for page in split for i in page] == sections[0].items
    for page in split:
        rows = sum(item_label(i, texts).count("\n") + 1 for i in page)
        assert rows <= 24 - PAGE_CHROME or len(page) == 1


def _wrapped_rows(text: str, width: int, indent: int) -> list[str]:
    processor = WordWrap(indent)
    ti = SimpleNamespace(fragments=[("", text)], width=width)
    shown = "".join(f[1] for f in processor.apply_transformation(ti).fragments)  # type: ignore[arg-type]
    room = width - indent
    return [shown[i : i + room] for i in range(0, len(shown), room)]


def test_typed_answers_wrap_between_words() -> None:
    text = "On nous a promis des relances automatiques qui rempliraient le carnet de commandes"
    rows = _wrapped_rows(text, 32, 2)
    assert len(rows) > 1
    words = text.split()
    assert [w for row in rows for w in row.split()] == words  # no word cut in two
    assert all(len(row) <= 30 for row in rows)


def test_typed_answers_keep_the_cursor_on_the_character_typed() -> None:
    processor = WordWrap(2)
    text = "abcdefgh ijklmnop qrstuvwx yz"
    ti = SimpleNamespace(fragments=[("", text)], width=14)
    result = processor.apply_transformation(ti)  # type: ignore[arg-type]
    shown = "".join(f[1] for f in result.fragments)
    for position, char in enumerate(text):
        assert shown[result.source_to_display(position)] == char
        assert result.display_to_source(result.source_to_display(position)) == position
