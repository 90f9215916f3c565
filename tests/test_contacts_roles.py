"""Generic role addresses: measured against a maintained list, never mistaking a person."""

from __future__ import annotations

import string
import subprocess
import sys
from pathlib import Path

import pytest

from audit.contacts.classify import Category, Classifier, role_key, role_local_parts
from tests.conftest import ROOT, TESTS

DATA = ROOT / "audit" / "contacts" / "data"
MAINTAINED = DATA / "role_based_email_addresses.txt"

# Common English role mailboxes a B2B list holds. Before the maintained list, the eight
# after "events" were missed (security, procurement, service, feedback, enquiries,
# inquiries, bookings, quality).
COMMON_ENGLISH_ROLES = (  # noqa: SIM905
    "info contact sales support help admin office marketing hr billing accounts finance "
    "jobs careers press media news newsletter orders shop customerservice webmaster "
    "postmaster noreply team hello reservations legal privacy reception events partners "
    "purchasing security procurement service feedback enquiries inquiries bookings quality"
).split()

# Initials of French compound first names (Jean-Pierre, Marie-Claire, Anne-Sophie,
# Pierre-Yves, François-Xavier...), followed by any surname's initial: jpm, mcl, asd...
COMPOUND_INITIALS = (
    "ja jb jc jd jf jj jl jm jp jy ma mc me mf mh mj ml mp mt as am ac ph py pa pl fx lm"
)
# Two-letter function abbreviations our own list applies on purpose (directeur général,
# ressources humaines, human resources, informatique/IT, hi@): the stated exception to
# "two letters are initials". They are asserted here so that adding one is a decision.
FUNCTION_ABBREVIATIONS = {"dg", "rh", "hr", "it", "hi"}


def _words(path: Path) -> list[str]:
    lines = (line.split("#", 1)[0] for line in path.read_text(encoding="utf-8").splitlines())
    return [word for line in lines for word in line.split()]


def _first_names() -> list[str]:
    return _words(TESTS / "data" / "first_names.txt")


def _initials() -> list[str]:
    letters = string.ascii_lowercase
    pairs = [a + b for a in letters for b in letters if a + b not in FUNCTION_ABBREVIATIONS]
    triples = [c + x for c in COMPOUND_INITIALS.split() for x in letters]
    return pairs + triples


def _category(local: str, domain: str = "atelier-martin.fr") -> Category:
    return Classifier().classify(f"{local}@{domain}").category


def test_common_english_roles_are_all_generic() -> None:
    missed = [role for role in COMMON_ENGLISH_ROLES if _category(role) is not Category.GENERIC]
    assert len(COMMON_ENGLISH_ROLES) == 41
    assert missed == []


@pytest.mark.parametrize(
    "address",
    ["Security@firm.com", "procurement@firm.com", "customer.service@firm.com",
     "feedback+web@firm.com", "Enquiries@firm.co.uk", "bookings@hotel.com",
     "quality@plant.de", "sales-team@firm.com"],
)  # fmt: skip
def test_missed_roles_are_caught_with_case_tags_and_separators(address: str) -> None:
    assert Classifier().classify(address).category is Category.GENERIC


def test_first_names_are_people_not_roles() -> None:
    names = _first_names()
    assert len(names) >= 400
    generic = [name for name in names if _category(name) is Category.GENERIC]
    assert generic == []
    # The same names at a free webmail stay webmail, never generic.
    assert [n for n in names if _category(n, "gmail.com") is Category.GENERIC] == []


def test_first_name_dot_surname_is_a_person() -> None:
    surnames = "martin bernard dubois smith jones taylor brown durand leroy".split()  # noqa: SIM905
    addresses = [f"{n}.{s}" for n in _first_names() for s in surnames]
    assert [a for a in addresses if _category(a) is Category.GENERIC] == []


def test_initials_are_people_not_roles() -> None:
    initials = _initials()
    assert len(initials) > 1000
    assert [i for i in initials if _category(i) is Category.GENERIC] == []
    # The examples the issue names, explicitly.
    for local in ("md", "la", "max", "m.d", "j-p"):
        assert _category(local) is Category.NAMED


def test_function_abbreviations_are_the_only_two_letter_roles() -> None:
    two_letters = {key for key in role_local_parts() if len(key) == 2}
    assert two_letters == FUNCTION_ABBREVIATIONS


def test_maintained_list_is_mostly_applied() -> None:
    entries = _words(MAINTAINED)
    assert len(entries) >= 1000
    caught = [e for e in entries if _category(e) is Category.GENERIC]
    # Only the exclusions (first names, initials) and two-letter entries are left out.
    assert len(caught) / len(entries) >= 0.95
    excluded = _words(DATA / "role_exclusions.txt")
    assert all(role_key(e) in {role_key(x) for x in entries} for e in excluded), (
        "an exclusion that is not in the maintained list is stale"
    )


def test_licence_travels_with_the_list() -> None:
    licence = (DATA / "role_based_email_addresses.LICENSE").read_text(encoding="utf-8")
    assert "MIT License" in licence and "Mixmax" in licence
    header = MAINTAINED.read_text(encoding="utf-8").splitlines()[:6]
    assert any("role_based_email_addresses.LICENSE" in line for line in header)


def test_refresh_script_checks_the_copy_offline(tmp_path: Path) -> None:
    """The refresh script reads a package tarball; --check says whether the copy matches."""
    import tarfile

    node = subprocess.run(["which", "node"], capture_output=True, check=False)
    if node.returncode != 0:
        pytest.skip("node is not installed")
    package = tmp_path / "package"
    (package / "src").mkdir(parents=True)
    (package / "package.json").write_text(
        '{"name": "role-based-email-addresses", "version": "0.0.1", "main": "src/index.js"}'
    )
    (package / "src" / "index.js").write_text("module.exports = ['sales', 'info'];\n")
    (package / "LICENSE").write_text("The MIT License (MIT)\n")
    tarball = tmp_path / "pkg.tgz"
    with tarfile.open(tarball, "w:gz") as archive:
        archive.add(package, arcname="package")
    script = ROOT / "scripts" / "refresh_role_list.py"
    done = subprocess.run(
        [sys.executable, str(script), "--check", "--tarball", str(tarball)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "differs" in done.stdout
