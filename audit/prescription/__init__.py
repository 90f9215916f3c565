"""Prescription: verdict rules per solution, the verdicts and the roadmap of prerequisites."""
