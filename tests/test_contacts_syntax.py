"""The e-mail syntax fast path decides exactly as email-validator, which it only imports
when an address needs it."""

from __future__ import annotations

import string
import subprocess
import sys

import email_validator
import pytest
from email_validator import EmailNotValidError, validate_email
from email_validator import rfc_constants as rfc
from hypothesis import example, given, settings
from hypothesis import strategies as st

from audit.contacts import classify
from audit.contacts.classify import Category, Classifier, Judgement, plain_address

_ATEXT = string.ascii_letters + string.digits + "!#$%&'*+/=?^_`{|}~-"
_HOST = string.ascii_letters + string.digits + "-"

# Addresses on the edge of what the pattern accepts, each beside what email-validator says.
TRICKY = [
    "a..b@x.fr", ".a@x.fr", "a.@x.fr", "a@x..fr", "a@.fr", "@x.fr", "a@", "a@x", "n/a", "-",
    "a@-x.fr", "a@x-.fr", "a@x.f", "a@x.123", "a@x.1a", "a@x.a1b", "a@x.fr-", "a@x.fr.",
    "a@localhost", "a@x.local", "a@x.onion", "a@test", "a@x.test", "a@x.invalid", "a@x.arpa",
    "a@home.arpa", "a@localhost.fr", "a@xn--bcher-kva.ch", "a@x.XN--VERMGENSBERATER-CTB",
    "user@xn--80ak6aa92e.com", "a@ab--cd.fr", "a@a--b.fr", "a@xn--a.fr",
    "x" * 64 + "@x.fr", "x" * 65 + "@x.fr", "a@" + "b" * 63 + ".fr", "a@" + "b" * 64 + ".fr",
    "a@" + ("b" * 62 + ".") * 4 + "fr", "a@" + ("b" * 60 + ".") * 4 + "fr",
    "a" * 240 + "@bcdefgh.fr", "a" * 241 + "@bcdefgh.fr", "a" * 250 + "@b.fr",
    "A@X.FR", "INFO@X.FR", "Info@Gmail.Com", "Postmaster@x.fr", "a@EXAMPLE.COM",
    "\u212a@x.fr", "a@x.fr\u212a", "e\u0301@x.fr", "é@x.fr", "a@é.fr", "françois@atelier.fr",
    "a b@x.fr", '"a"@x.fr', '"a b"@x.fr', "a@[1.2.3.4]", "a@1.2.3.4", "Jean <a@x.fr>",
    "a@@x.fr", "a@b@x.fr", "a@x_y.fr", "a@x.fr;b@x.fr", "a@x.fr\t", "a\n@x.fr",
    "a+tag@x.fr", "contact+news@x.fr", "service.client@x.fr", "no_reply@x.fr", "a._@x.fr",
    "_@x.fr", "-.-@x.fr", "!#$%&'*+/=?^_`{|}~-@x.fr", "a.b.c.d@sub.x.co.uk", "a@0.fr",
    "a@mailinator.com", "a@sub.mailinator.com", "contact@orange.fr", "a@x.fr\x00",
]  # fmt: skip


def reference(address: str) -> Judgement:
    """What the classifier must answer, from email-validator alone."""
    try:
        result = validate_email(address, check_deliverability=False)
    except EmailNotValidError as exc:
        return Category.INVALID, str(exc), ""
    domain = (result.ascii_domain or result.domain).lower()
    judge = Classifier()
    return judge._valid(
        result.local_part, domain, judge._kind_of_valid(domain), result.normalized.lower()
    )


def _agrees_with_email_validator(address: str) -> None:
    accepted = plain_address(address)
    if accepted is not None:
        result = validate_email(address, check_deliverability=False)
        assert result.normalized.lower() == address.lower()
        assert (result.local_part.lower(), result.ascii_domain) == accepted
    assert Classifier().judge(address) == reference(address)


def test_the_pattern_takes_the_common_case() -> None:
    for address in ("Jean.Dupont@Entreprise-12.fr", "contact@x.co.uk", "a+b@gmail.com"):
        assert plain_address(address) is not None


