"""`policyengine lint` on policyengine's own environment and scenario files: every policy, as the type its
place gives it; policy files it names linted in their own file; managed policies once."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from policyengine.lint import lint_paths
from policyengine.lint.inputs import UnreadableInputError, read_targets

A = "111122223333"
ROLE = f"arn:aws:iam::{A}:role/app"
FN = f"arn:aws:lambda:us-east-1:{A}:function:f"
BOUNDARY = f"arn:aws:iam::{A}:policy/Boundary"
READ = f"arn:aws:iam::{A}:policy/Read"


def policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


GET = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}
TRUST = {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
INVOKE = {"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "lambda:InvokeFunction",
          "Resource": FN}


def environment() -> dict[str, Any]:
    return {
        "managed_policies": {BOUNDARY: policy({**GET, "Action": "s3:*"}), READ: "policies/read.json"},
        "users": [{"arn": f"arn:aws:iam::{A}:user/alice", "policies": [policy(GET), READ],
                   "permissions_boundary": BOUNDARY}],
        "groups": [{"arn": f"arn:aws:iam::{A}:group/devs", "policies": ["policies/read.json"]}],
        "roles": [{"arn": ROLE, "trust_policy": policy(TRUST), "policies": ["policies/write.json"]}],
        "functions": [{"arn": FN, "role": ROLE, "resource_policy": policy(INVOKE)}],
        "resources": [{"arn": "arn:aws:s3:::reports", "policy": policy(
            {**GET, "Principal": {"AWS": f"arn:aws:iam::{A}:root"}})}],
        "organization": {"id": "o-a1b2c3d4e5", "accounts": {A: {
            "scps": [[policy({"Effect": "Allow", "Action": "*", "Resource": "*"})]],
            "rcps": [[policy({"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"})]]}}},
    }


@pytest.fixture
def env_file(tmp_path: Path) -> Path:
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "read.json").write_text(json.dumps(policy(GET), indent=2))
    (tmp_path / "policies" / "write.json").write_text(json.dumps(policy({**GET, "Action": "s3:PutObject"}), indent=2))
    file = tmp_path / "env.json"
    file.write_text(json.dumps(environment(), indent=2))
    return file


def test_every_policy_is_read_as_its_place_says(env_file: Path) -> None:
    targets, errors = read_targets([str(env_file)])
    assert errors == []
    got = {(t.label, t.policy_type, t.resource_kind, Path(t.file).name, tuple(t.document_path)) for t in targets}
    assert got == {
        (f"user arn:aws:iam::{A}:user/alice policy 0", "identity", None, "env.json", ("users", 0, "policies", 0)),
        (f"role {ROLE} trust policy", "trust", "iam:role", "env.json", ("roles", 0, "trust_policy")),
        (f"function {FN} policy", "resource", "lambda:function", "env.json", ("functions", 0, "resource_policy")),
        ("arn:aws:s3:::reports policy", "resource", "s3:bucket", "env.json", ("resources", 0, "policy")),
        (f"account {A} SCP level 0 policy 0", "scp", None, "env.json",
         ("organization", "accounts", A, "scps", 0, 0)),
        (f"account {A} RCP level 0 policy 0", "rcp", None, "env.json",
         ("organization", "accounts", A, "rcps", 0, 0)),
        # a managed policy used only as a boundary is linted as one, once
        (f"managed policy {BOUNDARY}", "boundary", None, "env.json", ("managed_policies", BOUNDARY)),
        # policy files: once each, in their own file, whoever names them
        (f"group arn:aws:iam::{A}:group/devs policy 0 (policies/read.json)", "identity", None, "read.json", ()),
        (f"role {ROLE} policy 0 (policies/write.json)", "identity", None, "write.json", ()),
    }


def test_findings_in_a_policy_file_point_into_that_file(env_file: Path) -> None:
    bad = policy({"Effect": "Allow", "Action": "s3:GetObjct", "Resource": "arn:aws:s3:::reports/*"})
    (env_file.parent / "policies" / "write.json").write_text(json.dumps(bad, indent=2))
    (finding,) = [f for f in lint_paths([env_file]).findings if f.code == "INVALID_ACTION"]
    assert finding.file == str(env_file.parent / "policies" / "write.json") and finding.line == 6


def test_findings_inline_point_into_the_environment_file(env_file: Path) -> None:
    value = environment()
    value["roles"][0]["trust_policy"] = policy({**TRUST, "Action": ["sts:AssumeRole", "s3:GetObject"]})
    env_file.write_text(json.dumps(value, indent=2))
    (finding,) = [f for f in lint_paths([env_file]).findings if f.code == "UNSUPPORTED_ACTION_IN_POLICY"]
    assert finding.file == str(env_file) and finding.path == ("Statement", 0, "Action", 1)
    assert finding.document == ("roles", 0, "trust_policy") and finding.line is not None


def test_a_missing_policy_file_is_an_error_at_its_reference(env_file: Path) -> None:
    value = environment()
    value["roles"][0]["policies"] = ["policies/missing.json"]
    env_file.write_text(json.dumps(value, indent=2))
    targets, (error,) = read_targets([str(env_file)])
    assert isinstance(error, UnreadableInputError) and error.file == str(env_file)
    assert "`policies/missing.json` named at `roles.0.policies.0`" in error.message and error.line is not None


def test_other_shapes_with_these_keys_are_not_environments(tmp_path: Path) -> None:
    file = tmp_path / "other.json"
    file.write_text(json.dumps({"users": [{"name": "alice"}], "version": 2}))
    _, (error,) = read_targets([str(file)])
    assert error.code == "NO_POLICY_FOUND"


def scenario(**policies: Any) -> dict[str, Any]:
    request = {"principal": f"arn:aws:iam::{A}:user/alice", "action": "s3:GetObject",
               "resource": "arn:aws:s3:::reports/q1.csv"}
    return {"name": "s", "request": request, **policies}


@pytest.mark.parametrize("policies,resource,expected", [
    ({"identity_policies": [policy(GET)], "session_policies": [policy(GET)]}, None,
     {(("identity_policies", 0), "identity", None), (("session_policies", 0), "identity", None)}),
    ({"resource_policy": policy({**GET, "Principal": "*"})}, None,
     {(("resource_policy",), "resource", "s3:bucket")}),
    ({"resource_policy": policy(TRUST)}, ROLE, {(("resource_policy",), "trust", "iam:role")}),
    ({"permissions_boundary": policy(GET), "scps": [[policy(GET)]],
      "rcps": [[policy({"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"})]]}, None,
     {(("permissions_boundary",), "boundary", None), (("scps", 0, 0), "scp", None), (("rcps", 0, 0), "rcp", None)}),
])
def test_scenario_policies_are_read_as_their_place_says(tmp_path: Path, policies: dict[str, Any],
                                                        resource: str | None, expected: set[Any]) -> None:
    value = scenario(**policies)
    if resource is not None:
        value["request"]["resource"] = resource
    file = tmp_path / "scenario.json"
    file.write_text(json.dumps(value, indent=2))
    targets, errors = read_targets([str(file)])
    assert errors == []
    assert {(tuple(t.document_path), t.policy_type, t.resource_kind) for t in targets} == expected


def test_the_bundled_scenarios_lint(tmp_path: Path) -> None:
    """Every example scenario (and the policy files they name) reads without an input error."""
    examples = Path(__file__).resolve().parents[1] / "examples"
    result = lint_paths(sorted(str(p) for p in examples.glob("*.json")))
    assert result.errors == [] and result.documents >= 20
    assert not [f for f in result.findings if f.severity.value == "ERROR"]
