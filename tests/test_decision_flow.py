"""The AWS decision flow, one row per documented behaviour (IAM User Guide, policy
evaluation logic; Organizations SCP/RCP evaluation; ../shared/docs/lambda-permissions.md §1).
"""

from __future__ import annotations

from typing import Any

import pytest

import policyengine as pe

A = "111122223333"
B = "444455556666"
USER = f"arn:aws:iam::{A}:user/alice"
ROLE = f"arn:aws:iam::{A}:role/app"
SESSION = f"arn:aws:sts::{A}:assumed-role/app/s1"
OTHER_USER = f"arn:aws:iam::{B}:user/bob"
BUCKET_OBJ = "arn:aws:s3:::reports/q1.csv"
QUEUE = f"arn:aws:sqs:us-east-1:{A}:jobs"


def allow(action: str = "*", resource: str | list[str] = "*", **extra: Any) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": resource,
                                                    **extra}]}


def deny(action: str = "*", resource: str = "*", **extra: Any) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": action, "Resource": resource,
                                                    **extra}]}


def rbp(principal: Any, action: str = "*", resource: str = "*", effect: str = "Allow",
        element: str = "Principal", **extra: Any) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [{"Effect": effect, element: principal, "Action": action,
                                                    "Resource": resource, **extra}]}


def decide(principal: str, action: str, on: str = "*", context: dict[str, Any] | None = None,
           resource_account: str | None = None, fill_context: bool = True, **policies: Any) -> pe.Decision:
    request = pe.Request(principal=principal, action=action, resource=on, context=context or {},
                         resource_account=resource_account, fill_context=fill_context)
    return pe.PolicySet(**policies).authorize(request, explain=True)


FULL = allow()

