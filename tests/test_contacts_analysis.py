"""Contact-list analysis: classification, counts, shares, consent, freshness, readings, facts."""

from __future__ import annotations

import csv
import io
import string
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from contact_lists import CONTACTS, TODAY, expected, rows, write_csv, write_xlsx
from email_validator import EmailNotValidError, validate_email
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.contacts import analysis as analysis_module
from audit.contacts.analysis import analyse_file
from audit.contacts.classify import Category, Classifier
from audit.contacts.facts import FACT_KEYS, fact_values
from audit.contacts.readings import catalogue
from audit.errors import ContactsError

COUNT_KEYS = ["rows", "valid", "invalid", "duplicates", "unique_valid", "generic", "webmail",
              "disposable", "named", "no_address"]  # fmt: skip
ISSUE_KEYS = {"rows", "valid", "invalid", "duplicates", "unique_valid", "generic", "webmail",
              "disposable", "named", "generic_share", "webmail_share", "consent_share"}  # fmt: skip
BRIEF_KEYS = {"stale_share", "invalid_share", "duplicate_share", "disposable_share",
              "named_share", "audience", "email_column", "consent_column", "activity_column",
              "malformed_rows", "malformed_count", "top_domains", "samples", "source"}  # fmt: skip


@pytest.mark.parametrize(
    ("address", "category"),
    [
        ("jean.dupont@acme-industrie.fr", Category.NAMED),
        ("françois.mérand@atelier.fr", Category.NAMED),
        ("j.martin@société-générale.fr", Category.NAMED),
        ("contact@boulangerie.fr", Category.GENERIC),
        ("CONTACT@Boulangerie.FR", Category.GENERIC),
        ("service.client@meubles.fr", Category.GENERIC),
        ("service-client@meubles.fr", Category.GENERIC),
        ("service_client@meubles.fr", Category.GENERIC),
        ("info+newsletter@garage.fr", Category.GENERIC),
        ("no-reply@plateforme.com", Category.GENERIC),
        ("comptabilite@cabinet.fr", Category.GENERIC),
        ("accueil@mairie.fr", Category.GENERIC),
        ("contact.boulangerie@orange.fr", Category.WEBMAIL),
        ("marie@gmail.com", Category.WEBMAIL),
        ("paul@sfr.fr", Category.WEBMAIL),
        ("paul@neuf.fr", Category.WEBMAIL),
        ("paul@bbox.fr", Category.WEBMAIL),
        ("paul@gmx.fr", Category.WEBMAIL),
        ("paul@laposte.net", Category.WEBMAIL),
        ("essai@mailinator.com", Category.DISPOSABLE),
        ("contact@yopmail.com", Category.DISPOSABLE),
        ("jean.dupont@", Category.INVALID),
        ("pas une adresse", Category.INVALID),
        ("jean..dupont@acme.fr", Category.INVALID),
        ("jean@acme", Category.INVALID),
        ("jean@@acme.fr", Category.INVALID),
        ("Jean Dupont <jean@acme.fr>", Category.INVALID),
        ("jean@acme.fr;zoe@acme.fr", Category.INVALID),
    ],
)
def test_addresses_fall_in_the_right_category(address: str, category: Category) -> None:
    assert Classifier().classify(address).category is category


def test_invalid_addresses_say_why() -> None:
    found = Classifier().classify("jean..dupont@acme.fr")
    assert found.category is Category.INVALID
    assert "period" in found.reason


