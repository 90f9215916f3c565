"""The wheel carries the packs, the report templates and the UI texts, and works installed.

Builds the wheel without network (no build isolation: hatchling is in the dev venv),
installs it with `--no-deps` into a fresh venv that borrows the dev venv's third-party
packages through a .pth file, then runs `audit` from a folder outside the checkout.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    built = _run(
        sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", out, ROOT, cwd=ROOT
    )
    assert built.returncode == 0, built.stdout + built.stderr
    (path,) = out.glob("audit-*.whl")
    return path


def test_the_wheel_holds_packs_templates_and_texts(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped_packs = sorted((ROOT / "questionnaires").glob("*/pack.yaml"))
    assert shipped_packs, "no pack shipped in questionnaires/"
    for pack in shipped_packs:
        relative = pack.relative_to(ROOT / "questionnaires").as_posix()
        assert f"audit/_data/questionnaires/{relative}" in names
    report_files = [p for p in (ROOT / "reports").rglob("*") if p.is_file()]
    assert report_files, "nothing in reports/"
    for path in report_files:
        assert f"audit/_data/reports/{path.relative_to(ROOT / 'reports').as_posix()}" in names
    assert "audit/ui/texts.yaml" in names
    assert not any(name.startswith(("tests/", "audit/_data/tests")) for name in names)


def test_the_installed_wheel_validates_its_packs_from_elsewhere(
    wheel: Path, tmp_path: Path
) -> None:
    venv = tmp_path / "venv"
    created = _run(sys.executable, "-m", "venv", "--without-pip", venv)
    assert created.returncode == 0, created.stderr
    python = venv / "bin" / "python"
    installed = _run(
        sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--quiet", wheel
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    # Third-party packages come from the dev venv; `audit` itself only from the wheel (a .pth
    # line adds a folder to sys.path, it does not run the dev venv's own editable-install hook).
    site = _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
    dev_site = sysconfig.get_paths()["purelib"]
    (Path(site.stdout.strip()) / "dev-deps.pth").write_text(dev_site + "\n", encoding="utf-8")

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = _run(python, "-c", "import audit; print(audit.__file__)", cwd=elsewhere)
    assert str(venv) in where.stdout, where.stdout + where.stderr

    validated = _run(venv / "bin" / "audit", "validate", "--json", cwd=elsewhere)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert '"engagement"' in validated.stdout
    assert str(venv) in validated.stdout  # the packs inside the installed wheel
    assert str(ROOT) not in validated.stdout

    example = next(
        (
            p
            for p in sorted((ROOT / "questionnaires").glob("*/examples/*.yaml"))
            if not p.name.endswith(".mapping.yaml")  # a form export's mapping (audit batch)
        ),
        None,
    )
    if example is not None:
        checked = _run(
            venv / "bin" / "audit", "run", "--answers", example, "--non-interactive", cwd=elsewhere
        )
        assert checked.returncode == 0, checked.stdout + checked.stderr
