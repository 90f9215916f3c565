"""Diagnosis: maturity scores per dimension and named findings, each with its evidence."""