_ATEXT = string.ascii_letters + string.digits + "!#$%&'*+/=?^_`{|}~-"


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet=_ATEXT + ".@ \"<>[]éüß中-", max_size=30)
    | st.builds(
        lambda local, domain: f"{local}@{domain}",
        st.text(alphabet=_ATEXT + ".éñ", min_size=0, max_size=70),
        st.sampled_from(["acme.fr", "ACME.fr", "gmail.com", "a-b.co.uk", "x", "-x.fr",
                         "exämple.fr", "a..b.fr", "localhost", "1.2.3.4", "x.invalid",
                         "a" * 64 + ".fr", ("a" * 60 + ".") * 4 + "fr", "ab--c.fr",
                         "xn--exmple-cua.fr", "xn--a.fr", "a.local", "mail.onion", "a.b1"])
        | st.text(alphabet="aZ09-.xn_é", min_size=1, max_size=14),
    )
)  # fmt: skip
def test_the_fast_path_agrees_with_email_validator(address: str) -> None:
    try:
        result = validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        reference: Category | str = Category.INVALID
    else:
        reference = result.normalized.lower()
    found = Classifier().classify(address)
    if reference is Category.INVALID:
        assert found.category is Category.INVALID
    else:
        assert found.category is not Category.INVALID
        assert found.key == reference


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_a_list_with_known_contents_gives_its_counts(
    tmp_path: Path, encoding: str, delimiter: str
) -> None:
    path = write_csv(tmp_path / "list.csv", rows(), encoding, delimiter)
    result = analyse_file(path, today=TODAY).to_dict()
    for key, value in expected().items():
        assert result[key] == pytest.approx(value), key


def test_an_xlsx_list_gives_the_same_counts(tmp_path: Path) -> None:
    result = analyse_file(write_xlsx(tmp_path / "list.xlsx", rows()), today=TODAY).to_dict()
    for key, value in expected().items():
        assert result[key] == pytest.approx(value), key


def test_json_keys_are_all_there_and_consistent(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "list.csv", rows())
    result = analyse_file(path, today=TODAY).to_dict()
    assert set(result) >= ISSUE_KEYS | BRIEF_KEYS
    assert result["rows"] == (
        result["valid"] + result["invalid"] + result["no_address"] + result["malformed_count"]
    )
    assert result["valid"] == result["unique_valid"] + result["duplicates"]
    kinds = ("generic", "webmail", "disposable", "named")
    assert sum(result[k] for k in kinds) == result["unique_valid"]
    assert sum(result[f"{k}_share"] for k in kinds) == pytest.approx(1.0)
    assert result["invalid_share"] == result["invalid"] / (result["valid"] + result["invalid"])
    assert result["duplicate_share"] == result["duplicates"] / result["valid"]
    assert all(0 <= result[k] <= 1 for k in result if k.endswith("_share"))
    assert set(result["source"]) >= {"file", "size", "modified", "analysed"}
    assert result["source"]["file"] == "list.csv"
    assert result["source"]["size"] == path.stat().st_size
    assert sum(d["count"] for d in result["top_domains"]) <= result["unique_valid"]
    for kind, samples in result["samples"].items():
        for sample in samples:
            contact = CONTACTS[sample["row"] - 2]
            assert contact.email == sample["email"] or contact.email.strip() == sample["email"]
            assert contact.kind == kind


@pytest.mark.parametrize(
    ("header", "yes", "no"),
    [
        ("Consentement", "oui", "non"),
        ("Opt-in", "yes", "no"),
        ("RGPD", "Vrai", "Faux"),
        ("newsletter", "1", "0"),
        ("Accepte les e-mails", "X", ""),
        ("Consent", "TRUE", "false"),
        ("Abonné", "opt-in", "opt-out"),
    ],
)
def test_consent_columns_are_recognised_in_their_many_spellings(
    tmp_path: Path, header: str, yes: str, no: str
) -> None:
    data = [["Email", header]] + [[f"p{i}@acme{i}.fr", yes if i < 3 else no] for i in range(8)]
    result = analyse_file(write_csv(tmp_path / "list.csv", data)).to_dict()
    assert result["consent_column"] == header
    assert result["consent_share"] == pytest.approx(3 / 8)


def test_without_a_consent_column_consent_is_null_and_said(tmp_path: Path) -> None:
    data = [["Email", "Ville"], ["a@acme.fr", "Lyon"], ["b@bati.fr", "Oui"]]
    result = analyse_file(write_csv(tmp_path / "list.csv", data)).to_dict()
    assert result["consent_column"] is None and result["consent_share"] is None
    assert "no_consent_column" in [o["id"] for o in result["observations"]]


def test_a_column_named_like_consent_but_holding_something_else_is_ignored(
    tmp_path: Path,
) -> None:
    data = [["Email", "Newsletter"]] + [[f"a{i}@acme.fr", f"édition {i}"] for i in range(5)]
    assert analyse_file(write_csv(tmp_path / "list.csv", data)).to_dict()["consent_column"] is None