CASES: list[tuple[str, dict[str, Any], str, str]] = [
    ("identity_allow_grants_same_account_request",
     dict(principal=USER, action="sqs:SendMessage", on=QUEUE, identity=[allow("sqs:SendMessage")]),
     "allowed", "ALLOWED"),
    ("no_policy_means_implicit_deny",
     dict(principal=USER, action="sqs:SendMessage", on=QUEUE, identity=[]),
     "implicitDeny", "NO_IDENTITY_ALLOW"),
    ("explicit_deny_in_identity_policy_beats_allow",
     dict(principal=USER, action="sqs:SendMessage", on=QUEUE, identity=[FULL, deny("sqs:*")]),
     "explicitDeny", "EXPLICIT_DENY"),
    ("explicit_deny_in_resource_policy_beats_identity_allow",
     dict(principal=USER, action="sqs:SendMessage", on=QUEUE, identity=[FULL],
          resource=rbp({"AWS": USER}, "sqs:*", effect="Deny")),
     "explicitDeny", "EXPLICIT_DENY"),
    ("explicit_deny_in_scp_beats_everything",
     dict(principal=USER, action="sqs:SendMessage", on=QUEUE, identity=[FULL],
          scps=[[FULL, deny("sqs:*")]]),
     "explicitDeny", "EXPLICIT_DENY"),
    ("every_scp_level_must_allow",
     dict(principal=USER, action="sqs:SendMessage", on=QUEUE, identity=[FULL],
          scps=[[FULL], [allow("s3:*")], [FULL]]),
     "implicitDeny", "NO_SCP_ALLOW"),
    ("one_allowing_scp_per_level_suffices",
     dict(principal=USER, action="sqs:SendMessage", on=QUEUE, identity=[FULL],
          scps=[[FULL], [allow("s3:*"), allow("sqs:*")]]),
     "allowed", "ALLOWED"),
    ("scps_do_not_affect_the_management_account",
     dict(principal=USER, action="sqs:SendMessage", on=QUEUE, identity=[FULL],
          scps=[[deny("sqs:*")]], management_account=A),
     "allowed", "ALLOWED"),
    ("scps_never_restrict_service_linked_roles",
     dict(principal=f"arn:aws:sts::{A}:assumed-role/AWSServiceRoleForECS/ecs", action="sqs:SendMessage",
          on=QUEUE, identity=[FULL], scps=[[deny("sqs:*")]]),
     "allowed", "ALLOWED"),
    ("scps_do_not_apply_to_service_principals",
     dict(principal="sns.amazonaws.com", action="sqs:SendMessage", on=QUEUE,
          resource=rbp({"Service": "sns.amazonaws.com"}, "sqs:SendMessage"), scps=[[deny("sqs:*")]]),
     "allowed", "ALLOWED"),
    ("rcp_level_without_allow_denies",
     dict(principal=USER, action="sqs:SendMessage", on=QUEUE, identity=[FULL],
          rcps=[[rbp("*", "*")], []]),
     "implicitDeny", "NO_RCP_ALLOW"),
    ("rcp_deny_applies_to_supported_service",
     dict(principal=USER, action="sqs:SendMessage", on=QUEUE, identity=[FULL],
          rcps=[[rbp("*"), rbp("*", "sqs:*", effect="Deny")]]),
     "explicitDeny", "EXPLICIT_DENY"),
    ("rcps_do_not_apply_to_lambda",
     dict(principal=USER, action="lambda:InvokeFunction", on=f"arn:aws:lambda:us-east-1:{A}:function:f",
          identity=[FULL], rcps=[[rbp("*", "*", effect="Deny")]]),
     "allowed", "ALLOWED"),
    ("boundary_without_allow_caps_identity_allow",
     dict(principal=USER, action="sqs:SendMessage", on=QUEUE, identity=[FULL],
          permissions_boundary=allow("s3:*")),
     "implicitDeny", "NO_BOUNDARY_ALLOW"),
    ("deny_in_boundary_is_explicit",
     dict(principal=USER, action="sqs:SendMessage", on=QUEUE, identity=[FULL],
          permissions_boundary={"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": "*", "Resource": "*"},
              {"Effect": "Deny", "Action": "sqs:*", "Resource": "*"}]}),
     "explicitDeny", "EXPLICIT_DENY"),
    ("session_policy_without_allow_caps_role_session",
     dict(principal=SESSION, action="sqs:SendMessage", on=QUEUE, identity=[FULL],
          session=[allow("s3:*")]),
     "implicitDeny", "NO_SESSION_ALLOW"),
    ("same_account_rbp_naming_user_needs_no_identity_and_ignores_boundary",
     dict(principal=USER, action="sqs:SendMessage", on=QUEUE, identity=[],
          resource=rbp({"AWS": USER}, "sqs:SendMessage"), permissions_boundary=allow("s3:*")),
     "allowed", "ALLOWED"),
    ("same_account_rbp_naming_role_is_capped_by_boundary",
     dict(principal=SESSION, action="sqs:SendMessage", on=QUEUE, identity=[],
          resource=rbp({"AWS": ROLE}, "sqs:SendMessage"), permissions_boundary=allow("s3:*")),
     "implicitDeny", "NO_BOUNDARY_ALLOW"),
    ("same_account_rbp_naming_role_is_capped_by_session_policy",
     dict(principal=SESSION, action="sqs:SendMessage", on=QUEUE, identity=[],
          resource=rbp({"AWS": ROLE}, "sqs:SendMessage"), session=[allow("s3:*")]),
     "implicitDeny", "NO_SESSION_ALLOW"),
    ("same_account_rbp_naming_role_needs_no_identity_allow",
     dict(principal=SESSION, action="sqs:SendMessage", on=QUEUE, identity=[],
          resource=rbp({"AWS": ROLE}, "sqs:SendMessage")),
     "allowed", "ALLOWED"),
    ("same_account_rbp_naming_session_ignores_boundary_and_session_policy",
     dict(principal=SESSION, action="sqs:SendMessage", on=QUEUE, identity=[],
          resource=rbp({"AWS": SESSION}, "sqs:SendMessage"), permissions_boundary=allow("s3:*"),
          session=[allow("s3:*")]),
     "allowed", "ALLOWED"),
    ("same_account_rbp_naming_account_still_needs_identity_allow",
     dict(principal=USER, action="sqs:SendMessage", on=QUEUE, identity=[],
          resource=rbp({"AWS": A}, "sqs:SendMessage")),
     "implicitDeny", "NO_IDENTITY_ALLOW"),
    ("same_account_rbp_with_star_principal_grants_directly",
     dict(principal=USER, action="sqs:SendMessage", on=QUEUE, identity=[],
          resource=rbp("*", "sqs:SendMessage")),
     "allowed", "ALLOWED"),
    ("cross_account_identity_allow_without_resource_policy_is_denied",
     dict(principal=OTHER_USER, action="sqs:SendMessage", on=QUEUE, identity=[FULL]),
     "implicitDeny", "NO_RESOURCE_POLICY_ALLOW"),
    ("cross_account_needs_both_sides",
     dict(principal=OTHER_USER, action="sqs:SendMessage", on=QUEUE, identity=[FULL],
          resource=rbp({"AWS": f"arn:aws:iam::{B}:root"}, "sqs:SendMessage")),
     "allowed", "ALLOWED"),
    ("cross_account_rbp_naming_user_still_needs_identity_allow",
     dict(principal=OTHER_USER, action="sqs:SendMessage", on=QUEUE, identity=[],
          resource=rbp({"AWS": OTHER_USER}, "sqs:SendMessage")),
     "implicitDeny", "NO_IDENTITY_ALLOW"),
    ("cross_account_boundary_still_applies",
     dict(principal=OTHER_USER, action="sqs:SendMessage", on=QUEUE, identity=[FULL],
          resource=rbp({"AWS": OTHER_USER}, "sqs:SendMessage"), permissions_boundary=allow("s3:*")),
     "implicitDeny", "NO_BOUNDARY_ALLOW"),
    ("trust_policy_must_allow_assume_role_even_in_same_account",
     dict(principal=USER, action="sts:AssumeRole", on=ROLE, identity=[FULL]),
     "implicitDeny", "NO_TRUST_POLICY_ALLOW"),
    ("trust_policy_naming_account_needs_identity_allow",
     dict(principal=USER, action="sts:AssumeRole", on=ROLE, identity=[],
          resource={"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{A}:root"}, "Action": "sts:AssumeRole"}]}),
     "implicitDeny", "NO_IDENTITY_ALLOW"),
    ("trust_policy_naming_account_and_identity_allow",
     dict(principal=USER, action="sts:AssumeRole", on=ROLE, identity=[allow("sts:AssumeRole", ROLE)],
          resource={"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Principal": {"AWS": A}, "Action": "sts:AssumeRole"}]}),
     "allowed", "ALLOWED"),
    ("kms_key_policy_must_grant_before_identity_policies_count",
     dict(principal=USER, action="kms:Decrypt", on=f"arn:aws:kms:us-east-1:{A}:key/k1", identity=[FULL]),
     "implicitDeny", "NO_KEY_POLICY_ALLOW"),
    ("kms_key_policy_granting_account_enables_identity_policies",
     dict(principal=USER, action="kms:Decrypt", on=f"arn:aws:kms:us-east-1:{A}:key/k1", identity=[FULL],
          resource=rbp({"AWS": f"arn:aws:iam::{A}:root"}, "kms:*")),
     "allowed", "ALLOWED"),
    ("get_caller_identity_is_always_allowed",
     dict(principal=USER, action="sts:GetCallerIdentity", identity=[deny()], scps=[[deny()]]),
     "allowed", "ALWAYS_ALLOWED"),
    ("anonymous_caller_allowed_only_by_public_resource_policy",
     dict(principal="*", action="s3:GetObject", on=BUCKET_OBJ, resource_account=A,
          resource=rbp("*", "s3:GetObject")),
     "allowed", "ALLOWED"),
    ("anonymous_caller_without_resource_policy_is_denied",
     dict(principal="*", action="s3:GetObject", on=BUCKET_OBJ, identity=[FULL]),
     "implicitDeny", "NO_RESOURCE_POLICY_ALLOW"),
    ("service_principal_allowed_by_function_policy",
     dict(principal="s3.amazonaws.com", action="lambda:InvokeFunction",
          on=f"arn:aws:lambda:us-east-1:{A}:function:f",
          resource=rbp({"Service": "s3.amazonaws.com"}, "lambda:InvokeFunction")),
     "allowed", "ALLOWED"),
    ("aws_star_principal_does_not_name_services",
     dict(principal="s3.amazonaws.com", action="lambda:InvokeFunction",
          on=f"arn:aws:lambda:us-east-1:{A}:function:f",
          resource=rbp({"AWS": "*"}, "lambda:InvokeFunction")),
     "implicitDeny", "NO_RESOURCE_POLICY_ALLOW"),
    ("not_principal_deny_exempts_listed_user_and_account",
     dict(principal=USER, action="sqs:SendMessage", on=QUEUE, identity=[FULL],
          resource=rbp({"AWS": [USER, f"arn:aws:iam::{A}:root"]}, "sqs:*", effect="Deny",
                       element="NotPrincipal")),
     "allowed", "ALLOWED"),
    ("not_principal_deny_without_account_still_denies",
     dict(principal=USER, action="sqs:SendMessage", on=QUEUE, identity=[FULL],
          resource=rbp({"AWS": [USER]}, "sqs:*", effect="Deny", element="NotPrincipal")),
     "explicitDeny", "EXPLICIT_DENY"),
    ("not_principal_deny_always_denies_principal_with_boundary",
     dict(principal=USER, action="sqs:SendMessage", on=QUEUE, identity=[FULL],
          permissions_boundary=FULL,
          resource=rbp({"AWS": [USER, f"arn:aws:iam::{A}:root"]}, "sqs:*", effect="Deny",
                       element="NotPrincipal")),
     "explicitDeny", "NOT_PRINCIPAL_WITH_BOUNDARY"),
    ("federated_user_without_session_policy_has_no_permissions",
     dict(principal=f"arn:aws:sts::{A}:federated-user/fed", action="sqs:SendMessage", on=QUEUE,
          identity=[FULL]),
     "implicitDeny", "NO_SESSION_ALLOW"),
    ("federated_user_with_session_policy",
     dict(principal=f"arn:aws:sts::{A}:federated-user/fed", action="sqs:SendMessage", on=QUEUE,
          identity=[FULL], session=[allow("sqs:*")]),
     "allowed", "ALLOWED"),
    ("vpc_endpoint_policy_must_allow",
     dict(principal=USER, action="s3:GetObject", on=BUCKET_OBJ, resource_account=A, identity=[FULL],
          vpc_endpoint=rbp("*", "s3:PutObject")),
     "implicitDeny", "NO_VPC_ENDPOINT_ALLOW"),
    ("root_user_has_full_access_in_own_account",
     dict(principal=f"arn:aws:iam::{A}:root", action="sqs:SendMessage", on=QUEUE),
     "allowed", "ALLOWED"),
    ("root_user_is_still_subject_to_scps",
     dict(principal=f"arn:aws:iam::{A}:root", action="sqs:SendMessage", on=QUEUE, scps=[[allow("s3:*")]]),
     "implicitDeny", "NO_SCP_ALLOW"),
    ("role_arn_principal_is_taken_as_a_session_of_the_role",
     dict(principal=ROLE, action="sqs:SendMessage", on=QUEUE, identity=[],
          resource=rbp({"AWS": ROLE}, "sqs:SendMessage")),
     "allowed", "ALLOWED"),
    ("actions_match_case_insensitively",
     dict(principal=USER, action="SQS:sendmessage", on=QUEUE, identity=[allow("sqs:SendMess?ge")]),
     "allowed", "ALLOWED"),
    ("resources_match_case_sensitively",
     dict(principal=USER, action="iam:GetUser", on=f"arn:aws:iam::{A}:user/bob",
          identity=[allow("iam:GetUser", f"arn:aws:iam::{A}:user/Bob")]),
     "implicitDeny", "NO_IDENTITY_ALLOW"),
    ("not_action_allow_grants_everything_else",
     dict(principal=USER, action="sqs:SendMessage", on=QUEUE,
          identity=[{"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]}]),
     "allowed", "ALLOWED"),
    ("not_action_allow_does_not_grant_listed_action",
     dict(principal=USER, action="iam:CreateUser", on=f"arn:aws:iam::{A}:user/x",
          identity=[{"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]}]),
     "implicitDeny", "NO_IDENTITY_ALLOW"),
    ("not_resource_deny_spares_listed_resources",
     dict(principal=USER, action="sqs:SendMessage", on=QUEUE,
          identity=[FULL, {"Version": "2012-10-17", "Statement": [
              {"Effect": "Deny", "Action": "sqs:*", "NotResource": QUEUE}]}]),
     "allowed", "ALLOWED"),
    ("policy_variable_in_resource_is_substituted",
     dict(principal=USER, action="s3:GetObject", on="arn:aws:s3:::home/alice/notes.txt", resource_account=A,
          identity=[allow("s3:GetObject", "arn:aws:s3:::home/${aws:username}/*")]),
     "allowed", "ALLOWED"),
    ("policy_variable_is_literal_in_version_2008",
     dict(principal=USER, action="s3:GetObject", on="arn:aws:s3:::home/alice/notes.txt", resource_account=A,
          identity=[{"Version": "2008-10-17", "Statement": [
              {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::home/${aws:username}/*"}]}]),
     "implicitDeny", "NO_IDENTITY_ALLOW"),
    ("empty_action_list_makes_a_statement_inert",
     dict(principal=USER, action="sqs:SendMessage", on=QUEUE,
          identity=[{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": [], "Resource": "*"}]}]),
     "implicitDeny", "NO_IDENTITY_ALLOW"),
    ("empty_principal_map_names_nobody",
     dict(principal=USER, action="sqs:SendMessage", on=QUEUE, identity=[],
          resource={"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Principal": {}, "Action": "*", "Resource": "*"}]}),
     "implicitDeny", "NO_IDENTITY_ALLOW"),
    ("context_keys_aws_sets_are_filled_in",
     dict(principal=USER, action="sqs:SendMessage", on=QUEUE,
          identity=[allow("sqs:*", Condition={"StringEquals": {"aws:PrincipalAccount": A,
                                                               "aws:PrincipalType": "User"}})]),
     "allowed", "ALLOWED"),
    ("fill_context_false_leaves_the_context_as_written",
     dict(principal=USER, action="sqs:SendMessage", on=QUEUE, fill_context=False,
          identity=[allow("sqs:*", Condition={"StringEquals": {"aws:PrincipalAccount": A}})]),
     "implicitDeny", "NO_IDENTITY_ALLOW"),
]


@pytest.mark.parametrize("kwargs,expected,code", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_decision_flow(kwargs: dict[str, Any], expected: str, code: str) -> None:
    decision = decide(**kwargs)
    assert (decision.decision, decision.code.value) == (expected, code), decision.reasons
    assert decision.reasons and decision.reasons[0]


def test_cross_account_implicit_deny_names_the_missing_grant() -> None:
    decision = decide(OTHER_USER, "sqs:SendMessage", QUEUE, identity=[FULL], resource=rbp({"AWS": USER}))
    assert decision.reasons[0] == (
        f"cross-account: the identity policy allows, but the resource policy of {A} grants nothing "
        "to this principal")


def test_boundary_implicit_deny_names_the_action() -> None:
    decision = decide(USER, "s3:PutObject", BUCKET_OBJ, resource_account=A, identity=[FULL],
                      permissions_boundary=allow("s3:GetObject"))
    assert decision.reasons[0] == "the permissions boundary has no Allow for s3:PutObject"


def test_deciding_statement_is_named_with_its_location() -> None:
    text = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Sid": "Read", "Effect": "Allow",\n' \
           '     "Action": "sqs:*", "Resource": "*"}\n  ]\n}'
    doc = pe.load_policy(text, "app.json")
    decision = decide(USER, "sqs:SendMessage", QUEUE, identity=[doc])
    (deciding,) = decision.deciding_statements
    assert (deciding.sid, deciding.file, deciding.line, deciding.path) == ("Read", "app.json", 4, ("Statement", 0))


def test_missing_context_keys_are_reported() -> None:
    decision = decide(USER, "sqs:SendMessage", QUEUE,
                      identity=[allow("sqs:*", Condition={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}})])
    assert decision.decision == "implicitDeny"
    assert decision.missing_context_keys == ("aws:SourceIp",)


def test_non_matching_statement_says_which_element_failed() -> None:
    decision = decide(USER, "sqs:SendMessage", QUEUE, identity=[
        allow("s3:*"), allow("sqs:*", "arn:aws:sqs:us-east-1:111122223333:other"),
        allow("sqs:*", Condition={"StringEquals": {"aws:PrincipalTag/team": "data"}})],
        resource=rbp({"AWS": OTHER_USER}, "sqs:*"))
    failed = [t.failed_element for t in decision.trace or ()]
    assert failed == ["action", "resource", "condition", "principal"]
    condition = (decision.trace or ())[2]
    assert "aws:PrincipalTag/team" in condition.detail and "StringEquals" in condition.detail


def test_evaluation_error_fails_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    policies = pe.PolicySet(identity=[allow("sqs:*", Condition={"StringEquals": {"aws:PrincipalType": "User"}})])
    statement = policies.identity.statements[0]  # type: ignore[union-attr]

    class Exploding:
        keys = ()

        def matches(self, ctx: object) -> bool:
            raise RuntimeError("boom")

    monkeypatch.setattr(statement, "conditions", Exploding())
    decision = policies.authorize(pe.Request(USER, "sqs:SendMessage", QUEUE))
    assert decision.decision == "implicitDeny"
    assert decision.code.value == "EVALUATION_ERROR"
    assert "boom" in decision.reasons[0]


def test_principal_in_identity_policy_is_rejected_with_location() -> None:
    text = '{"Version": "2012-10-17", "Statement": [\n {"Effect": "Allow", "Principal": "*", "Action": "*",' \
           ' "Resource": "*"}]}'
    with pytest.raises(pe.PolicyValidationError) as info:
        pe.PolicySet(identity=[pe.load_policy(text, "id.json")])
    assert info.value.code == "UNSUPPORTED_PRINCIPAL"
    assert info.value.line == 2


RCP_STAR = {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}


@pytest.mark.parametrize("statement,codes", [
    # AWS Organizations, RCP syntax: "Principal": "*" only, no NotPrincipal or NotAction, and
    # Allow only in the RCPFullAWSAccess form; Organizations refuses to attach anything else.
    (RCP_STAR, []),
    ({"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}, []),
    ({**RCP_STAR, "Principal": {"AWS": "arn:aws:iam::111122223333:root"}}, ["RCP_SYNTAX_ERROR_PRINCIPAL"]),
    ({**RCP_STAR, "Principal": {"AWS": "*"}}, ["RCP_SYNTAX_ERROR_PRINCIPAL"]),
    ({k: v for k, v in RCP_STAR.items() if k != "Principal"} | {"NotPrincipal": {"AWS": "111122223333"}},
     ["RCP_SYNTAX_ERROR_PRINCIPAL"]),
    ({k: v for k, v in RCP_STAR.items() if k != "Action"} | {"NotAction": "s3:GetObject"}, ["RCP_SYNTAX_ERROR_NOTACTION"]),
    ({**RCP_STAR, "Effect": "Allow"}, ["RCP_SYNTAX_ERROR_ALLOW"]),
    ({"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*",
      "Condition": {"StringEquals": {"aws:PrincipalAccount": "111122223333"}}}, ["RCP_SYNTAX_ERROR_ALLOW"]),
])
def test_rcp_grammar(statement: dict, codes: list[str]) -> None:
    document = {"Version": "2012-10-17", "Statement": [statement]}
    try:
        pe.PolicySet(rcps=[[document]])
        found: list[str] = []
    except pe.PolicyValidationError as exc:
        found = [error.code for error in exc.errors]
    assert found == codes


def test_resource_policy_statement_without_principal_is_rejected() -> None:
    with pytest.raises(pe.PolicyValidationError) as info:
        pe.PolicySet(resource=allow())
    assert info.value.code == "MISSING_PRINCIPAL"
