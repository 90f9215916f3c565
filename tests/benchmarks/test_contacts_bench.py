"""Benchmark: a 1,000,000-row contact list, against reading it with the `csv` module alone.

Prints the time ratio (target: under 10x) and the peak memory of the analysis, measured
in a fresh subprocess (target: under 200 MB). Figures are printed, not asserted: a slow
or busy machine must not fail the suite. Run with `make bench`.
"""

from __future__ import annotations

import csv
import json
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROWS = 1_000_000
HEADER = ["Société", "Nom", "Prénom", "Adresse e-mail", "Consentement", "Dernière activité"]
ENCODING = "cp1252"  # French Excel's "CSV (séparateur : point-virgule)"

FIRST = ["jean", "marie", "pierre", "zoe", "luc", "anne", "paul", "sophie", "elodie", "remi"]
LAST = ["dupont", "martin", "durand", "leroy", "moreau", "simon", "laurent", "michel", "garcia"]
ROLES = ["contact", "info", "accueil", "commercial", "sales", "compta", "service.client"]
WEBMAIL = ["gmail.com", "orange.fr", "free.fr", "hotmail.fr", "yahoo.fr", "sfr.fr", "laposte.net"]


def _write_list(path: Path) -> None:
    """A realistic export: a third generic, a fifth webmail, some invalid, duplicated and
    accented addresses, a consent column and last-activity dates in French format."""
    rng = random.Random(20261123)
    companies = [f"entreprise-{i}.fr" for i in range(40_000)]
    with path.open("w", encoding=ENCODING, newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(HEADER)
        previous = "contact@entreprise-0.fr"
        for i in range(ROWS):
            first, last, company = rng.choice(FIRST), rng.choice(LAST), rng.choice(companies)
            draw = rng.random()
            if draw < 0.33:
                email = f"{rng.choice(ROLES)}@{company}"
            elif draw < 0.53:
                email = f"{first}.{last}{rng.randrange(10_000)}@{rng.choice(WEBMAIL)}"
            elif draw < 0.56:
                email = rng.choice(["", "n/a", f"{first}.{last}@", f"{first} {last}@{company}"])
            elif draw < 0.63:
                email = previous.upper()
            elif draw < 0.64:
                email = f"{first}.lefèvre@{company}"
            else:
                email = f"{first}.{last}{i}@{company}"
            previous = email or previous
            day = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(2016, 2026)}"
            consent = rng.choice(["oui", "non", ""])
            writer.writerow(
                [f"Société {company}", last.title(), first.title(), email, consent, day]
            )


# The peak is read from VmHWM: ru_maxrss would also count the parent's memory at fork time.
_CHILD = """
import json, resource, sys, time
from pathlib import Path
from audit.contacts.analysis import analyse_file
start = time.perf_counter()
result = analyse_file(sys.argv[1]).to_dict()
seconds = time.perf_counter() - start
status = Path("/proc/self/status")
hwm = [line for line in status.read_text().splitlines() if line.startswith("VmHWM")]
if hwm:
    peak = int(hwm[0].split()[1]) / 1024
else:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak, "rows": result["rows"],
                  "unique_valid": result["unique_valid"], "malformed": result["malformed_count"]}))
"""


def _analyse_in_child(path: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True, check=True
    )
    figures: dict[str, float] = json.loads(done.stdout)
    return figures


@pytest.mark.benchmark
def test_a_million_rows_in_bounded_memory_near_csv_speed(tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    _write_list(path)
    size_mb = path.stat().st_size / 1e6

    start = time.perf_counter()
    with path.open(encoding=ENCODING, newline="") as handle:
        rows = sum(1 for _ in csv.reader(handle, delimiter=";")) - 1
    baseline = time.perf_counter() - start

    small = tmp_path / "small.csv"
    small.write_bytes(path.read_bytes()[:10_000].rsplit(b"\r\n", 1)[0] + b"\r\n")
    idle = _analyse_in_child(small)  # the interpreter, the package and its domain lists
    measured = _analyse_in_child(path)

    ratio = measured["seconds"] / baseline
    print()
    print(f"contact list: {rows:,} rows, {size_mb:.0f} MB ({ENCODING}, semicolons)")
    print(f"csv module alone: {baseline:.2f} s")
    print(f"analyse_file:     {measured['seconds']:.2f} s  -> ratio {ratio:.1f}x (target < 10x)")
    print(
        f"peak memory:      {measured['peak_mb']:.0f} MB (target < 200 MB); "
        f"{idle['peak_mb']:.0f} MB for a 10 kB list"
    )
    assert rows == ROWS
    assert measured["rows"] == ROWS
    assert measured["malformed"] == 0
