"""Contact-list analysis: counts, shares, freshness and readings, in one streaming pass.

Memory stays bounded whatever the length of the list: the pass keeps counters, the
hash of each distinct valid address (for duplicates), a capped tally of domains, a
tally of activity dates by day, and a few sample rows per category.

Counts add up: `rows == valid + invalid + no_address + malformed_count`,
`valid == unique_valid + duplicates` and
`unique_valid == generic + webmail + disposable + named`.
Shares are fractions 0-1. The category shares are over unique valid addresses;
`invalid_share` is over the rows that hold an address, `duplicate_share` over valid
addresses; `consent_share` and `stale_share` over the unique valid addresses whose
consent (or last-activity date) is known, and null without such a column.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from audit.contacts.classify import Category, Classifier
from audit.contacts.columns import consent_value, parse_date
from audit.contacts.reader import DELIMITER_NAMES, ContactList, open_contact_list
from audit.contacts.readings import read_metrics, threshold
from audit.errors import Location, UsageError

AUDIENCES = ("b2b", "b2c")
SAMPLES_PER_CATEGORY = 3
MALFORMED_LISTED = 50
SAMPLE_LENGTH = 120
TOP_DOMAINS = 10
DOMAIN_TALLY_SIZE = 20_000
VALUE_CACHE_SIZE = 50_000
DAYS_PER_MONTH = 365.2425 / 12

_MISSING: Any = object()
SAMPLE_KINDS = ("invalid", "duplicate", "generic", "webmail", "disposable", "named")


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    for candidate in (day.day, 28):
        try:
            return date(year, month + 1, candidate)
        except ValueError:
            continue
    return date(year, month + 1, 1)


@dataclass
class _Tally:
    """The running counts of one pass."""

    rows: int = 0
    no_address: int = 0
    invalid: int = 0
    duplicates: int = 0
    categories: dict[Category, int] = field(default_factory=lambda: dict.fromkeys(Category, 0))
    malformed_count: int = 0
    malformed_rows: list[dict[str, Any]] = field(default_factory=list)
    samples: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {kind: [] for kind in SAMPLE_KINDS}
    )
    domains: dict[str, int] = field(default_factory=dict)
    domains_exact: bool = True
    consent_known: int = 0
    consent_yes: int = 0
    ages: dict[int, int] = field(default_factory=dict)
    stale: int = 0


@dataclass
class ContactAnalysis:
    """The result of analysing one contact list; `to_dict()` is its JSON form."""

    source: dict[str, Any]
    layout: dict[str, Any]
    email_column: str
    consent_column: str | None
    activity_column: str | None
    tally: _Tally
    audience: str | None
    audience_inferred: bool
    stale_months: int
    recoded_rows: int
    observations: list[dict[str, Any]] = field(default_factory=list)

    @property
    def valid(self) -> int:
        """Rows with a syntactically valid address, duplicates included."""
        return self.unique_valid + self.tally.duplicates

    @property
    def unique_valid(self) -> int:
        """Distinct valid addresses (ignoring case): the base of the category shares."""
        return sum(self.tally.categories[c] for c in Category if c is not Category.INVALID)

    def metrics(self) -> dict[str, Any]:
        """Shares and counts the readings and the facts are computed from."""
        t, unique = self.tally, self.unique_valid
        dated = sum(t.ages.values())
        median = _median_age(t.ages)
        return {
            "audience": self.audience,
            "audience_inferred": self.audience_inferred,
            "rows": t.rows,
            "unique_valid": unique,
            "generic_share": _ratio(t.categories[Category.GENERIC], unique),
            "webmail_share": _ratio(t.categories[Category.WEBMAIL], unique),
            "named_share": _ratio(t.categories[Category.NAMED], unique),
            "disposable_share": _ratio(t.categories[Category.DISPOSABLE], unique),
            "invalid_share": _ratio(t.invalid, self.valid + t.invalid),
            "duplicate_share": _ratio(t.duplicates, self.valid),
            "consent_share": _ratio(t.consent_yes, t.consent_known),
            "stale_share": _ratio(t.stale, dated),
            "median_age_months": None if median is None else round(median / DAYS_PER_MONTH, 1),
        }

    def to_dict(self) -> dict[str, Any]:
        """The analysis as plain JSON-ready data (what `--json` prints and facts store)."""
        t = self.tally
        metrics = self.metrics()
        unique = self.unique_valid
        top = sorted(t.domains.items(), key=lambda item: (-item[1], item[0]))[:TOP_DOMAINS]
        return {
            "source": self.source,
            "layout": self.layout,
            "email_column": self.email_column,
            "consent_column": self.consent_column,
            "activity_column": self.activity_column,
            "audience": self.audience,
            "audience_inferred": self.audience_inferred,
            "rows": t.rows,
            "valid": self.valid,
            "invalid": t.invalid,
            "duplicates": t.duplicates,
            "unique_valid": unique,
            "generic": t.categories[Category.GENERIC],
            "webmail": t.categories[Category.WEBMAIL],
            "disposable": t.categories[Category.DISPOSABLE],
            "named": t.categories[Category.NAMED],
            "no_address": t.no_address,
            **{name: value for name, value in metrics.items() if name.endswith("_share")},
            "consent_known": t.consent_known if self.consent_column else None,
            "dated": sum(t.ages.values()) if self.activity_column else None,
            "stale_months": self.stale_months,
            "median_age_months": metrics["median_age_months"],
            "malformed_count": t.malformed_count,
            "malformed_rows": t.malformed_rows,
            "recoded_rows": self.recoded_rows,
            "top_domains": [
                {"domain": domain, "count": count, "share": _ratio(count, unique)}
                for domain, count in top
            ],
            "top_domains_exact": t.domains_exact,
            "samples": t.samples,
            "observations": self.observations,
        }


def _median_age(ages: Mapping[int, int]) -> float | None:
    """The median of a tally of ages (age -> how many), or None when it is empty."""
    total = sum(ages.values())
    if not total:
        return None
    wanted = ((total - 1) // 2, total // 2)
    found: list[int] = []
    seen = 0
    for age, count in sorted(ages.items()):
        while len(found) < 2 and wanted[len(found)] < seen + count:
            found.append(age)
        seen += count
    return (found[0] + found[1]) / 2


def _prune(domains: dict[str, int]) -> None:
    """Keep the busier half of the domain tally (the top domains survive)."""
    import statistics  # only for lists with very many domains (statistics: fractions, ...)

    floor = statistics.median_low(domains.values())
    for domain in [d for d, count in domains.items() if count <= floor]:
        del domains[domain]


def _cacheable(value: Any) -> bool:
    """Whether a cell value is short enough to be remembered (bounded memory)."""
    return not isinstance(value, str) or len(value) <= 64


def _sample(t: _Tally, kind: str, row: int, address: str, reason: str = "") -> None:
    bucket = t.samples[kind]
    if len(bucket) < SAMPLES_PER_CATEGORY:
        if len(address) > SAMPLE_LENGTH:
            address = address[:SAMPLE_LENGTH] + "…"
        entry: dict[str, Any] = {"row": row, "email": address}
        if reason:
            entry["reason"] = reason
        bucket.append(entry)


def _scan(contacts: ContactList, today: date, stale_before: date) -> _Tally:
    """One pass over the rows: the heart of the analysis, kept tight for long lists.

    Counters are local variables (written back at the end) and consent values and dates
    are interpreted once per distinct cell value: this loop runs once per contact, so
    what can be worked out afterwards is (staleness from the ages, consent counts from
    a tally by verdict) and rare events (samples, pruning) are tested by cheap counters.
    `stale_before` is not after `today`: a date is stale when its age exceeds theirs.
    """
    t = _Tally()
    judge = Classifier().judge
    invalid_category = Category.INVALID
    seen: set[int] = set()
    seen_add = seen.add
    categories, domains = t.categories, t.domains
    domains_get = domains.get
    email_i = contacts.email.index
    consent_i = contacts.consent.index if contacts.consent else -1
    activity_i = contacts.activity.index if contacts.activity else -1
    # Consent verdicts as indexes of `consent_tally`: refused or empty, given, unreadable.
    consents: dict[Any, int] = {}
    consents_get = consents.get
    consent_tally = [0, 0, 0]
    # Ages in days by date cell value; -1 for a cell that holds no date.
    dates: dict[Any, int] = {}
    dates_get = dates.get
    ages: dict[int, int] = {}
    ages_get = ages.get
    no_address = invalid = duplicates = 0
    for number, cells, problem in contacts.rows():
        if problem is not None:
            t.malformed_count += 1
            if len(t.malformed_rows) < MALFORMED_LISTED:
                t.malformed_rows.append({"row": number, "reason": problem})
            continue
        cell = cells[email_i]
        address = cell.strip() if type(cell) is str else ("" if cell is None else str(cell).strip())
        if not address:
            if any(c is not None and str(c).strip() for c in cells):
                no_address += 1
            continue
        category, key, domain = judge(address)
        if category is invalid_category:
            invalid += 1
            if invalid <= SAMPLES_PER_CATEGORY:
                _sample(t, "invalid", number, address, key)
            continue
        hashed = hash(key)
        if hashed in seen:
            duplicates += 1
            if duplicates <= SAMPLES_PER_CATEGORY:
                _sample(t, "duplicate", number, address)
            continue
        seen_add(hashed)
        count = categories[category] + 1
        categories[category] = count
        if count <= SAMPLES_PER_CATEGORY:
            _sample(t, category, number, address)
        tallied = domains_get(domain)
        if tallied is not None:
            domains[domain] = tallied + 1
        else:
            domains[domain] = 1
            if len(domains) > DOMAIN_TALLY_SIZE:
                _prune(domains)
                t.domains_exact = False
        if consent_i >= 0:
            value = cells[consent_i]
            verdict = consents_get(value)
            if verdict is None:
                agreed = consent_value(value)
                verdict = 2 if agreed is None else int(agreed)
                if len(consents) < VALUE_CACHE_SIZE and _cacheable(value):
                    consents[value] = verdict
            consent_tally[verdict] += 1
        if activity_i >= 0:
            value = cells[activity_i]
            age = dates_get(value)
            if age is None:
                day = parse_date(value, today)
                age = -1 if day is None else max((today - day).days, 0)
                if len(dates) < VALUE_CACHE_SIZE and _cacheable(value):
                    dates[value] = age
            ages[age] = ages_get(age, 0) + 1
    ages.pop(-1, None)
    stale_age = (today - stale_before).days
    t.ages = ages
    t.stale = sum(count for age, count in ages.items() if age > stale_age)
    t.no_address, t.invalid, t.duplicates = no_address, invalid, duplicates
    t.consent_known, t.consent_yes = consent_tally[0] + consent_tally[1], consent_tally[1]
    valid = duplicates + sum(categories.values())
    t.rows = valid + invalid + no_address + t.malformed_count
    return t


def analyse_file(
    path: Path | str,
    column: str | None = None,
    audience: str | None = None,
    *,
    today: date | None = None,
) -> ContactAnalysis:
    """Analyse a contact-list export (CSV or .xlsx) in one streaming pass.

    `column` names the e-mail column (header, 1-based number or letter) instead of
    detecting it; `audience` is "b2b" or "b2c" (inferred from the share of webmail when
    None); `today` is the date ages are measured from. Raises ContactsError when the
    file cannot be read as a contact list, UsageError for an unknown audience.
    """
    if audience is not None and audience not in AUDIENCES:
        raise UsageError(
            f"unknown audience '{audience}'", Location(field="audience"), expected="b2b or b2c"
        )
    path = Path(path)
    today = today or date.today()
    stale_months = round(threshold("stale_months"))
    with open_contact_list(path, column, today) as contacts:
        tally = _scan(contacts, today, _months_before(today, stale_months))
        recoded = contacts.recoded_rows
        layout = {
            "format": contacts.format,
            "encoding": contacts.encoding,
            "delimiter": DELIMITER_NAMES.get(contacts.delimiter or "", None),
            "header": contacts.header is not None,
        }
        columns = (contacts.email, contacts.consent, contacts.activity)
    stat = path.stat()
    source = {
        "file": path.name,
        "path": str(path.resolve()),
        "size": stat.st_size,
        "modified": datetime.fromtimestamp(stat.st_mtime, UTC).replace(microsecond=0).isoformat(),
        "analysed": _now(),
    }
    analysis = ContactAnalysis(
        source=source,
        layout=layout,
        email_column=columns[0].name,
        consent_column=columns[1].name if columns[1] else None,
        activity_column=columns[2].name if columns[2] else None,
        tally=tally,
        audience=audience,
        audience_inferred=audience is None,
        stale_months=stale_months,
        recoded_rows=recoded,
    )
    if audience is None and analysis.unique_valid:
        webmail = analysis.metrics()["webmail_share"] or 0.0
        analysis.audience = "b2c" if webmail >= threshold("b2c_webmail_share") else "b2b"
    analysis.observations = read_metrics(analysis.metrics())
    return analysis
