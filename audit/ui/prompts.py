"""Asking one question in the terminal with questionary, in the session's language.

Each prompt returns a `Reply`: an answer, or an action (don't know, not applicable, note,
help, back). Choice questions list the actions after the choices, each with a shortcut
key; typed questions (number, text, file) open the actions when Enter is pressed on an
empty line, and accept `?` (help) and `<` (back) directly.

Every prompt uses `unsafe_ask`, so Ctrl-C raises KeyboardInterrupt for the caller to save
and say how to resume (questionary's `ask` would swallow it).
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, cast

import questionary
from prompt_toolkit.filters import Condition
from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
from prompt_toolkit.keys import Keys
from questionary import Choice, Separator, Style
from questionary.prompts.common import InquirerControl
from rich.control import Control
from rich.segment import ControlType
from rich.text import Text

from audit.questionnaire.model import Question, QuestionType
from audit.session.answers import Answer, Status
from audit.session.files import FileProblem, check_file_path
from audit.ui.console import console
from audit.ui.session_view import format_number
from audit.ui.texts import Texts
from audit.ui.wrapping import WordWrap

STYLE = Style(
    [
        ("qmark", "fg:ansicyan bold"),
        ("question", "bold"),
        ("answer", "fg:ansicyan bold"),
        ("pointer", "fg:ansicyan bold"),
        ("highlighted", "fg:ansicyan bold"),
        ("selected", "fg:ansicyan"),
        ("separator", "fg:ansibrightblack"),
        ("instruction", "fg:ansibrightblack"),
        ("disabled", "fg:ansibrightblack italic"),
    ]
)
QMARK = "›"
HELP_KEY = "?"
BACK_KEY = "<"
MAX_SHORTCUTS = 36
TYPING_ROOM = 24  # columns kept free after a typed question for the answer


class Action(StrEnum):
    ANSWER = "answer"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not_applicable"
    NOTE = "note"
    HELP = "help"
    BACK = "back"
    RETRY = "retry"


@dataclass(frozen=True)
class Reply:
    """What the user did at a question: answered it (with `value`) or chose an action."""

    action: Action
    value: Any = None

    @property
    def status(self) -> Status | None:
        return {
            Action.ANSWER: Status.ANSWERED,
            Action.UNKNOWN: Status.UNKNOWN,
            Action.NOT_APPLICABLE: Status.NOT_APPLICABLE,
        }.get(self.action)


@dataclass(frozen=True)
class Context:
    """What the prompt needs to know besides the question."""

    texts: Texts
    answer: Answer | None = None
    can_go_back: bool = True
    help_shown: bool = False
    has_note: bool = False
    back_to_review: bool = False  # editing from the review: "back" returns there
    answers_folder: Path | None = None  # a file answer must lie in it (or below)


def _width() -> int:
    return max(40, min(shutil.get_terminal_size((80, 24)).columns, 100))


def wrap_label(label: str, indent: int = 6) -> str:
    """A choice label wrapped to the terminal, continuation lines under the first word.

    prompt_toolkit cuts long lines at the edge; on a projected 80-column screen, choice
    labels of a real questionnaire are often longer than that.
    """
    lines = textwrap.wrap(label, width=_width() - indent - 1, break_on_hyphens=False) or [label]
    return ("\n" + " " * indent).join(lines)


def wrap_message(message: str, tail: int = 0) -> str:
    """A prompt's message wrapped at word boundaries, continuation lines indented.

    prompt_toolkit breaks long lines at the terminal's edge, in the middle of a word.
    `tail` reserves room on the last line for what follows it (the instruction, or the
    typed answer); if the last line is too full, that goes on a line of its own.
    """
    width = _width() - len(QMARK) - 2
    lines = textwrap.wrap(message, width=width, break_on_hyphens=False) or [message]
    text = "\n  ".join(lines)
    if tail and len(lines[-1]) + tail + 1 > width:
        text += "\n "  # questionary puts a space before what follows: align it at 2
    return text


def own_line(message: str) -> str:
    """A prompt's message with the answer on the next line, two columns in (long answers)."""
    return wrap_message(message) + "\n "  # questionary adds a space: the answer is at 2


