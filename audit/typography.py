"""French typography for every face of the tool (terminal, reports, web pages).

French puts a non-breaking space before `:` and a narrow non-breaking space before `;`,
`!` and `?`, and non-breaking spaces inside « ». With ordinary spaces, a line can end on a
word and start on a lone `?`. `typeset(text, lang)` fixes a text written either way; it
leaves English alone, and it is idempotent, so applying it twice (content already typeset
in YAML, then again at display) changes nothing.

Only punctuation that ends a word is touched: `https://x.fr/?a=b`, `10:30`, `C:\\dir` and a
leading `? help` keep their form.
"""

from __future__ import annotations

import re

NBSP = "\u00a0"  # before `:`, inside « »
NNBSP = "\u202f"  # narrow: before `;`, `!`, `?`

_SPACES = " \u00a0\u202f"
# A word (or a closing bracket/quote, a figure sign) then at most one space, then the
# punctuation, which must itself end the word.
_BEFORE = re.compile(rf"(?<=[\w)\]}}»\"'’%€$…*])[{_SPACES}]?([:;!?])(?=[\s)\]}}»\"'’.,…!?]|$)")
_OPEN_QUOTE = re.compile(rf"«[{_SPACES}]*")
_CLOSE_QUOTE = re.compile(rf"[{_SPACES}]*»")
_MARKS = frozenset(":;!?«»")  # a text with none of these is left as it is


def _space_before(match: re.Match[str]) -> str:
    mark = match.group(1)
    return (NBSP if mark == ":" else NNBSP) + mark


def french(text: str) -> str:
    """`text` with French spacing around `: ; ! ?` and inside « »."""
    if not text or _MARKS.isdisjoint(text):
        return text
    text = _BEFORE.sub(_space_before, text)
    text = _OPEN_QUOTE.sub("«" + NBSP, text)
    return _CLOSE_QUOTE.sub(NBSP + "»", text)


def typeset(text: str, lang: str) -> str:
    """`text` as `lang` writes it: French spacing in French, unchanged otherwise."""
    return french(text) if lang == "fr" else text
