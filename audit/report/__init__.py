"""Client reports: one render context, several formats (PDF, HTML, JSON, Markdown, summary)."""