ANSWER_INDENT = 2  # where `own_line` puts the answer, and its wrapped rows


def _erase_answered_line(message: str) -> None:
    """Replace the line questionary prints after a checkbox (it says 'done', in English)."""
    wrapped = wrap_message(message)
    rows = wrapped.count("\n") + 1
    codes = [Control((ControlType.CURSOR_UP, 1)), Control((ControlType.ERASE_IN_LINE, 2))]
    console().control(*(codes * rows), Control.move_to_column(0))
    console().print(Text(f"{QMARK} {wrapped}", style="bold"))


def _actions(question: Question, ctx: Context) -> list[Choice]:
    t = ctx.texts
    actions = []
    if question.allow_unknown:
        actions.append(
            Choice(t("action_unknown"), Reply(Action.UNKNOWN), shortcut_key=t("key_unknown"))
        )
    if question.allow_not_applicable:
        actions.append(
            Choice(
                t("action_not_applicable"),
                Reply(Action.NOT_APPLICABLE),
                shortcut_key=t("key_not_applicable"),
            )
        )
    note = t("action_edit_note") if ctx.has_note else t("action_note")
    actions.append(Choice(note, Reply(Action.NOTE), shortcut_key=t("key_note")))
    help_title = t("action_hide_help") if ctx.help_shown else t("action_help")
    actions.append(Choice(help_title, Reply(Action.HELP), shortcut_key=t("key_help")))
    if ctx.can_go_back:
        back = t("review_back") if ctx.back_to_review else t("action_back")
        actions.append(Choice(back, Reply(Action.BACK), shortcut_key=t("key_back")))
    return actions


def _current(ctx: Context) -> Reply | None:
    """The current answer as the Reply that would give it, for a select's default."""
    answer = ctx.answer
    if answer is None:
        return None
    if answer.status == Status.UNKNOWN:
        return Reply(Action.UNKNOWN)
    if answer.status == Status.NOT_APPLICABLE:
        return Reply(Action.NOT_APPLICABLE)
    if answer.status == Status.ANSWERED:
        value = answer.value
        return Reply(Action.ANSWER, tuple(value) if isinstance(value, list) else value)
    return None


def _select(message: str, choices: list[Any], default: Any, instruction: str) -> Any:
    values = [c.value for c in choices if isinstance(c, Choice)]
    # questionary has 36 shortcut keys; a longer list is moved through with the arrows only.
    shortcuts = len(values) <= MAX_SHORTCUTS
    if not shortcuts:
        for choice in choices:
            if isinstance(choice, Choice):
                choice.shortcut_key = False
    return questionary.select(
        wrap_message(message, tail=len(instruction)),
        choices=choices,
        default=default if default in values else None,
        qmark=QMARK,
        style=STYLE,
        use_shortcuts=shortcuts,
        use_jk_keys=False,
        instruction=instruction,
    ).unsafe_ask()


def ask(question: Question, ctx: Context) -> Reply:
    """Ask `question` once; the caller loops on actions such as HELP or NOTE."""
    kind = question.type
    if kind in (QuestionType.SINGLE, QuestionType.SCALE, QuestionType.YES_NO):
        return _ask_select(question, ctx)
    if kind == QuestionType.MULTIPLE:
        return _ask_checkbox(question, ctx)
    return _ask_typed(question, ctx)


def _ask_select(question: Question, ctx: Context) -> Reply:
    t = ctx.texts
    if question.type == QuestionType.YES_NO:
        choices = [
            Choice(t("yes"), Reply(Action.ANSWER, True), shortcut_key=t("yes_key")),
            Choice(t("no"), Reply(Action.ANSWER, False), shortcut_key=t("no_key")),
        ]
        instruction = t("instruction_yes_no")
    else:
        choices = [
            Choice(wrap_label(t.local(c.label)), Reply(Action.ANSWER, c.id), shortcut_key=True)
            for c in question.choices
        ]
        instruction = t("instruction_select")
    items: list[Any] = [*choices, Separator(" "), *_actions(question, ctx)]
    reply: Reply = _select(t.local(question.text), items, _current(ctx), instruction)
    return reply


