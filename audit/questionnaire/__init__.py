"""Questionnaire packs: the model, the loader, conditions and the linter."""
