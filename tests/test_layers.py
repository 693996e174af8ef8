"""The layers of the code as a contract (import-linter, [tool.importlinter] in pyproject.toml):
atlas_pages imports only downward (rules < models < publication < site | editorial | outbound <
demo < hooks, commands, app config, template tags), the API reads the publication layer, cms is
on top. Imports inside functions and under TYPE_CHECKING count, so a loop cannot hide."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
PACKAGES = ("atlas_pages", "graphql_api", "cms")


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), str(tree / "pyproject.toml"), "--no-cache", "--no-logo"],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def tree_copy(tmp_path: Path) -> Path:
    """The packages and the contract, copied: a deliberate breach must not touch the project."""
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_layers_are_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 4 kept, 0 broken." in result.stdout


@pytest.mark.parametrize(
    ("module", "upward_import", "contract", "breach"),
    [
        # A rule that reads a model: the lowest layer reaching up.
        (
            "atlas_pages/rules/text.py",
            "from atlas_pages import models",
            "atlas_pages imports only downward",
            "atlas_pages.rules.text -> atlas_pages.models",
        ),
        # A lazy import inside a function counts: the loop it would hide is a loop.
        (
            "atlas_pages/models/platforms.py",
            "def _later() -> None:\n    from atlas_pages.publication import generation",
            "atlas_pages imports only downward",
            "atlas_pages.models.platforms -> atlas_pages.publication.generation",
        ),
        # The API reaching into the admin.
        (
            "graphql_api/types.py",
            "from atlas_pages.editorial import rights",
            "never the admin or the site",
            "graphql_api.types -> atlas_pages.editorial.rights",
        ),
    ],
)
def test_an_upward_import_breaks_the_contract(tree_copy, module, upward_import, contract, breach):
    path = tree_copy / module
    path.write_text(path.read_text() + f"\n\n{upward_import}  # noqa\n")
    result = lint_imports(tree_copy)
    assert result.returncode == 1, result.stdout
    assert f"{contract} BROKEN" in " ".join(result.stdout.split())
    assert breach in result.stdout