def _ask_checkbox(question: Question, ctx: Context) -> Reply:
    """Tick choices; the actions of other screens are listed below, each with its key."""
    t = ctx.texts
    current = ctx.answer
    ticked = set(current.value or []) if current and current.status == Status.ANSWERED else set()
    actions = _actions(question, ctx)
    console().print(Text(t("instruction_checkbox"), style="muted"))
    message = t.local(question.text)
    prompt = questionary.checkbox(
        wrap_message(message),
        choices=[
            *(
                Choice(wrap_label(t.local(c.label), 5), c.id, checked=c.id in ticked)
                for c in question.choices
            ),
            Separator(" "),
            *(Separator(f"{a.shortcut_key}) {a.title}") for a in actions),
        ],
        qmark=QMARK,
        style=STYLE,
        instruction="",
    )
    # As on other screens, an action's key points at its row and Enter confirms it (a key
    # that acted at once would let the Enter typed after it answer the next question).
    # `?` and `<` act at once, as in typed prompts. These replace questionary's letter keys.
    app = prompt.application
    control = next(
        w.content for w in app.layout.find_all_windows() if isinstance(w.content, InquirerControl)
    )
    first_action = len(question.choices) + 1  # after the choices and a blank line
    replies = {first_action + i: cast(Reply, a.value) for i, a in enumerate(actions)}
    on_action = Condition(lambda: control.pointed_at in replies)
    settled = _current(ctx)  # "don't know" or "not applicable" given before: point at it
    control.pointed_at = next(
        (i for i, r in replies.items() if settled is not None and r == settled),
        control.pointed_at,
    )
    keys = KeyBindings()
    for index, action in enumerate(actions, start=first_action):

        def point(event: Any, index: int = index) -> None:
            control.pointed_at = index

        keys.add(str(action.shortcut_key), eager=True)(point)

    @keys.add(Keys.ControlM, eager=True, filter=on_action)
    def _confirm_action(event: Any) -> None:
        event.app.exit(result=replies[control.pointed_at])

    @keys.add(" ", eager=True, filter=on_action)
    def _nothing_to_tick(event: Any) -> None:
        pass

    keys.add(HELP_KEY, eager=True)(lambda event: event.app.exit(result=Reply(Action.HELP)))
    if ctx.can_go_back:
        keys.add(BACK_KEY, eager=True)(lambda event: event.app.exit(result=Reply(Action.BACK)))
    app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), keys])
    picked = prompt.unsafe_ask()
    if isinstance(picked, Reply):
        _erase_answered_line(message)
        return picked
    if picked:
        return Reply(Action.ANSWER, list(picked))
    _erase_answered_line(message)
    items: list[Any] = [
        Choice(t("action_answer"), Reply(Action.RETRY), shortcut_key=True),
        Choice(t("action_none"), Reply(Action.ANSWER, []), shortcut_key=True),
        *_actions(question, ctx),
    ]
    reply_: Reply = _select(t("none_ticked"), items, None, t("instruction_select"))
    return reply_


def _number_problem(question: Question, text: str, t: Texts) -> str | None:
    try:
        number = float(text.replace(",", ".").replace(" ", "").replace("\u202f", ""))
    except ValueError:
        return t("invalid_number")
    if question.integer and number != int(number):
        return t("invalid_integer")
    if question.min is not None and number < question.min:
        return t("invalid_min", min=format_number(question.min, t.lang))
    if question.max is not None and number > question.max:
        return t("invalid_max", max=format_number(question.max, t.lang))
    return None


def _file_problem(text: str, t: Texts, folder: Path | None) -> str | None:
    try:
        check_file_path(text, folder)
    except FileProblem as problem:
        key = {
            "outside": "invalid_file_outside",
            "missing": "invalid_file_missing",
            "not_file": "invalid_file_not_file",
            "unreadable": "invalid_file_unreadable",
        }.get(problem.kind, "invalid_empty")
        return t(key, path=problem.path, folder=folder)
    return None