@pytest.mark.parametrize(
    ("header", "old", "recent"),
    [
        ("Dernière activité", "2019-03-04", "2026-01-15"),
        ("Last activity", "04/03/2019", "15/01/2026"),
        ("Date de dernier contact", "04/03/19", "15/01/26"),
        ("last_contact", "2019-03-04T10:20:00", "2026-01-15 08:00"),
        ("Updated", "04.03.2019", "15.01.2026"),
    ],
)
def test_activity_dates_give_freshness(tmp_path: Path, header: str, old: str, recent: str) -> None:
    data = [["Email", header]] + [[f"p{i}@acme{i}.fr", old if i < 3 else recent] for i in range(4)]
    data.append(["undated@acme.fr", ""])
    result = analyse_file(write_csv(tmp_path / "list.csv", data), today=TODAY).to_dict()
    assert result["activity_column"] == header
    assert result["dated"] == 4
    assert result["stale_share"] == pytest.approx(3 / 4)
    old_months = (TODAY - date(2019, 3, 4)).days / (365.2425 / 12)
    assert result["median_age_months"] == pytest.approx(old_months, abs=0.1)


def test_excel_dates_in_xlsx_give_freshness(tmp_path: Path) -> None:
    data: list[list[Any]] = [["Email", "Dernière activité"]]
    data += [[f"p{i}@acme{i}.fr", "2020-01-01" if i % 2 else "2026-10-01"] for i in range(6)]
    result = analyse_file(write_xlsx(tmp_path / "list.xlsx", data), today=TODAY).to_dict()
    assert result["activity_column"] == "Dernière activité"
    assert result["stale_share"] == pytest.approx(0.5)


def _b2b_list(tmp_path: Path, generic: int, webmail: int, named: int) -> Path:
    emails = [f"contact@societe{i}.fr" for i in range(generic)]
    emails += [f"client{i}@gmail.com" for i in range(webmail)]
    emails += [f"prenom.nom{i}@societe{i}.fr" for i in range(named)]
    return write_csv(tmp_path / "list.csv", [["Email"]] + [[e] for e in emails])


def _ids(result: dict[str, Any]) -> list[str]:
    return [o["id"] for o in result["observations"]]


def test_generic_addresses_are_the_b2b_problem_in_words(tmp_path: Path) -> None:
    result = analyse_file(_b2b_list(tmp_path, 62, 0, 38), audience="b2b").to_dict()
    assert result["audience"] == "b2b" and result["audience_inferred"] is False
    assert "generic_b2b" in _ids(result)
    reading = next(o for o in result["observations"] if o["id"] == "generic_b2b")
    assert "62\u00a0%" in reading["text"]["fr"] and "62%" in reading["text"]["en"]


def test_webmail_reads_differently_for_consumers_and_businesses(tmp_path: Path) -> None:
    path = _b2b_list(tmp_path, 0, 70, 30)
    inferred = analyse_file(path).to_dict()
    assert inferred["audience"] == "b2c" and inferred["audience_inferred"] is True
    assert {"webmail_b2c", "audience_inferred_b2c"} <= set(_ids(inferred))
    assert "webmail_b2b" not in _ids(inferred)
    business = analyse_file(path, audience="b2b").to_dict()
    assert "webmail_b2b" in _ids(business) and "webmail_b2c" not in _ids(business)


def test_stale_and_low_consent_lists_are_said(tmp_path: Path) -> None:
    data = [["Email", "Consentement", "Dernière activité"]]
    data += [[f"p{i}@acme{i}.fr", "non", "2020-01-01"] for i in range(6)]
    data += [[f"q{i}@acme{i}.fr", "oui", "2026-10-01"] for i in range(4)]
    result = analyse_file(write_csv(tmp_path / "list.csv", data), today=TODAY).to_dict()
    assert {"consent_low", "stale_high"} <= set(_ids(result))
    stale = next(o for o in result["observations"] if o["id"] == "stale_high")
    assert "60%" in stale["text"]["en"] and "24" in stale["text"]["en"]


def test_every_reading_has_both_languages_and_a_known_tone() -> None:
    for reading in catalogue().readings:
        assert reading.text["fr"] and reading.text["en"]
        assert reading.tone in ("problem", "warning", "note", "positive")


