"""Answers files and questionnaire sessions: model, atomic store, navigation."""
