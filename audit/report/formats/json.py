"""JSON: the assessment object itself, the machine-readable truth (schema_version 1)."""

from __future__ import annotations

import json

from audit.report.context import ReportContext


class Renderer:
    suffix = "-assessment.json"

    def render(self, context: ReportContext) -> bytes:
        text = json.dumps(context.assessment, ensure_ascii=False, indent=2)
        return (text + "\n").encode("utf-8")
