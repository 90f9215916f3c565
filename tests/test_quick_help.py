"""Help texts are true in quick mode: none promises a question the quick subset never asks."""

from __future__ import annotations

import re

import pytest

from audit.questionnaire.loader import load_pack
from audit.resources import shipped_packs

# Phrases by which a help text announces that a later question will look at something.
LATER = {
    "fr": r"plus loin|nous verrons|nous regarderons|dans la suite|questions suivantes|reviendrons",
    "en": r"\blater\b|we will see|we will look|further on|following questions|come back to",
}


@pytest.mark.parametrize("pack_path", list(shipped_packs()), ids=str)
def test_quick_questions_promise_no_later_question(pack_path: object) -> None:
    pack = load_pack(pack_path)  # type: ignore[arg-type]
    quick_sections = {q.section for q in pack.questions if q.quick}
    texts = [(q.id, q.help) for q in pack.questions if q.quick]
    texts += [(s.id, s.help) for s in pack.sections if s.id in quick_sections]
    promises = [
        (where, lang, text.get(lang))
        for where, text in texts
        for lang, pattern in LATER.items()
        if re.search(pattern, text.get(lang), re.IGNORECASE)
    ]
    assert promises == []
