"""Condition values that are well-typed but useless or malformed for their key: private
ranges in `aws:SourceIp`, CIDR blocks with host bits, set qualifiers on `Null` and on OIDC
audiences, wildcards under exact String operators, Region codes, VPC and VPC endpoint IDs,
and epoch dates far from any real time. Each case: a policy, its type, and the (code, path)
findings expected of these rules."""

from __future__ import annotations

from typing import Any

import pytest

from policyengine.lint import lint_policy
from policyengine.lint.checks.conditions import value_formats

CODES = {
    "PRIVATE_IP_ADDRESS", "PRIVATE_NOT_IP_ADDRESS", "PRIVATE_IP_ADDRESS_SUBSET",
    "PRIVATE_NOT_IP_ADDRESS_SUBSET", "IMPROVE_IP_RANGE", "NULL_WITH_QUALIFIER",
    "CONFIRM_AUDIENCE_CLAIM_TYPE", "WILDCARD_WITHOUT_LIKE_OPERATOR", "INVALID_REGION",
    "INVALID_VPC_FORMAT", "INVALID_VPCE_FORMAT", "INVALID_DATE_VALUE",
}


def policy(condition: dict[str, Any], *, effect: str = "Allow", version: str = "2012-10-17") -> dict[str, Any]:
    return {"Version": version, "Statement": [
        {"Effect": effect, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*", "Condition": condition},
    ]}


def trust(condition: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity", "Condition": condition,
        "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
    }]}


def at(operator: str, key: str, *index: int) -> tuple[Any, ...]:
    return ("Statement", 0, "Condition", operator, key, *index)


GH = "token.actions.githubusercontent.com"
SUB = {f"{GH}:sub": "repo:octo-org/octo-repo:ref:refs/heads/main"}