def test_malformed_rows_are_listed_up_to_a_cap_but_all_counted(tmp_path: Path) -> None:
    data = [["Email", "Ville"]] + [["a@acme.fr", "Lyon", "extra"] for _ in range(120)]
    data.append(["b@bati.fr", "Caen"])
    result = analyse_file(write_csv(tmp_path / "list.csv", data)).to_dict()
    assert result["malformed_count"] == 120
    assert len(result["malformed_rows"]) == analysis_module.MALFORMED_LISTED
    assert result["malformed_rows"][0] == {"row": 2, "reason": "3 fields where the header has 2"}
    assert result["unique_valid"] == 1


def test_the_domain_tally_stays_bounded_and_keeps_the_top_domains(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(analysis_module, "DOMAIN_TALLY_SIZE", 50)
    emails = [f"p{i}@big.fr" for i in range(300)] + [f"x@small{i}.fr" for i in range(400)]
    emails += [f"q{i}@second.fr" for i in range(100)]
    path = write_csv(tmp_path / "list.csv", [["Email"]] + [[e] for e in emails])
    result = analyse_file(path).to_dict()
    assert result["top_domains_exact"] is False
    assert [d["domain"] for d in result["top_domains"][:2]] == ["big.fr", "second.fr"]
    assert result["top_domains"][0]["count"] == 300


def test_facts_are_numbers_and_none_without_a_measure(tmp_path: Path) -> None:
    assert set(fact_values(None).values()) == {None}
    data = [["Email"], ["a@acme.fr"], ["contact@bati.fr"]]
    stored = analyse_file(write_csv(tmp_path / "list.csv", data)).to_dict()
    values = fact_values(stored)
    assert set(values) == set(FACT_KEYS)
    assert values["contacts_generic_share"] == pytest.approx(0.5)
    assert values["contacts_rows"] == 2.0
    assert values["contacts_consent_share"] is None  # no consent column: not measured
    assert fact_values({"contacts": stored}) == values  # the whole answers.facts mapping


# Cells a client's export may hold: addresses, near-addresses, blanks, text with separators.
_cells = st.one_of(
    st.sampled_from(["", " ", "contact@acme.fr", "Jean.Dupont@ACME.fr", "jean@gmail.com",
                     "x@mailinator.com", "pas-une-adresse", "a@b", "oui", "non", "2020-01-01",
                     "15/01/26", "é@ü.fr", "\"q\"@acme.fr"]),
    st.text(alphabet="ab@.;,\t\"\n é-", max_size=12),
)  # fmt: skip


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.lists(st.lists(_cells, min_size=1, max_size=4), max_size=25),
    header=st.booleans(),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
)
def test_any_list_gives_counts_that_add_up_or_our_error(
    tmp_path: Path,
    data: list[list[str]],
    header: bool,
    delimiter: str,
    encoding: str,
) -> None:
    table = ([["Email", "Consentement", "Dernière activité"]] if header else []) + data
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(table)
    path = tmp_path / "list.csv"
    path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
    try:
        result = analyse_file(path, today=TODAY).to_dict()
    except ContactsError as error:
        assert error.location.file == path
        return
    assert result["valid"] + result["invalid"] == (
        result["rows"] - result["no_address"] - result["malformed_count"]
    )
    assert result["valid"] == result["unique_valid"] + result["duplicates"]
    kinds = ("generic", "webmail", "disposable", "named")
    assert result["unique_valid"] == sum(result[k] for k in kinds)
    for key in COUNT_KEYS:
        assert result[key] >= 0
    assert all(v is None or 0 <= v <= 1 for k, v in result.items() if k.endswith("_share"))


def test_oversized_cells_are_invalid_and_shown_shortened(tmp_path: Path) -> None:
    huge = "a" * 100_000 + "@acme.fr"
    data = [["Email", "Consentement"], [huge, "oui" * 30_000], ["b@acme.fr", "oui"]]
    result = analyse_file(write_csv(tmp_path / "list.csv", data)).to_dict()
    assert result["invalid"] == 1 and result["unique_valid"] == 1
    shown = result["samples"]["invalid"][0]["email"]
    assert len(shown) <= analysis_module.SAMPLE_LENGTH + 1 and shown.endswith("…")
    assert result["malformed_count"] == 0
