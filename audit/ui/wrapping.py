"""Typed answers wrap at word boundaries, under their first column, like the prompts.

prompt_toolkit wraps a long input line at the terminal's edge, in the middle of a word.
`WordWrap` pads the end of a row with spaces when the next word would not fit, so the word
starts the next row; the text typed is unchanged (the padding is display only, and the
cursor maps across it).
"""

from __future__ import annotations

from prompt_toolkit.formatted_text import StyleAndTextTuples
from prompt_toolkit.layout.processors import Processor, Transformation, TransformationInput
from prompt_toolkit.layout.utils import explode_text_fragments
from prompt_toolkit.utils import get_cwidth


class WordWrap(Processor):
    """Word wrapping for an input whose every row starts `indent` columns in."""

    def __init__(self, indent: int) -> None:
        self.indent = indent

    def apply_transformation(self, ti: TransformationInput) -> Transformation:
        width = ti.width - self.indent
        if width < 10:
            return Transformation(ti.fragments)
        chars = explode_text_fragments(ti.fragments)
        texts = [fragment[1] for fragment in chars]
        out: StyleAndTextTuples = []
        to_display: list[int] = []  # display index of each input character
        column = 0
        i = 0
        while i < len(chars):
            end = i + 1
            if texts[i] != " ":
                while end < len(chars) and texts[end] != " ":
                    end += 1
            size = sum(get_cwidth(t) for t in texts[i:end])
            if texts[i] != " " and column and column + size > width and size <= width:
                out.extend([("", " ")] * (width - column))
                column = 0
            for k in range(i, end):
                to_display.append(len(out))
                out.append((chars[k][0], texts[k]))
                column += get_cwidth(texts[k])
                if column >= width:
                    column -= width
            i = end
        to_display.append(len(out))  # the position after the last character

        def source_to_display(position: int) -> int:
            return to_display[min(position, len(to_display) - 1)]

        def display_to_source(position: int) -> int:
            source = 0
            for index, shown in enumerate(to_display):
                if shown > position:
                    break
                source = index
            return source

        return Transformation(out, source_to_display, display_to_source)
