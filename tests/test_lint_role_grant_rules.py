"""The `iam:PassRole` / `iam:CreateServiceLinkedRole` grant rules (checks/actions/role_grants.py),
the split of the action rules into a package, and the retired Access Analyzer SCP codes.

Each case is a policy, then the (code, path) of every finding of the two families: a
statement gets exactly one code, the one for how it reaches the action (`Action` naming it,
an `Action` wildcard, a `NotAction` that does not exclude it) and every role (`Resource`
covering every role, a `NotResource` that does not exclude every role).
"""

from __future__ import annotations

from typing import Any

import pytest

from policyengine.lint import all_rules, lint_policy
from policyengine.lint.checks import actions
from policyengine.lint.docs import access_analyzer_codes, coverage, generate

FAMILY = ("PASS_ROLE_", "CREATE_SLR_")
ADMIN = "arn:aws:iam::111122223333:role/admin"
ALL_ROLES = "arn:aws:iam::111122223333:role/*"
ALL_SLRS = "arn:aws:iam::*:role/aws-service-role/*"
BUCKET = "arn:aws:s3:::reports/*"
PASSED = {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}
SERVICE = {"StringEquals": {"iam:AWSServiceName": "rds.amazonaws.com"}}


def found(policy: dict[str, Any], policy_type: str = "identity") -> list[tuple[str, tuple[Any, ...]]]:
    return sorted((f.code, f.path) for f in lint_policy(policy, policy_type).findings if f.code.startswith(FAMILY))