CASES: list[tuple[str, dict[str, Any], str, list[tuple[str, tuple[Any, ...]]]]] = [
    # -- private ranges in aws:SourceIp -------------------------------------------------
    ("IpAddress with one private range", policy({"IpAddress": {"aws:SourceIp": "10.1.0.0/16"}}), "identity",
     [("PRIVATE_IP_ADDRESS", at("IpAddress", "aws:SourceIp"))]),
    ("... a bare private address, loopback, link-local, CGNAT",
     policy({"IpAddress": {"aws:SourceIp": ["192.168.1.10", "127.0.0.1", "169.254.169.254", "100.64.1.0/24"]}}),
     "identity", [("PRIVATE_IP_ADDRESS", at("IpAddress", "aws:SourceIp"))]),
    ("... IPv6 unique-local, link-local and loopback",
     policy({"IpAddress": {"aws:SourceIp": ["fd00:1234::/48", "fe80::1", "::1"]}}), "identity",
     [("PRIVATE_IP_ADDRESS", at("IpAddress", "aws:SourceIp"))]),
    ("... the key in another case, with IfExists",
     policy({"IpAddressIfExists": {"AWS:SOURCEIP": "172.16.0.0/12"}}), "identity",
     [("PRIVATE_IP_ADDRESS", at("IpAddressIfExists", "AWS:SOURCEIP"))]),
    ("NotIpAddress with only private ranges",
     policy({"NotIpAddress": {"aws:SourceIp": ["10.0.0.0/8", "172.16.0.0/12"]}}, effect="Deny"), "identity",
     [("PRIVATE_NOT_IP_ADDRESS", at("NotIpAddress", "aws:SourceIp"))]),
    ("a mix: each private value, at the value",
     policy({"IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "203.0.113.0/24", "192.168.0.0/16"]}}), "identity",
     [("PRIVATE_IP_ADDRESS_SUBSET", at("IpAddress", "aws:SourceIp", 0)),
      ("PRIVATE_IP_ADDRESS_SUBSET", at("IpAddress", "aws:SourceIp", 2))]),
    ("a mix under NotIpAddress",
     policy({"NotIpAddress": {"aws:SourceIp": ["203.0.113.0/24", "10.0.0.0/8"]}}, effect="Deny"), "identity",
     [("PRIVATE_NOT_IP_ADDRESS_SUBSET", at("NotIpAddress", "aws:SourceIp", 1))]),
    ("documentation ranges are public stand-ins (Python calls them private)",
     policy({"IpAddress": {"aws:SourceIp": ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32"]}}),
     "identity", []),
    ("a block that only contains private space is not private", policy({"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}),
     "identity", []),
    ("... nor one that straddles it", policy({"IpAddress": {"aws:SourceIp": "8.0.0.0/6"}}), "identity", []),
    ("private ranges in aws:VpcSourceIp are the point",
     policy({"IpAddress": {"aws:VpcSourceIp": "10.0.0.0/8"}, "StringEquals": {"aws:SourceVpc": "vpc-1a2b3c4d"}}),
     "identity", []),
    ("a value that is no CIDR is DATA_TYPE_MISMATCH's", policy({"IpAddress": {"aws:SourceIp": "10.0.0.0/33"}}),
     "identity", []),
    # -- host bits ----------------------------------------------------------------------
    ("host bits set, with private range too",
     policy({"IpAddress": {"aws:VpcSourceIp": ["10.0.0.1/8", "10.0.0.0/8"]}, "StringEquals": {"aws:SourceVpc": "vpc-1a2b3c4d"}}),
     "identity", [("IMPROVE_IP_RANGE", at("IpAddress", "aws:VpcSourceIp", 0))]),
    ("IPv6 host bits", policy({"NotIpAddress": {"aws:SourceIp": "2001:db8::1/32"}}), "identity",
     [("IMPROVE_IP_RANGE", at("NotIpAddress", "aws:SourceIp"))]),
    ("a bare address and /32 are exact", policy({"IpAddress": {"aws:SourceIp": ["203.0.113.7", "203.0.113.8/32"]}}),
     "identity", []),
    # -- Null with a set qualifier ------------------------------------------------------
    ("ForAllValues:Null, once per operator, at the operator",
     policy({"ForAllValues:Null": {"aws:TagKeys": "true", "aws:RequestTag/team": "true"}}), "identity",
     [("NULL_WITH_QUALIFIER", ("Statement", 0, "Condition", "ForAllValues:Null"))]),
    ("the qualifier in another case",
     policy({"foranyvalue:Null": {"aws:TagKeys": "false"}}), "identity",
     [("NULL_WITH_QUALIFIER", ("Statement", 0, "Condition", "foranyvalue:Null"))]),
    ("Null alone", policy({"Null": {"aws:TagKeys": "false"}}), "identity", []),
    # -- OIDC audience under a set qualifier --------------------------------------------
    ("ForAnyValue on the audience",
     trust({"ForAnyValue:StringEquals": {f"{GH}:aud": "sts.amazonaws.com"}, "StringEquals": SUB}), "trust",
     [("CONFIRM_AUDIENCE_CLAIM_TYPE", at("ForAnyValue:StringEquals", f"{GH}:aud"))]),
    ("an EKS provider with a path",
     trust({"ForAllValues:StringLike": {"oidc.eks.us-east-1.amazonaws.com/id/ABC:aud": "sts.amazonaws.com"}}), "trust",
     [("CONFIRM_AUDIENCE_CLAIM_TYPE", at("ForAllValues:StringLike", "oidc.eks.us-east-1.amazonaws.com/id/ABC:aud"))]),
    ("the audience without a qualifier (Access Analyzer notes it anyway; we do not)",
     trust({"StringEquals": {f"{GH}:aud": "sts.amazonaws.com", **SUB}}), "trust", []),
    ("Cognito's amr is multivalued: ForAnyValue is right",
     trust({"StringEquals": {"cognito-identity.amazonaws.com:aud": "us-east-1:1234"},
            "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"}}), "trust", []),
    # -- wildcards under exact String operators ----------------------------------------
    ("StringEquals with a star", policy({"StringEquals": {"aws:PrincipalTag/team": ["dev", "ops-*"]}}), "identity",
     [("WILDCARD_WITHOUT_LIKE_OPERATOR", at("StringEquals", "aws:PrincipalTag/team", 1))]),
    ("StringNotEqualsIgnoreCase with a question mark",
     policy({"StringNotEqualsIgnoreCase": {"aws:PrincipalTag/team": "dev?"}}, effect="Deny"), "identity",
     [("WILDCARD_WITHOUT_LIKE_OPERATOR", at("StringNotEqualsIgnoreCase", "aws:PrincipalTag/team"))]),
    ("the ${*} escape says the character is meant",
     policy({"StringEquals": {"aws:PrincipalTag/team": "a${*}b${?}"}}), "identity", []),
    ("... but only where variables work (no Version: the escape is literal text)",
     policy({"StringEquals": {"aws:PrincipalTag/team": "a*"}}, version="2008-10-17"), "identity",
     [("WILDCARD_WITHOUT_LIKE_OPERATOR", at("StringEquals", "aws:PrincipalTag/team"))]),
    ("ArnEquals matches wildcards like ArnLike",
     policy({"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/*"}}), "identity", []),
    ("StringLike", policy({"StringLike": {"aws:PrincipalTag/team": "ops-*"}}), "identity", []),
    # -- Region codes -------------------------------------------------------------------
    ("a made-up Region and a Region name",
     policy({"StringEquals": {"aws:RequestedRegion": ["eu-west-1", "us-west-3", "Ireland"]}}), "identity",
     [("INVALID_REGION", at("StringEquals", "aws:RequestedRegion", 1)),
      ("INVALID_REGION", at("StringEquals", "aws:RequestedRegion", 2))]),
    ("upper case is wrong under StringEquals ...",
     policy({"StringNotEquals": {"aws:RequestedRegion": "US-EAST-1"}}, effect="Deny"), "identity",
     [("INVALID_REGION", at("StringNotEquals", "aws:RequestedRegion"))]),
    ("... and fine under StringEqualsIgnoreCase",
     policy({"StringEqualsIgnoreCase": {"aws:RequestedRegion": "US-EAST-1"}}), "identity", []),
    ("patterns that match some Region, other partitions, a variable",
     policy({"StringLike": {"aws:RequestedRegion": ["eu-*", "us-gov-*", "cn-north-?", "${aws:PrincipalTag/region}"]}}),
     "identity", []),
    ("a pattern that matches no Region", policy({"StringLike": {"ec2:Region": "us-east-*-x"}}), "identity",
     [("INVALID_REGION", at("StringLike", "ec2:Region"))]),
    ("a literal star under StringEquals is WILDCARD_WITHOUT_LIKE_OPERATOR's alone",
     policy({"StringEquals": {"aws:RequestedRegion": "eu-*"}}), "identity",
     [("WILDCARD_WITHOUT_LIKE_OPERATOR", at("StringEquals", "aws:RequestedRegion"))]),
    ("a service Region key", policy({"StringEquals": {"kms:ReplicaRegion": "europe"}}), "identity",
     [("INVALID_REGION", at("StringEquals", "kms:ReplicaRegion"))]),
    # -- VPC and VPC endpoint IDs -------------------------------------------------------
    ("VPC IDs of both lengths", policy({"StringEquals": {"aws:SourceVpc": ["vpc-1a2b3c4d", "vpc-0123456789abcdef0"]}}),
     "identity", []),
    ("a VPC name, a short ID, upper case",
     policy({"StringEquals": {"aws:SourceVpc": ["prod-vpc", "vpc-1a2b3c", "vpc-1A2B3C4D"]}}), "identity",
     [("INVALID_VPC_FORMAT", at("StringEquals", "aws:SourceVpc", 0)),
      ("INVALID_VPC_FORMAT", at("StringEquals", "aws:SourceVpc", 1)),
      ("INVALID_VPC_FORMAT", at("StringEquals", "aws:SourceVpc", 2))]),
    ("a VPC ID in aws:SourceVpce", policy({"StringNotEquals": {"aws:SourceVpce": "vpc-1a2b3c4d"}}, effect="Deny"),
     "identity", [("INVALID_VPCE_FORMAT", at("StringNotEquals", "aws:SourceVpce"))]),
    ("a VPC endpoint ID in aws:SourceVpc", policy({"StringEquals": {"aws:SourceVpc": "vpce-1a2b3c4d"}}), "identity",
     [("INVALID_VPC_FORMAT", at("StringEquals", "aws:SourceVpc"))]),
    ("Like patterns and variables that can be an ID",
     policy({"StringLike": {"aws:SourceVpce": ["vpce-*", "vpce-0a?b*", "${aws:PrincipalTag/vpce}"],
                            "aws:SourceVpc": "vpc-${aws:PrincipalTag/vpc}"}}), "identity", []),
    ("a Like pattern that can be no ID", policy({"StringLike": {"aws:SourceVpc": ["vpx-*", "vpc-*-prod"]}}),
     "identity", [("INVALID_VPC_FORMAT", at("StringLike", "aws:SourceVpc", 0)),
                  ("INVALID_VPC_FORMAT", at("StringLike", "aws:SourceVpc", 1))]),
    ("aws:Ec2InstanceSourceVpc holds a VPC ID too",
     policy({"StringEquals": {"aws:Ec2InstanceSourceVpc": "${aws:SourceVpc}"}}), "identity", []),
    # -- dates --------------------------------------------------------------------------
    ("a compact date, a bare year, milliseconds",
     policy({"DateGreaterThan": {"aws:CurrentTime": ["20260131", "2026", 1767225600000]}}), "identity",
     [("INVALID_DATE_VALUE", at("DateGreaterThan", "aws:CurrentTime", 0)),
      ("INVALID_DATE_VALUE", at("DateGreaterThan", "aws:CurrentTime", 1)),
      ("INVALID_DATE_VALUE", at("DateGreaterThan", "aws:CurrentTime", 2))]),
    ("ISO dates and plausible epoch seconds",
     policy({"DateLessThan": {"aws:CurrentTime": ["2026-01-31", "1969-07-20T20:17:00Z", "1769817600", 1769817600.5]}}),
     "identity", []),
    ("an unreadable date is DATA_TYPE_MISMATCH's", policy({"DateLessThan": {"aws:CurrentTime": "31/01/2026"}}),
     "identity", []),
    ("numbers under a Numeric operator are not dates",
     policy({"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}), "identity", []),
]


@pytest.mark.parametrize("name, document, policy_type, expected", CASES, ids=[c[0] for c in CASES])
def test_case(name: str, document: dict[str, Any], policy_type: str,
              expected: list[tuple[str, tuple[Any, ...]]]) -> None:
    found = [(f.code, f.path) for f in lint_policy(document, policy_type).findings if f.code in CODES]
    assert found == expected


def _message(document: dict[str, Any], code: str) -> str:
    [finding] = [f for f in lint_policy(document, "identity").findings if f.code == code]
    return finding.message


@pytest.mark.parametrize("value, advice", [
    ("20260131", "write `2026-01-31`"),
    ("2026", "write `2026-01-01`"),
    (1767225600000, "write the seconds `1767225600` (2026-01-01T00:00:00Z)"),
])
def test_date_message_guesses_the_intent(value: Any, advice: str) -> None:
    assert advice in _message(policy({"DateGreaterThan": {"aws:CurrentTime": value}}), "INVALID_DATE_VALUE")


def test_messages_say_how_to_fix() -> None:
    assert "`203.0.113.0/24`" in _message(policy({"IpAddress": {"aws:SourceIp": "203.0.113.9/24"}}), "IMPROVE_IP_RANGE")
    assert "write `us-east-1`" in _message(policy({"StringEquals": {"aws:RequestedRegion": "US-EAST-1"}}), "INVALID_REGION")
    assert "write `vpc-1a2b3c4d`" in _message(policy({"StringEquals": {"aws:SourceVpc": "VPC-1A2B3C4D"}}), "INVALID_VPC_FORMAT")
    assert "`StringNotLike`" in _message(policy({"StringNotEquals": {"aws:PrincipalTag/t": "a*"}}), "WILDCARD_WITHOUT_LIKE_OPERATOR")
    assert "`aws:VpcSourceIp`" in _message(policy({"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}), "PRIVATE_IP_ADDRESS")


def test_region_table_is_botocores() -> None:
    """The Region table is copied from botocore's endpoints; when botocore is installed (a
    development dependency through moto), every Region it knows must be in the table."""
    loader = pytest.importorskip("botocore.loaders")
    endpoints = loader.create_loader().load_data("endpoints")
    known = {region for partition in endpoints["partitions"] for region in partition["regions"]}
    assert known <= value_formats.REGIONS, sorted(known - value_formats.REGIONS)


MIXED_TYPES = [
    # (values of one key, flagged): Access Analyzer's INVALID_CONDITION_DATA_TYPE
    (["10", 20], True),
    ([True, "false"], True),
    (["a", 1, False], True),
    ([1, 2.5], False),  # one JSON type: numbers
    (["10", "20"], False),
    ("10", False),  # a single value cannot mix
]


@pytest.mark.parametrize("values,flagged", MIXED_TYPES, ids=[str(v) for v, _ in MIXED_TYPES])
def test_values_of_one_key_share_a_json_type(values: Any, flagged: bool) -> None:
    result = lint_policy(policy({"StringEquals": {"aws:PrincipalTag/team": values}}))
    found = [f for f in result.findings if f.code == "INVALID_CONDITION_DATA_TYPE"]
    assert [f.path for f in found] == ([at("StringEquals", "aws:PrincipalTag/team")] if flagged else [])


IF_EXISTS = [
    ("ForAnyValue:StringEqualsIfExists", True),
    ("ForAllValues:StringLikeIfExists", True),
    ("foranyvalue:StringNotEqualsIfExists", True),
    ("ForAnyValue:StringEquals", False),
    ("StringEqualsIfExists", False),  # without a set qualifier IfExists does what it says
]


@pytest.mark.parametrize("operator,flagged", IF_EXISTS, ids=[o for o, _ in IF_EXISTS])
def test_if_exists_under_a_set_qualifier(operator: str, flagged: bool) -> None:
    result = lint_policy(policy({operator: {"aws:TagKeys": ["team"]}}))
    found = [f for f in result.findings if f.code == "IF_EXISTS_WITH_SET_QUALIFIER"]
    assert [f.path for f in found] == ([("Statement", 0, "Condition", operator)] if flagged else [])
