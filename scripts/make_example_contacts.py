"""Write the synthetic contact-list exports that go with the engagement pack's examples.

Each example client has a small CSV shaped like a real French export (columns nom, prénom,
société, e-mail, consentement, dernière activité) whose mix of addresses tells the client's
story: generic `contact@` addresses for the industrial subcontractor, webmail for the craft
workshop's private buyers, named and consented addresses for the digitally ready brand.
A few invalid and duplicate addresses are slipped in, as in every real list.

The output is deterministic (seeded), so the committed files can be checked against it:

    .venv/bin/python scripts/make_example_contacts.py            # rewrite the files
    .venv/bin/python scripts/make_example_contacts.py --check    # exit 1 if they differ
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import sys
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "questionnaires" / "engagement" / "examples"
HEADER = ["nom", "prénom", "société", "e-mail", "consentement", "dernière activité"]
# A fixed "today" so the activity dates do not move between runs.
EXPORT_DAY = date(2026, 11, 2)


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


SURNAMES = _words(
    "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent "
    "Lefebvre Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard Andre Mercier "
    "Dupont Lambert Bonnet Francois Martinez Legrand Garnier Faure Rousseau Blanc Guerin "
    "Muller Henry Roussel Nicolas Perrin Morin Mathieu Clement Gauthier Dumont Lopez Fontaine "
    "Chevalier Robin Masson Sanchez Gerard Nguyen Boyer Denis Lemaire Duval Joly Gautier "
    "Roger Roche Roy Noel Meyer Lucas Meunier Jean Perez Marchand Dufour Blanchard Marie "
    "Barbier Brun Dumas Brunet Schmitt Leroux Colin Fernandez Pierre Renard Arnaud Rolland "
    "Caron Aubert Giraud Leclerc Vidal Bourgeois Renaud Lemoine Picard Gaillard Philippe"
)
FIRST_NAMES = _words(
    "Camille Léa Manon Chloé Inès Sarah Julie Claire Sophie Nathalie Isabelle Anne Hélène "
    "Élodie Amandine Céline Lucie Émilie Aurélie Marion Thomas Nicolas Julien Pierre Antoine "
    "Maxime Hugo Louis Lucas Mathieu Sébastien Olivier Laurent Philippe Éric Stéphane Karim "
    "Mehdi Yanis Jérôme François Benoît Rémi Gaëlle Océane Yasmine Fatou Mélanie Justine"
)
GENERIC_PARTS = ("contact", "info", "accueil", "commercial", "direction", "compta", "secretariat")
FRENCH_WEBMAIL = ("orange.fr", "wanadoo.fr", "free.fr", "sfr.fr", "laposte.net", "gmail.com")


@dataclass(frozen=True)
class Profile:
    """The shape of one client's list: how many rows and which mix of addresses."""

    name: str
    seed: int
    rows: int
    companies: tuple[str, ...]
    # Weights of the kinds of address: generic role, free webmail, named at a company.
    generic: float
    webmail: float
    named: float
    invalid: int
    duplicates: int
    consent_yes: float  # share of rows marked "oui"
    consent_blank: float  # share of rows with nothing recorded
    max_age_days: int  # oldest last activity
    blank_date: float  # share of rows with no activity date
    delimiter: str


PROFILES = (
    Profile(
        name="industrial",
        seed=1107,
        rows=64,
        companies=(
            "Hydromeca Rhône",
            "Ateliers Berthier",
            "Chaudronnerie du Forez",
            "SLR Robinetterie",
            "Usinage Pontet",
            "Transmissions Girod",
            "Fonderie Lacombe",
            "Agrimat Services",
            "Thermo-Process Est",
            "Ferroviaire Composants",
            "Mécanique Sauvage",
            "Dauphiné Hydraulique",
            "Estampage Morel",
            "Tôlerie Vallée",
            "Électro-Bobinage Roux",
            "Sodimat Levage",
            "Pompes Berger",
            "Alpes Découpe Laser",
        ),
        generic=0.74,
        webmail=0.10,
        named=0.16,
        invalid=3,
        duplicates=4,
        consent_yes=0.05,
        consent_blank=0.80,
        max_age_days=6 * 365,
        blank_date=0.25,
        delimiter=";",
    ),
    Profile(
        name="craft",
        seed=2203,
        rows=48,
        companies=(
            "Galerie Les Tanneurs",
            "Concept store Maison Brune",
            "Hôtel Le Clos Fleuri",
            "Boutique des Créateurs",
            "Restaurant La Table d'Argile",
        ),
        generic=0.08,
        webmail=0.78,
        named=0.14,
        invalid=2,
        duplicates=2,
        consent_yes=0.55,
        consent_blank=0.30,
        max_age_days=4 * 365,
        blank_date=0.10,
        delimiter=",",
    ),
    Profile(
        name="digital",
        seed=3301,
        rows=80,
        companies=(
            "Épicerie Fine Lemaire",
            "Bio&Vrac Nantes",
            "La Maison du Thé Toulouse",
            "Comptoir Rivage Lille",
            "Café Sérénité",
        ),
        generic=0.04,
        webmail=0.78,
        named=0.18,
        invalid=1,
        duplicates=1,
        consent_yes=0.96,
        consent_blank=0.0,
        max_age_days=540,
        blank_date=0.0,
        delimiter=",",
    ),
)


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    kept = "".join(c if c.isalnum() else "-" for c in ascii_text.lower())
    return "-".join(part for part in kept.split("-") if part)