def doc(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def allow(**element: Any) -> dict[str, Any]:
    return {"Effect": "Allow", **element}


def at(index: int, *rest: Any) -> tuple[Any, ...]:
    return ("Statement", index, *rest)


CASES: list[tuple[str, dict[str, Any], list[tuple[str, tuple[Any, ...]]]]] = [
    # -- PassRole through NotResource
    ("named PassRole with NotResource", doc(allow(Action="iam:PassRole", NotResource=ADMIN)),
     [("PASS_ROLE_WITH_NOT_RESOURCE", at(0, "Action"))]),
    ("named PassRole in a list, NotResource of another service",
     doc(allow(Action=["s3:GetObject", "iam:passrole"], NotResource=[BUCKET])),
     [("PASS_ROLE_WITH_NOT_RESOURCE", at(0, "Action", 1))]),
    ("NotResource that excludes every role of the account", doc(allow(Action="iam:PassRole", NotResource=ALL_ROLES)), []),
    ("NotResource `*` grants nothing", doc(allow(Action="iam:PassRole", NotResource="*")), []),
    ("NotResource excluding every role by wildcard", doc(allow(Action="iam:PassRole", NotResource="arn:aws:iam::*:role*")), []),
    ("wildcard action with NotResource", doc(allow(Action="iam:Pass*", NotResource=ADMIN)),
     [("PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE", at(0, "Action"))]),
    ("named beats wildcard in the same list", doc(allow(Action=["iam:*", "iam:PassRole"], NotResource=ADMIN)),
     [("PASS_ROLE_WITH_NOT_RESOURCE", at(0, "Action", 1)),
      ("CREATE_SLR_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE", at(0, "Action", 0))]),
    ("`*` with NotResource: PassRole and CreateServiceLinkedRole", doc(allow(Action="*", NotResource=BUCKET)),
     [("CREATE_SLR_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE", at(0, "Action")),
      ("PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE", at(0, "Action"))]),
    ("PassedToService scopes a NotResource grant",
     doc(allow(Action="iam:PassRole", NotResource=ADMIN, Condition=PASSED)), []),
    # -- PassRole through NotAction
    ("NotAction on every resource", doc(allow(NotAction=["s3:*", "ec2:*"], Resource="*")),
     [("CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION", at(0, "NotAction")),
      ("PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION", at(0, "NotAction"))]),
    ("NotAction on every role ARN (service-linked roles among them)", doc(allow(NotAction="s3:*", Resource=ALL_ROLES)),
     [("PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION", at(0, "NotAction")),
      ("CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION", at(0, "NotAction"))]),
    ("NotAction on ordinary roles only", doc(allow(NotAction="s3:*", Resource="arn:aws:iam::111122223333:role/app/*")), []),
    ("NotAction excluding iam:* (PowerUserAccess)", doc(allow(NotAction=["iam:*", "organizations:*"], Resource="*")), []),
    ("NotAction excluding PassRole only", doc(allow(NotAction="iam:PassRole", Resource="*")),
     [("CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION", at(0, "NotAction"))]),
    ("NotAction excluding PassRole by wildcard, any case", doc(allow(NotAction="IAM:pass*", Resource="*")),
     [("CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION", at(0, "NotAction"))]),
    ("NotAction on named resources only", doc(allow(NotAction="s3:*", Resource="arn:aws:iam::111122223333:role/app-*")), []),
    ("NotAction and NotResource", doc(allow(NotAction="s3:*", NotResource=BUCKET)),
     [("CREATE_SLR_WITH_NOT_ACTION_AND_NOT_RESOURCE", at(0, "NotAction")),
      ("PASS_ROLE_WITH_NOT_ACTION_AND_NOT_RESOURCE", at(0, "NotAction"))]),
    ("NotAction and a NotResource excluding every role", doc(allow(NotAction="s3:*", NotResource=[BUCKET, ALL_ROLES])), []),
    ("NotAction and a NotResource excluding service-linked roles only",
     doc(allow(NotAction="s3:*", NotResource=[BUCKET, ALL_SLRS])),
     [("PASS_ROLE_WITH_NOT_ACTION_AND_NOT_RESOURCE", at(0, "NotAction"))]),
    ("PassedToService scopes a NotAction grant", doc(allow(NotAction="s3:*", Resource="*", Condition=PASSED)),
     [("CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION", at(0, "NotAction"))]),
    ("any other condition does not", doc(allow(NotAction="s3:*", Resource="*",
                                               Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})),
     [("CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION", at(0, "NotAction")),
      ("PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION", at(0, "NotAction"))]),
    # -- CreateServiceLinkedRole
    ("named CreateServiceLinkedRole with NotResource",
     doc(allow(Action="iam:CreateServiceLinkedRole", NotResource=BUCKET)),
     [("CREATE_SLR_WITH_NOT_RESOURCE", at(0, "Action"))]),
    ("NotResource excluding every service-linked role",
     doc(allow(Action="iam:CreateServiceLinkedRole", NotResource=ALL_SLRS)), []),
    ("AWSServiceName scopes it", doc(allow(Action="iam:CreateServiceLinkedRole", NotResource=BUCKET, Condition=SERVICE)), []),
    ("wildcard with NotResource", doc(allow(Action="iam:Create*", NotResource=BUCKET)),
     [("CREATE_SLR_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE", at(0, "Action"))]),
    # -- Deny elsewhere in the document
    ("a Deny of PassRole on `*` blocks every form",
     doc(allow(NotAction="s3:*", NotResource=BUCKET), allow(Action="iam:PassRole", NotResource=ADMIN),
         {"Effect": "Deny", "Action": "iam:PassRole", "Resource": "*"}),
     [("CREATE_SLR_WITH_NOT_ACTION_AND_NOT_RESOURCE", at(0, "NotAction"))]),
    ("a Deny on every role ARN blocks it too",
     doc(allow(Action="iam:PassRole", Resource="*"), {"Effect": "Deny", "Action": "iam:Pass*", "Resource": "arn:aws:iam::*:role/*"}),
     []),
    ("a Deny with NotAction that does not exclude it",
     doc(allow(Action="iam:PassRole", NotResource=ADMIN), {"Effect": "Deny", "NotAction": "s3:*", "Resource": "*"}), []),
    ("a Deny with NotAction that excludes it does not",
     doc(allow(Action="iam:PassRole", NotResource=ADMIN), {"Effect": "Deny", "NotAction": "iam:*", "Resource": "*"}),
     [("PASS_ROLE_WITH_NOT_RESOURCE", at(0, "Action"))]),
    ("a conditional Deny does not",
     doc(allow(Action="iam:PassRole", NotResource=ADMIN),
         {"Effect": "Deny", "Action": "iam:PassRole", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}),
     [("PASS_ROLE_WITH_NOT_RESOURCE", at(0, "Action"))]),
    ("a Deny on some roles does not",
     doc(allow(Action="iam:PassRole", Resource="*"), {"Effect": "Deny", "Action": "iam:PassRole", "Resource": ADMIN}),
     [("PASS_ROLE_WITH_STAR_IN_RESOURCE", at(0, "Action"))]),
    # -- one code per statement, several statements
    ("each statement its own code",
     doc(allow(Action="iam:PassRole", Resource="*"), allow(Action="iam:*", Resource="*"),
         allow(NotAction="s3:*", Resource="*"), allow(Action="iam:PassRole", NotResource=ADMIN)),
     [("CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE", at(1, "Action")),
      ("CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION", at(2, "NotAction")),
      ("PASS_ROLE_WITH_NOT_RESOURCE", at(3, "Action")),
      ("PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE", at(1, "Action")),
      ("PASS_ROLE_WITH_STAR_IN_RESOURCE", at(0, "Action")),
      ("PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION", at(2, "NotAction"))]),
    ("a Deny statement grants nothing", doc({"Effect": "Deny", "NotAction": "s3:*", "NotResource": BUCKET}), []),
    ("an empty Action list grants nothing", doc(allow(Action=[], NotResource=BUCKET)), []),
]


@pytest.mark.parametrize(("name", "policy", "expected"), CASES, ids=[c[0] for c in CASES])
def test_cases(name: str, policy: dict[str, Any], expected: list[tuple[str, tuple[Any, ...]]]) -> None:
    assert found(policy) == sorted(expected)


