"""audit: diagnose a company's marketing maturity before prescribing tools."""

__version__ = "0.1.0"
