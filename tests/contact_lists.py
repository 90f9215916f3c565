"""Contact lists with known contents, written the ways clients' tools write them."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

TODAY = date(2026, 11, 23)
HEADER = ["Nom", "Prénom", "Adresse e-mail", "Consentement", "Dernière activité"]


@dataclass(frozen=True)
class Contact:
    """One row and what the analysis must make of it."""

    last: str
    first: str
    email: str
    consent: str
    activity: str
    kind: str  # named, generic, webmail, disposable, duplicate, invalid, no_address
    stale: bool | None = None  # for unique valid rows with a date


CONTACTS = [
    Contact("Dupont", "Jean", "jean.dupont@acme-industrie.fr", "oui", "2025-10-01", "named", False),
    Contact("Lefèvre", "Zoé", "zoe.lefevre@batiment-durand.fr", "non", "04/05/2019", "named", True),
    Contact("Mérand", "François", "françois.mérand@atelier.fr", "oui", "", "named"),
    Contact("Garçon", "Hélène", "h.garcon@cabinet-garcon.fr", "", "12/09/25", "named", False),
    Contact("Accueil", "", "contact@boulangerie-martin.fr", "oui", "2018-01-15", "generic", True),
    Contact("SAV", "", "Service-Client@meubles-leroy.fr", "non", "15/01/2023", "generic", True),
    Contact("Web", "", "info+site@garage-simon.fr", "oui", "2026-06-30", "generic", False),
    Contact("Moreau", "Anaïs", "anais.moreau@gmail.com", "oui", "01/02/2026", "webmail", False),
    Contact("Laurent", "Noël", "noel.laurent@orange.fr", "", "2020-03-03", "webmail", True),
    Contact("Michel", "Léa", "lea.michel@sfr.fr", "oui", "", "webmail"),
    Contact("Test", "", "essai@mailinator.com", "non", "2026-11-01", "disposable", False),
    Contact("Dupont", "Jean", "JEAN.DUPONT@ACME-INDUSTRIE.FR", "oui", "2025-10-01", "duplicate"),
    Contact("Accueil", "", "  contact@boulangerie-martin.fr ", "oui", "", "duplicate"),
    Contact("Simon", "Rémi", "remi.simon@", "oui", "", "invalid"),
    Contact("Garcia", "Inès", "pas une adresse", "non", "", "invalid"),
    Contact("Durand", "Céline", "", "oui", "2024-01-01", "no_address"),
]


def expected() -> dict[str, Any]:
    """The counts and shares the analysis must find in CONTACTS."""
    kinds = Counter(c.kind for c in CONTACTS)
    unique = [c for c in CONTACTS if c.kind in ("named", "generic", "webmail", "disposable")]
    consent_yes = sum(1 for c in unique if c.consent == "oui")
    dated = [c for c in unique if c.stale is not None]
    return {
        "rows": len(CONTACTS),
        "named": kinds["named"],
        "generic": kinds["generic"],
        "webmail": kinds["webmail"],
        "disposable": kinds["disposable"],
        "duplicates": kinds["duplicate"],
        "invalid": kinds["invalid"],
        "no_address": kinds["no_address"],
        "unique_valid": len(unique),
        "valid": len(unique) + kinds["duplicate"],
        "consent_share": consent_yes / len(unique),
        "stale_share": sum(1 for c in dated if c.stale) / len(dated),
    }


def rows(contacts: list[Contact] = CONTACTS) -> list[list[str]]:
    """The header and the rows, as text cells."""
    return [HEADER] + [[c.last, c.first, c.email, c.consent, c.activity] for c in contacts]


def write_csv(
    path: Path,
    data: list[list[str]],
    encoding: str = "utf-8",
    delimiter: str = ";",
) -> Path:
    """Write rows as a CSV file the way spreadsheet exports do (quoting when needed)."""
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n")
        writer.writerows(data)
    return path


def write_xlsx(path: Path, data: list[list[Any]]) -> Path:
    """Write rows to the first sheet of a workbook; ISO dates become real Excel dates."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in data:
        cells: list[Any] = []
        for cell in row:
            if isinstance(cell, str) and len(cell) == 10 and cell[4] == "-" and cell[7] == "-":
                cells.append(datetime.fromisoformat(cell))
            else:
                cells.append(cell if cell != "" else None)
        sheet.append(cells)
    book.save(path)
    return path