@pytest.mark.parametrize("address", TRICKY)
def test_tricky_addresses_are_judged_as_email_validator_judges_them(address: str) -> None:
    _agrees_with_email_validator(address)


_LABEL = st.text(alphabet=_HOST, min_size=0, max_size=66)
_PLAIN_LABEL = st.text(alphabet="abcxyz019-", min_size=1, max_size=12)
_TLD = st.sampled_from(
    ["fr", "com", "FR", "c", "a1", "123", "xn--p1ai", "local", "onion", "test", "invalid",
     "arpa", "localhost", "Test", "co.uk", "", "fr."]
)  # fmt: skip


@settings(max_examples=1500, deadline=None)
@given(
    local=st.text(alphabet=_ATEXT + "..", min_size=0, max_size=70)
    | st.text(alphabet=_ATEXT + '. "@<>\\()[],;:éß\u212a\t', min_size=0, max_size=20),
    labels=st.lists(_PLAIN_LABEL, min_size=0, max_size=4) | st.lists(_LABEL, max_size=5),
    tld=_TLD,
)
@example(local="a" * 64, labels=["b" * 63] * 2, tld="fr")
@example(local="a" * 120, labels=["b" * 63] * 2, tld="fr")
def test_any_address_is_judged_as_email_validator_judges_it(
    local: str, labels: list[str], tld: str
) -> None:
    _agrees_with_email_validator(f"{local}@{'.'.join([*labels, tld])}")


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=40))
@example(text="aurelie.robin.gmail.com")
@example(text="Jean <jean.acme.fr>")
@example(text='"jean" acme.fr')
@example(text="jean\uff20acme.fr")
@example(text="jean\ufe6bacme.fr")
@example(text="x" * 300)
def test_any_text_is_judged_as_email_validator_judges_it(text: str) -> None:
    _agrees_with_email_validator(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_characters='@\uff20\ufe6b"<'), max_size=300))
def test_text_without_an_at_sign_gets_email_validators_reason(text: str) -> None:
    assert Classifier().judge(text) == reference(text)
    assert reference(text)[1] == classify.NO_AT_SIGN_REASON


_LOCALS = ["jean dupont", "jean", "a..b", "Zoé", "e\u0301", '"a b"', "Jean <j", "", "a\u0338"]
_DOMAINS = ["acme.fr", "x", "b\u0301.fr", "gmail.com", "a@b.fr", "x.local", "ACME.FR", ""]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.builds("{}@{}".format, st.sampled_from(_LOCALS), st.sampled_from(_DOMAINS))
        | st.text(alphabet='ab @."<é', max_size=8),
        max_size=30,
    )
)
def test_what_one_classifier_remembers_never_changes_a_verdict(addresses: list[str]) -> None:
    judge = Classifier().judge  # one classifier, its caches filled as the list goes
    assert [judge(address) for address in addresses] == [reference(a) for a in addresses]


def test_limits_and_reserved_names_are_email_validators_own() -> None:
    assert classify.EMAIL_MAX_LENGTH == rfc.EMAIL_MAX_LENGTH
    assert classify.DOMAIN_MAX_LENGTH == rfc.DOMAIN_MAX_LENGTH
    assert list(classify.SPECIAL_USE_DOMAIN_NAMES) == email_validator.SPECIAL_USE_DOMAIN_NAMES


def test_plain_addresses_never_import_email_validator() -> None:
    code = (
        "import sys\n"
        "from audit.contacts.classify import Classifier\n"
        "judge = Classifier().judge\n"
        "for address in ('jean.dupont@acme.fr', 'Contact@Acme.fr', 'zoe@gmail.com'):\n"
        "    judge(address)\n"
        "assert 'email_validator' not in sys.modules\n"
        "judge('pas une adresse')  # no at-sign: the reason is known without the library\n"
        "assert 'email_validator' not in sys.modules\n"
        "judge('jean dupont@acme.fr')\n"
        "assert 'email_validator' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