def _domain(company: str) -> str:
    return _slug(company).replace("concept-store-", "").replace("restaurant-", "") + ".fr"


def _local_part(first: str, last: str, rng: random.Random, *, webmail: bool) -> str:
    first_ascii, last_ascii = _slug(first), _slug(last)
    style = rng.random()
    if style < 0.6:
        return f"{first_ascii}.{last_ascii}"
    if style < 0.85 or not webmail:
        return f"{first_ascii[0]}{last_ascii}"
    # Private mailboxes often carry a number: the plain name was already taken.
    return f"{first_ascii}{last_ascii}{rng.randint(1, 99)}"


def _invalid(address: str, rng: random.Random) -> str:
    local, _, domain = address.partition("@")
    mistakes = (
        f"{local}@{domain.rsplit('.', 1)[0]}",  # no top-level domain
        f"{local}@@{domain}",
        f"{local}.{domain}",  # no @ at all
        f"{local} @{domain}",
    )
    return rng.choice(mistakes)


def _consent(profile: Profile, rng: random.Random) -> str:
    draw = rng.random()
    if draw < profile.consent_yes:
        return "oui"
    if draw < profile.consent_yes + profile.consent_blank:
        return ""
    return "non"


def _activity(profile: Profile, rng: random.Random) -> str:
    if rng.random() < profile.blank_date:
        return ""
    day = EXPORT_DAY - timedelta(days=rng.randint(3, profile.max_age_days))
    return day.strftime("%d/%m/%Y")


def rows_for(profile: Profile) -> list[list[str]]:
    """The data rows of one profile's list (without the header), deterministic."""
    rng = random.Random(profile.seed)
    rows: list[list[str]] = []
    used: set[str] = set()
    kinds = ("generic", "webmail", "named")
    weights = (profile.generic, profile.webmail, profile.named)
    base_rows = profile.rows - profile.duplicates
    while len(rows) < base_rows:
        kind = rng.choices(kinds, weights)[0]
        first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        company = rng.choice(profile.companies)
        if kind == "generic":
            address = f"{rng.choice(GENERIC_PARTS)}@{_domain(company)}"
            # A generic address often comes with no person at all.
            if rng.random() < 0.6:
                first, last = "", ""
        elif kind == "webmail":
            address = f"{_local_part(first, last, rng, webmail=True)}@{rng.choice(FRENCH_WEBMAIL)}"
            if profile.name != "industrial":
                company = ""
        else:
            address = f"{_local_part(first, last, rng, webmail=False)}@{_domain(company)}"
        if address in used:
            continue
        used.add(address)
        rows.append(
            [last.upper(), first, company, address, _consent(profile, rng), _activity(profile, rng)]
        )
    for index in rng.sample(range(len(rows)), profile.invalid):
        rows[index][3] = _invalid(rows[index][3], rng)
    for source in rng.sample(rows, profile.duplicates):
        copy = list(source)
        # The same person entered twice: a capitalised address, an older or missing date.
        copy[3] = copy[3].capitalize() if rng.random() < 0.5 else copy[3]
        copy[5] = ""
        rows.insert(rng.randint(0, len(rows)), copy)
    return rows


def render(profile: Profile) -> str:
    """The CSV text of one profile, header included."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=profile.delimiter, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows_for(profile))
    return buffer.getvalue()


def target(profile: Profile, folder: Path = EXAMPLES) -> Path:
    return folder / f"{profile.name}-contacts.csv"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    parser.add_argument("--output", type=Path, default=EXAMPLES, help="folder to write to")
    args = parser.parse_args(argv)
    stale = []
    for profile in PROFILES:
        path = target(profile, args.output)
        text = render(profile)
        if args.check:
            current = path.read_bytes().decode("utf-8") if path.is_file() else None
            if current != text:
                stale.append(path)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
        print(f"wrote {path} ({len(text.splitlines()) - 1} rows)")
    for path in stale:
        print(f"out of date: {path} (run scripts/make_example_contacts.py)", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
