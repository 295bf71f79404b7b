"""Condition keys against the actions, services and principals they meet: tag keys some
services never send (Deny, NotAction), session keys without `sts:TagSession` in a trust
policy, keys that need a companion, IAM Roles Anywhere trust policies, and keys a service
principal never has. Each case: a policy, its type, and the (code, path) findings expected
of these rules."""

from __future__ import annotations

from typing import Any

import pytest

from policyengine.lint import lint_policy

CODES = {
    "DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
    "DENY_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
    "ALLOW_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE",
    "MISSING_ACTION_FOR_CONDITION_KEY",
    "MISSING_PAIRED_CONDITION_KEYS",
    "MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY",
    "UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL",
    "RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL",
}


def policy(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def cond(operator: str, key: str, value: Any = "x") -> dict[str, Any]:
    return {operator: {key: value}}


def key_path(index: int, operator: str, key: str) -> tuple[Any, ...]:
    return ("Statement", index, "Condition", operator, key)


ROOT = {"AWS": "arn:aws:iam::111122223333:root"}
RA = {"Service": "rolesanywhere.amazonaws.com"}
CF = {"Service": "cloudfront.amazonaws.com"}
OBJ = "arn:aws:s3:::reports/*"
RA_ALL = ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"]

CASES: list[tuple[str, dict[str, Any], str, list[tuple[str, tuple[Any, ...]]]]] = [
    # -- Deny on tag keys ------------------------------------------------------------------
    ("deny on a tag key with a service that never sends it",
     policy({"Effect": "Deny", "Action": ["ec2:TerminateInstances", "health:DescribeEvents"], "Resource": "*",
             "Condition": cond("StringEquals", "aws:ResourceTag/protected", "true")}), "identity",
     [("DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE", key_path(0, "StringEquals", "aws:ResourceTag/protected"))]),
    ("... not when every service supports the key",
     policy({"Effect": "Deny", "Action": ["ec2:TerminateInstances", "lambda:DeleteFunction"], "Resource": "*",
             "Condition": cond("StringEquals", "aws:ResourceTag/protected", "true")}), "identity", []),
    ("... not with a negated operator (it applies when the key is missing)",
     policy({"Effect": "Deny", "Action": ["health:DescribeEvents"], "Resource": "*",
             "Condition": cond("StringNotEquals", "aws:ResourceTag/protected", "true")}), "identity", []),
    ("... not with IfExists",
     policy({"Effect": "Deny", "Action": ["health:DescribeEvents"], "Resource": "*",
             "Condition": cond("StringEqualsIfExists", "aws:ResourceTag/protected", "true")}), "identity", []),
    ("... not with ForAllValues (true when the key is missing)",
     policy({"Effect": "Deny", "Action": ["health:DescribeEvents"], "Resource": "*",
             "Condition": cond("ForAllValues:StringEquals", "aws:TagKeys", ["a"])}), "identity", []),
    ("... ForAnyValue on aws:TagKeys is reported",
     policy({"Effect": "Deny", "Action": ["health:DescribeEvents"], "Resource": "*",
             "Condition": cond("ForAnyValue:StringEquals", "aws:TagKeys", ["a"])}), "identity",
     [("DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE", key_path(0, "ForAnyValue:StringEquals", "aws:TagKeys"))]),
    ("... not with Null",
     policy({"Effect": "Deny", "Action": ["health:DescribeEvents"], "Resource": "*",
             "Condition": cond("Null", "aws:ResourceTag/protected", "false")}), "identity", []),
    ("... not with a wildcard service (unbounded)",
     policy({"Effect": "Deny", "Action": "*", "Resource": "*",
             "Condition": cond("StringEquals", "aws:ResourceTag/protected", "true")}), "identity", []),
    ("... not with an unknown action",
     policy({"Effect": "Deny", "Action": ["health:NoSuchThing"], "Resource": "*",
             "Condition": cond("StringEquals", "aws:ResourceTag/protected", "true")}), "identity", []),
    ("... not on a non-tag key",
     policy({"Effect": "Deny", "Action": ["health:DescribeEvents"], "Resource": "*",
             "Condition": cond("StringEquals", "aws:PrincipalTag/team", "red")}), "identity", []),
    # -- NotAction with tag keys -----------------------------------------------------------
    ("deny with NotAction on a tag key",
     policy({"Effect": "Deny", "NotAction": ["iam:*"], "Resource": "*",
             "Condition": cond("StringEquals", "aws:RequestTag/team", "red")}), "identity",
     [("DENY_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE", key_path(0, "StringEquals", "aws:RequestTag/team"))]),
    ("allow with NotAction on a tag key",
     policy({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*",
             "Condition": cond("StringEquals", "aws:ResourceTag/team", "red")}), "identity",
     [("ALLOW_NOTACTION_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE", key_path(0, "StringEquals", "aws:ResourceTag/team"))]),
    ("... not when NotAction excludes everything",
     policy({"Effect": "Deny", "NotAction": "*", "Resource": "*",
             "Condition": cond("StringEquals", "aws:ResourceTag/team", "red")}), "identity", []),
    ("... not with a negated operator",
     policy({"Effect": "Deny", "NotAction": "iam:*", "Resource": "*",
             "Condition": cond("StringNotEquals", "aws:ResourceTag/team", "red")}), "identity", []),
    # -- session keys in trust policies ----------------------------------------------------
    ("a trust policy on a request tag without sts:TagSession",
     policy({"Effect": "Allow", "Principal": ROOT, "Action": "sts:AssumeRole",
             "Condition": cond("StringEquals", "aws:RequestTag/team", "red")}), "trust",
     [("MISSING_ACTION_FOR_CONDITION_KEY", key_path(0, "StringEquals", "aws:RequestTag/team"))]),
    ("... sts:SourceIdentity without sts:SetSourceIdentity",
     policy({"Effect": "Allow", "Principal": ROOT, "Action": "sts:AssumeRole",
             "Condition": cond("StringLike", "sts:SourceIdentity", "admin-*")}), "trust",
     [("MISSING_ACTION_FOR_CONDITION_KEY", key_path(0, "StringLike", "sts:SourceIdentity"))]),
    ("... not when another statement allows sts:TagSession",
     policy({"Effect": "Allow", "Principal": ROOT, "Action": "sts:AssumeRole",
             "Condition": cond("ForAnyValue:StringEquals", "aws:TagKeys", ["team"])},
            {"Effect": "Allow", "Principal": ROOT, "Action": "sts:TagSession"}), "trust", []),
    ("... not when sts:* covers it",
     policy({"Effect": "Allow", "Principal": ROOT, "Action": "sts:*",
             "Condition": cond("StringEquals", "aws:RequestTag/team", "red")}), "trust", []),
    ("... not with ForAllValues (holds without tags)",
     policy({"Effect": "Allow", "Principal": ROOT, "Action": "sts:AssumeRole",
             "Condition": cond("ForAllValues:StringEquals", "aws:TagKeys", ["team"])}), "trust", []),
    ("... not in an identity policy (sts:TagSession may come from another policy)",
     policy({"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*",
             "Condition": cond("StringEquals", "aws:RequestTag/team", "red")}), "identity", []),
    # -- paired keys -----------------------------------------------------------------------
    ("aws:VpcSourceIp alone",
     policy({"Effect": "Allow", "Action": "s3:GetObject", "Resource": OBJ,
             "Condition": cond("IpAddress", "aws:VpcSourceIp", "10.0.0.0/16")}), "identity",
     [("MISSING_PAIRED_CONDITION_KEYS", key_path(0, "IpAddress", "aws:VpcSourceIp"))]),
    ("... paired with the endpoint",
     policy({"Effect": "Allow", "Action": "s3:GetObject", "Resource": OBJ,
             "Condition": {"IpAddress": {"aws:VpcSourceIp": "10.0.0.0/16"},
                           "StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}}), "identity", []),
    ("... a partner with IfExists does not pin the VPC",
     policy({"Effect": "Allow", "Action": "s3:GetObject", "Resource": OBJ,
             "Condition": {"IpAddress": {"aws:VpcSourceIp": "10.0.0.0/16"},
                           "StringEqualsIfExists": {"aws:SourceVpc": "vpc-1a2b3c4d"}}}), "identity",
     [("MISSING_PAIRED_CONDITION_KEYS", key_path(0, "IpAddress", "aws:VpcSourceIp"))]),
    ("... not in a Deny",
     policy({"Effect": "Deny", "Action": "s3:GetObject", "Resource": OBJ,
             "Condition": cond("NotIpAddress", "aws:VpcSourceIp", "10.0.0.0/16")}), "identity", []),
    # -- IAM Roles Anywhere ----------------------------------------------------------------
    ("Roles Anywhere with sts:AssumeRole only",
     policy({"Effect": "Allow", "Principal": RA, "Action": ["sts:AssumeRole"]}), "trust",
     [("MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY", ("Statement", 0, "Action"))]),
    ("... all three actions",
     policy({"Effect": "Allow", "Principal": RA, "Action": RA_ALL}), "trust", []),
    ("... spread over two statements",
     policy({"Effect": "Allow", "Principal": RA, "Action": "sts:AssumeRole"},
            {"Effect": "Allow", "Principal": RA, "Action": ["sts:SetSourceIdentity", "sts:TagSession"]}),
     "trust", []),
    ("... sts:* covers them",
     policy({"Effect": "Allow", "Principal": RA, "Action": "sts:*"}), "trust", []),
    ("... a list of services with Roles Anywhere",
     policy({"Effect": "Allow", "Principal": {"Service": ["ec2.amazonaws.com", "rolesanywhere.amazonaws.com"]},
             "Action": ["sts:AssumeRole", "sts:TagSession"]}), "trust",
     [("MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY", ("Statement", 0, "Action"))]),
    ("... other services are not concerned",
     policy({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}),
     "trust", []),
    # -- keys and service principals -------------------------------------------------------
    ("aws:PrincipalOrgID for CloudFront",
     policy({"Effect": "Allow", "Principal": CF, "Action": "s3:GetObject", "Resource": OBJ,
             "Condition": cond("StringEquals", "aws:PrincipalOrgID", "o-a1b2c3d4e5")}), "resource",
     [("UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL", key_path(0, "StringEquals", "aws:PrincipalOrgID"))]),
    ("aws:PrincipalTag in a trust policy for a service",
     policy({"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole",
             "Condition": cond("StringEquals", "aws:PrincipalTag/team", "red")}), "trust",
     [("UNSUPPORTED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL", key_path(0, "StringEquals", "aws:PrincipalTag/team"))]),
    ("... not when an AWS principal is named too",
     policy({"Effect": "Allow", "Principal": {**CF, **ROOT}, "Action": "s3:GetObject", "Resource": OBJ,
             "Condition": cond("StringEquals", "aws:PrincipalOrgID", "o-a1b2c3d4e5")}), "resource", []),
    ("... not with Null",
     policy({"Effect": "Deny", "Principal": CF, "Action": "s3:GetObject", "Resource": OBJ,
             "Condition": cond("Null", "aws:PrincipalOrgID", "true")}), "resource", []),
    ("aws:Referer for a service principal",
     policy({"Effect": "Allow", "Principal": CF, "Action": "s3:GetObject", "Resource": OBJ,
             "Condition": cond("StringEquals", "aws:Referer", "secret")}), "resource",
     [("RECOMMENDED_CONDITION_KEY_FOR_SERVICE_PRINCIPAL", key_path(0, "StringEquals", "aws:Referer"))]),
    ("... not beside a source key",
     policy({"Effect": "Allow", "Principal": CF, "Action": "s3:GetObject", "Resource": OBJ,
             "Condition": {"StringEquals": {"aws:Referer": "secret", "aws:SourceAccount": "111122223333"}}}),
     "resource", []),
    ("... not for everyone (not a service principal)",
     policy({"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": OBJ,
             "Condition": cond("StringEquals", "aws:Referer", "secret")}), "resource", []),
]


@pytest.mark.parametrize("name, document, policy_type, expected", CASES, ids=[c[0] for c in CASES])
def test_case(name: str, document: dict[str, Any], policy_type: str,
              expected: list[tuple[str, tuple[Any, ...]]]) -> None:
    found = [(f.code, f.path) for f in lint_policy(document, policy_type).findings if f.code in CODES]
    assert found == expected


def test_deny_message_names_the_services_and_the_fix() -> None:
    document = policy({"Effect": "Deny", "Action": ["ec2:TerminateInstances", "health:DescribeEvents"],
                       "Resource": "*", "Condition": cond("StringEquals", "aws:ResourceTag/protected", "true")})
    [finding] = [f for f in lint_policy(document, "identity").findings
                 if f.code == "DENY_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE"]
    assert "`health`" in finding.message and "`ec2`" not in finding.message
    assert finding.extra["services"] == ["health"]


def test_roles_anywhere_message_lists_what_is_missing() -> None:
    document = policy({"Effect": "Allow", "Principal": RA, "Action": "sts:AssumeRole"})
    [finding] = [f for f in lint_policy(document, "trust").findings
                 if f.code == "MISSING_ACTION_FOR_ROLES_ANYWHERE_TRUST_POLICY"]
    assert finding.extra["missing"] == ["sts:SetSourceIdentity", "sts:TagSession"]
    assert finding.path == ("Statement", 0, "Action")
