"""Write the synthetic contact-list exports that go with the engagement pack's examples,
and an example form export (the quick self-assessment answered by a dozen prospects) with
its mapping, for `audit batch`.

Each example client has a small CSV shaped like a real French export (columns nom, prénom,
société, e-mail, consentement, dernière activité) whose mix of addresses tells the client's
story: generic `contact@` addresses for the industrial subcontractor, webmail for the craft
workshop's private buyers, named and consented addresses for the digitally ready brand.
A few invalid and duplicate addresses are slipped in, as in every real list.

The form export is shaped like a lead-magnet form's responses re-saved by French Excel:
Windows-1252 with `;`, a date column, shortened headers for the offer questions, short
answer texts the mapping translates, the pack's own labels typed with the usual variations
(case, accents, typographic apostrophes, stray spaces), "Je ne sais pas", multiple choices
joined by `, ` or `;`, and a comments column the mapping ignores.

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
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

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


FORM_NAME = "prospects-form"
FORM_COMPANIES = (
    ("Menuiserie Arnaud", "Menuiserie, agencement"),
    ("Transports Giraud", "Transport routier"),
    ("Cabinet Vidal Conseil", "Conseil aux entreprises"),
    ("Boulangerie Caron", "Boulangerie, pâtisserie"),
    ("Hôtel du Lac d'Annecy", "Hôtellerie"),
    ("Négoce Picard Vins", "Négoce de vins"),
    ("Clinique vétérinaire Roche", "Santé animale"),
    ("Atelier Lemoine Céramique", "Métiers d'art"),
    ("Imprimerie Brunet", "Imprimerie"),
    ("Garage Meunier & Fils", "Automobile"),
    ("Librairie Colin", "Commerce de détail"),
    ("Électricité Gaillard", "Bâtiment"),
)
# The form asked about offers in its own words, and offered shorter answers.
FORM_OFFER_HEADERS = {
    "offer_marketing_automation": "Automatisation marketing : où en êtes-vous ?",
    "offer_emailing": "E-mailing : où en êtes-vous ?",
    "offer_crm": "CRM : où en êtes-vous ?",
    "offer_e_commerce": "Boutique en ligne : où en êtes-vous ?",
    "offer_chatbot": "Chatbot : où en êtes-vous ?",
    "offer_social_media": "Réseaux sociaux : où en êtes-vous ?",
}
FORM_OFFER_ANSWERS = {
    "has": "Déjà équipés",
    "offered": "On nous l'a proposé",
    "considering": "Nous y réfléchissons",
    "none": "Pas à l'ordre du jour",
}
FORM_SKIPPED = {"vendor_promises"}
FORM_DAY = datetime(2026, 11, 16, 8, 40)


def _form_questions() -> list[Any]:
    sys.path.insert(0, str(EXAMPLES.parents[2]))
    from audit.questionnaire.loader import load_pack

    pack = load_pack(EXAMPLES.parent)
    return [q for q in pack.quick_questions() if q.id not in FORM_SKIPPED]


def _typed(label: str, rng: random.Random) -> str:
    """A label as people's forms and spreadsheets hand it back."""
    draw = rng.random()
    if draw < 0.15:
        return label.replace("'", "\u2019")
    if draw < 0.25:
        return label.lower() + " "
    if draw < 0.32:
        return unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    return label


def form_rows() -> tuple[list[str], list[list[str]]]:
    """The header and rows of the example form export (deterministic)."""
    rng = random.Random(1316)
    questions = _form_questions()
    header = ["Horodateur", "Votre nom", "Entreprise", "Adresse e-mail", "Secteur d'activité"]
    header += [FORM_OFFER_HEADERS.get(q.id, q.text.fr) for q in questions]
    header.append("Commentaires")
    rows = []
    for index, (company, sector) in enumerate(FORM_COMPANIES):
        first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        moment = FORM_DAY + timedelta(days=index // 3, minutes=rng.randint(0, 600))
        domain = _domain(company)
        row = [
            moment.strftime("%d/%m/%Y %H:%M:%S"),
            f"{first} {last}",
            company,
            f"{_slug(first)}.{_slug(last)}@{domain}",
            sector,
        ]
        for question in questions:
            draw = rng.random()
            if draw < 0.05:
                row.append("")
            elif draw < 0.1 and question.allow_unknown:
                row.append("Je ne sais pas")
            elif question.id in FORM_OFFER_HEADERS:
                choice = rng.choices(question.choices, (1, 2, 2, 4))[0]
                row.append(FORM_OFFER_ANSWERS[choice.id])
            elif question.type.value == "yes_no":
                row.append(rng.choice(["Oui", "Non"]))
            elif question.type.value == "multiple":
                picked = rng.sample(question.choices, rng.randint(1, 3))
                picked = [c for c in question.choices if c in picked]
                separator = ", " if index % 2 else ";"
                row.append(separator.join(_typed(c.label.fr, rng) for c in picked))
            else:
                row.append(_typed(rng.choice(question.choices).label.fr, rng))
        row.append(rng.choice(["", "", "", "Merci de me rappeler le matin.", "Vu au salon."]))
        rows.append(row)
    return header, rows


def render_form() -> bytes:
    """The form export as French Excel saves it: Windows-1252, `;`, CRLF."""
    header, rows = form_rows()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("cp1252")


def render_form_mapping() -> bytes:
    """The mapping of the form export: checked by a person, as `--init-mapping` asks."""

    def q(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = [
        f"# Mapping of {FORM_NAME}.csv (the agency's self-assessment form, re-saved by",
        "# Excel) to the engagement pack; written by scripts/make_example_contacts.py.",
        "# Only the answer texts the form words differently from the pack are listed.",
        "pack: engagement",
        "language: fr",
        "mode: quick",
        "client:",
        '  name: "Entreprise"',
        '  sector: "Secteur d\'activité"',
        '  contact: "Adresse e-mail"',
        'respondent: "Votre nom"',
        'date: "Horodateur"',
        "questions:",
    ]
    for question in _form_questions():
        lines.append(f"  {question.id}:")
        lines.append(f"    column: {q(FORM_OFFER_HEADERS.get(question.id, question.text.fr))}")
        if question.id in FORM_OFFER_HEADERS:
            lines.append("    choices:")
            lines += [f"      {q(text)}: {cid}" for cid, text in FORM_OFFER_ANSWERS.items()]
    lines.append('ignore: ["Commentaires"]')
    return ("\n".join(lines) + "\n").encode("utf-8")


def outputs(folder: Path) -> list[tuple[Path, bytes]]:
    """Every file the script writes, with its content."""
    files = [(target(p, folder), render(p).encode("utf-8")) for p in PROFILES]
    files.append((folder / f"{FORM_NAME}.csv", render_form()))
    files.append((folder / f"{FORM_NAME}.mapping.yaml", render_form_mapping()))
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    parser.add_argument("--output", type=Path, default=EXAMPLES, help="folder to write to")
    args = parser.parse_args(argv)
    stale = []
    for path, content in outputs(args.output):
        if args.check:
            if not path.is_file() or path.read_bytes() != content:
                stale.append(path)
            continue
        if path.is_file() and path.read_bytes() == content:
            print(f"up to date: {path}")  # not rewritten: its date stays the file's own
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        print(f"wrote {path} ({len(content.splitlines()) - 1} rows)")
    for path in stale:
        print(f"out of date: {path} (run scripts/make_example_contacts.py)", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
