"""JSON: the assessment object itself, the machine-readable truth (schema_version 1)."""

from __future__ import annotations

import json

from audit.errors import ReportError
from audit.report.context import ReportContext


class Renderer:
    suffix = "-assessment.json"

    def render(self, context: ReportContext) -> bytes:
        try:
            text = json.dumps(context.assessment, ensure_ascii=False, indent=2, allow_nan=False)
        except ValueError:  # Infinity or NaN: not JSON, and not a measure either
            raise ReportError(
                "the assessment holds an infinite or undefined number",
                expected="finite numbers in the answers and stored facts",
            ) from None
        return (text + "\n").encode("utf-8")