@pytest.mark.parametrize("policy_type", ["scp", "rcp", "boundary"])
def test_policy_types_that_grant_nothing(policy_type: str) -> None:
    assert found(doc(allow(NotAction="s3:*", NotResource=BUCKET)), policy_type) == []


def test_resource_policy_is_read() -> None:
    policy = doc(allow(Principal={"AWS": "arn:aws:iam::111122223333:root"}, Action="iam:PassRole", NotResource=ADMIN))
    assert found(policy, "resource") == [("PASS_ROLE_WITH_NOT_RESOURCE", at(0, "Action"))]


def test_messages_name_what_is_wrong_and_the_fix() -> None:
    [finding] = [f for f in lint_policy(doc(allow(Action="iam:PassRole", NotResource=ADMIN)), "identity").findings
                 if f.code == "PASS_ROLE_WITH_NOT_RESOURCE"]
    assert f"`{ADMIN}`" in finding.message and "iam:PassedToService" in finding.message
    [finding] = [f for f in lint_policy(doc(allow(NotAction=["s3:*", "ec2:*", "sqs:*", "sns:*"], Resource="*")),
                                        "identity").findings
                 if f.code == "PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION"]
    assert "`s3:*`, `ec2:*`, `sqs:*` and 1 more" in finding.message and "`*`" in finding.message


def test_action_rules_package_keeps_the_order() -> None:
    codes = [rule.code for rule in actions.RULES]
    assert codes == [
        "INVALID_ACTION_FORMAT", "VARIABLE_IN_ACTION", "INVALID_SERVICE_IN_ACTION", "INVALID_ACTION",
        "WILDCARD_IN_SERVICE_NAME",
        "PASS_ROLE_WITH_STAR_IN_RESOURCE", "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE",
        "PASS_ROLE_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION", "PASS_ROLE_WITH_NOT_RESOURCE",
        "PASS_ROLE_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE", "PASS_ROLE_WITH_NOT_ACTION_AND_NOT_RESOURCE",
        "CREATE_SLR_WITH_STAR_IN_RESOURCE", "CREATE_SLR_WITH_STAR_IN_ACTION_AND_RESOURCE",
        "CREATE_SLR_WITH_STAR_IN_RESOURCE_AND_NOT_ACTION", "CREATE_SLR_WITH_NOT_RESOURCE",
        "CREATE_SLR_WITH_STAR_IN_ACTION_AND_NOT_RESOURCE", "CREATE_SLR_WITH_NOT_ACTION_AND_NOT_RESOURCE",
        "FULL_ADMIN_ACCESS", "SERVICE_WILDCARD", "RESOURCE_STAR_FOR_SCOPABLE_ACTIONS", "REDUNDANT_ACTION",
    ]
    everything = [rule.code for rule in all_rules()]
    start = everything.index(codes[0])
    assert everything[start:start + len(codes)] == codes


RETIRED = ("SCP_SYNTAX_ERROR_ACTION_WILDCARD", "SCP_SYNTAX_ERROR_ALLOW_CONDITION", "SCP_SYNTAX_ERROR_ALLOW_NOTACTION",
           "SCP_SYNTAX_ERROR_ALLOW_RESOURCE", "SCP_SYNTAX_ERROR_NOTRESOURCE")


def test_retired_scp_codes_are_listed_as_retired_not_missing() -> None:
    retired = {c["code"]: c["retired"] for c in access_analyzer_codes() if c.get("retired")}
    assert set(retired) == set(RETIRED)
    for note in retired.values():
        assert "2025" in note and "orgs_manage_policies_scps_syntax" in note
    assert not [code for code in RETIRED if code in {rule.code for rule in all_rules()}]
    section = generate().split("## Access Analyzer coverage")[1]
    for code in RETIRED:
        [row] = [line for line in section.splitlines() if line.startswith(f"| `{code}` |")]
        assert f"| retired ({retired[code]}) |" in row
    rows = coverage()
    covered = sum(1 for _, by in rows if by is not None)
    not_yet = sum(1 for entry, by in rows if by is None and not entry.get("retired"))
    assert f"{covered} of Access Analyzer's {len(rows)} policy checks are covered and {not_yet} not yet; 5 are retired" in section


@pytest.mark.parametrize("statement", [
    {"Effect": "Allow", "Action": "s3:*Object", "Resource": "*"},
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-1"}}},
    {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": BUCKET},
    {"Effect": "Allow", "Action": "s3:GetObject", "NotResource": BUCKET},
    {"Effect": "Deny", "Action": "s3:GetObject", "NotResource": BUCKET},
])
def test_scps_take_the_full_policy_language(statement: dict[str, Any]) -> None:
    """The forms the retired codes refused: an SCP using them gets no ERROR."""
    errors = [f.code for f in lint_policy(doc(statement), "scp").findings if f.severity.value == "ERROR"]
    assert errors == []