def _ask_typed(question: Question, ctx: Context) -> Reply:
    t, lang = ctx.texts, ctx.texts.lang
    current = ctx.answer
    default = ""
    if current is not None and current.status == Status.ANSWERED and current.value is not None:
        default = str(current.value)

    def validate(text: str) -> bool | str:
        text = text.strip()
        if text in ("", HELP_KEY, BACK_KEY):
            return True
        if question.type == QuestionType.NUMBER:
            return _number_problem(question, text, t) or True
        if question.type == QuestionType.FILE:
            return _file_problem(text, t, ctx.answers_folder) or True
        return True

    message = t.local(question.text)
    unit = question.unit.get(lang) if question.unit else ""
    if question.type == QuestionType.NUMBER and unit and unit.lower() not in message.lower():
        message += f" ({t('unit_hint', unit=unit)})"
    if question.type == QuestionType.FILE:
        message += f" ({t('file_hint')})"
    console().print(Text(t("instruction_text"), style="muted"))
    if question.type == QuestionType.TEXT:
        # A sentence or more: on its own line, wrapped at words under its first column.
        text = _ask_wrapped(message, default, validate)
    else:
        prompt = questionary.path if question.type == QuestionType.FILE else questionary.text
        text = prompt(
            wrap_message(message, tail=TYPING_ROOM),
            default=default,
            validate=validate,
            qmark=QMARK,
            style=STYLE,
        ).unsafe_ask()
    text = text.strip()
    if text == HELP_KEY:
        return Reply(Action.HELP)
    if text == BACK_KEY:
        return Reply(Action.BACK if ctx.can_go_back else Action.RETRY)
    if text:
        if question.type == QuestionType.NUMBER:
            text = text.replace(",", ".").replace(" ", "").replace("\u202f", "")
        return Reply(Action.ANSWER, text)
    items: list[Any] = [
        Choice(t("action_answer"), Reply(Action.RETRY), shortcut_key=True),
        *_actions(question, ctx),
    ]
    reply: Reply = _select(t("more_options"), items, None, t("instruction_select"))
    return reply


def ask_note(current: str | None, texts: Texts) -> str:
    """The note for a question (an empty answer clears it)."""
    note: str = questionary.text(
        own_line(texts("note_prompt")),
        default=current or "",
        qmark="✎",
        style=STYLE,
        input_processors=[WordWrap(ANSWER_INDENT)],
        prompt_continuation=" " * ANSWER_INDENT,
    ).unsafe_ask()
    return note


def _ask_wrapped(message: str, default: str, validate: Callable[[str], bool | str]) -> str:
    """Free text typed under its question, wrapped at words under the answer's first column."""
    answer: str = questionary.text(
        own_line(message),
        default=default,
        validate=validate,
        qmark=QMARK,
        style=STYLE,
        input_processors=[WordWrap(ANSWER_INDENT)],
        prompt_continuation=" " * ANSWER_INDENT,
    ).unsafe_ask()
    return answer


def ask_text(message: str, *, required: bool, texts: Texts, default: str = "") -> str:
    """A line of free text (client name, participants), wrapped at words as it is typed."""

    def validate(text: str) -> bool | str:
        return bool(text.strip()) or not required or texts("invalid_empty")

    return _ask_wrapped(message, default, validate).strip()


Option = tuple[str, Any, str | None]  # label, value, shortcut key (None: the next free one)


def choose(message: str, options: Sequence[Option], texts: Texts) -> Any:
    """Pick one of `options`; the first is the default. An option whose label and value
    are both empty is a blank line."""
    choices: list[Any] = []
    for label, value, key in options:
        if value is None and not label:
            choices.append(Separator(" "))
        else:
            choices.append(Choice(label, value, shortcut_key=key if key else True))
    return _select(message, choices, None, texts("instruction_select"))


def confirm(message: str, texts: Texts, *, default: bool = False) -> bool:
    """A yes/no question with the language's keys (o/n in French)."""
    choices = [
        Choice(texts("yes"), True, shortcut_key=texts("yes_key")),
        Choice(texts("no"), False, shortcut_key=texts("no_key")),
    ]
    answer: bool = _select(message, list(choices), default, texts("instruction_yes_no"))
    return answer


def press_any_key(message: str) -> None:
    questionary.press_any_key_to_continue(message, style=STYLE).unsafe_ask()
