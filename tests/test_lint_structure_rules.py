"""The structure rules: elements, principals, security, size and redundancy.

Every rule flags its own example and not its near miss; tables cover the tricky cases;
the pattern-inclusion helpers behind REDUNDANT_STATEMENT and the Deny-aware warnings are
tested on their own; and the AWS managed policies (../shared/corpus, when present) must
produce no ERROR from these rules.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from policyengine.lint.checks import _coverage, elements, principals, redundancy, security, size
from policyengine.lint.document import LintDocument
from policyengine.lint.finding import Finding, Severity
from policyengine.lint.rules import Rule, all_rules
from policyengine.parsing import parse_policy

MODULES = (elements, principals, security, size, redundancy)
RULES: tuple[Rule, ...] = tuple(rule for module in MODULES for rule in module.RULES)
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "aws-managed-policies"
AA_CODES = Path(__file__).resolve().parents[1] / "policyengine" / "data" / "access_analyzer_codes.json"


def document(
    policy: dict[str, Any] | str,
    policy_type: str = "identity",
    *,
    resource_kind: str | None = None,
    document_path: tuple[str | int, ...] = (),
    size: int | None = None,
) -> LintDocument:
    text = policy if isinstance(policy, str) else json.dumps(policy, indent=2)
    return LintDocument(
        policy=parse_policy(text, file="p.json", locations=True),
        raw=json.loads(text),
        policy_type=policy_type,
        file="p.json",
        document_path=document_path,
        resource_kind=resource_kind,
        size=size,
    )


def lint(policy: dict[str, Any] | str, policy_type: str = "identity", **kwargs: Any) -> list[Finding]:
    doc = document(policy, policy_type, **kwargs)
    found: list[Finding] = []
    for rule in RULES:
        if rule.applies_to(policy_type):
            found.extend(rule.check(doc))
    return found


def codes(policy: dict[str, Any] | str, policy_type: str = "identity", **kwargs: Any) -> list[str]:
    return sorted(f.code for f in lint(policy, policy_type, **kwargs))


def found(policy: dict[str, Any], code: str, policy_type: str = "identity", **kwargs: Any) -> list[Finding]:
    return [f for f in lint(policy, policy_type, **kwargs) if f.code == code]


def policy(*statements: dict[str, Any], version: str | None = "2012-10-17") -> dict[str, Any]:
    out: dict[str, Any] = {} if version is None else {"Version": version}
    out["Statement"] = list(statements)
    return out


GET = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}
ACCOUNT = {"AWS": "arn:aws:iam::111122223333:root"}
FUNCTION = "arn:aws:lambda:us-east-1:111122223333:function:report"


# -- metadata, examples and near misses ------------------------------------------------------


def test_codes_are_unique_and_registered() -> None:
    registered = {rule.code for rule in all_rules()}
    mine = [rule.code for rule in RULES]
    assert len(mine) == len(set(mine))
    assert set(mine) <= registered


def test_access_analyzer_codes_and_severities_match_access_analyzer() -> None:
    table = {c["code"]: c["severity"] for c in json.loads(AA_CODES.read_text())["codes"]}
    for rule in RULES:
        if rule.access_analyzer:
            assert rule.code in table, rule.code
            assert table[rule.code] == rule.severity.value, rule.code
        else:
            assert rule.code not in table, f"{rule.code} is Access Analyzer's: set access_analyzer"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_metadata(rule: Rule) -> None:
    assert rule.code == rule.code.upper() and " " not in rule.code
    assert rule.summary and rule.learn_more
    assert rule.example and rule.near_miss
    assert rule.applies_to(rule.example_policy_type)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_example_is_flagged_with_a_located_actionable_message(rule: Rule) -> None:
    hits = found(rule.example, rule.code, rule.example_policy_type, resource_kind=rule.example_resource_kind)
    assert hits, f"{rule.code} does not flag its own example"
    for hit in hits:
        assert hit.severity is rule.severity
        assert hit.line is not None and hit.column is not None
        assert hit.message and not hit.message[0].isupper(), hit.message
        assert not hit.message.endswith("."), hit.message


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_near_miss_is_not_flagged(rule: Rule) -> None:
    assert found(rule.near_miss, rule.code, rule.example_policy_type, resource_kind=rule.example_resource_kind) == []


# -- elements --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statement", "policy_type", "expected"),
    [
        ({**GET, "Principal": ACCOUNT}, "identity", ["UNSUPPORTED_PRINCIPAL"]),
        ({**GET, "Principal": ACCOUNT}, "boundary", ["UNSUPPORTED_PRINCIPAL"]),
        ({**GET, "Effect": "Deny", "NotPrincipal": ACCOUNT}, "identity", ["UNSUPPORTED_PRINCIPAL"]),
        ({**GET, "Principal": ACCOUNT}, "resource", []),
        ({**GET, "Principal": "*"}, "scp", ["SCP_SYNTAX_ERROR_PRINCIPAL"]),
        (GET, "resource", ["MISSING_PRINCIPAL"]),
        ({**GET, "Effect": "Deny", "NotPrincipal": ACCOUNT}, "resource", []),
        ({"Effect": "Allow", "Action": "sts:AssumeRole"}, "trust", ["MISSING_PRINCIPAL"]),
        ({"Effect": "Allow", "Action": "s3:GetObject"}, "identity", ["MISSING_RESOURCE"]),
        ({"Effect": "Allow", "Action": "s3:GetObject"}, "boundary", ["MISSING_RESOURCE"]),
        # ECR and other resource policies have no Resource; SCPs are not checked for it.
        ({"Effect": "Allow", "Action": "ecr:BatchGetImage", "Principal": ACCOUNT}, "resource", []),
        ({"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"}, "scp", []),
    ],
)
def test_elements_per_policy_type(statement: dict[str, Any], policy_type: str, expected: list[str]) -> None:
    assert codes(policy(statement), policy_type) == expected


def test_principal_findings_point_at_the_element() -> None:
    hit = found(policy({**GET, "Principal": ACCOUNT}), "UNSUPPORTED_PRINCIPAL")[0]
    assert hit.path == ("Statement", 0, "Principal")
    assert (hit.line, hit.column) == (8, 7)


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ({"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "sts:AssumeRole"}, []),
        ({"Effect": "Deny", "NotPrincipal": ACCOUNT, "Action": "sts:AssumeRole"},
         ["ROLE_TRUST_POLICY_SYNTAX_ERROR_NOTPRINCIPAL"]),
        ({"Effect": "Allow", "Principal": ACCOUNT, "Action": "sts:AssumeRole", "NotResource": "*"},
         ["ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE"]),
        # The bare `*` is an error; {"AWS": "*"} is accepted but is a security warning.
        ({"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"},
         ["ROLE_TRUST_POLICY_UNSUPPORTED_WILDCARD_IN_PRINCIPAL"]),
        ({"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"},
         ["TRUST_POLICY_ANY_PRINCIPAL"]),
    ],
)
def test_trust_policy_elements(statement: dict[str, Any], expected: list[str]) -> None:
    assert codes(policy(statement), "trust") == expected


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ({"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}, []),
        ({"Effect": "Allow", "Principal": "*", "Action": ["*"], "Resource": ["*"]}, []),
        ({"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*",
          "Condition": {"Bool": {"aws:SecureTransport": "true"}}}, ["RCP_SYNTAX_ERROR_ALLOW"]),
        ({"Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:*", "Resource": "*"},
         ["RCP_SYNTAX_ERROR_PRINCIPAL"]),
        ({"Effect": "Deny", "Action": "s3:*", "Resource": "*"}, ["RCP_SYNTAX_ERROR_PRINCIPAL"]),
        ({"Effect": "Deny", "NotPrincipal": ACCOUNT, "Action": "s3:*", "Resource": "*"},
         ["RCP_SYNTAX_ERROR_PRINCIPAL"]),
        ({"Effect": "Deny", "Principal": "*", "Action": "s3:*", "NotResource": "arn:aws:s3:::logs/*"}, []),
    ],
)
def test_rcp_grammar(statement: dict[str, Any], expected: list[str]) -> None:
    assert codes(policy(statement), "rcp") == expected


@pytest.mark.parametrize(
    ("document_", "expected"),
    [
        (policy(GET, version=None), ["MISSING_VERSION"]),
        (policy(GET, version="2008-10-17"), ["OLD_VERSION"]),
        (policy({**GET, "Condition": {"StringLike": {"s3:prefix": "home/${aws:username}/*"}}}, version="2008-10-17"),
         ["OLD_VERSION", "VARIABLE_UNSUPPORTED_IN_VERSION"]),
        (policy({**GET, "Condition": {"StringLike": {"s3:prefix": "home/${aws:username}/*"}}}), []),
        # Variables only work in String and ARN operators anyway: not this rule's business.
        (policy({**GET, "Condition": {"NumericLessThan": {"s3:max-keys": "${aws:username}"}}}, version=None),
         ["MISSING_VERSION"]),
        # An escape is not a variable.
        (policy({**GET, "Resource": "arn:aws:s3:::reports/${*}"}, version=None), ["MISSING_VERSION"]),
    ],
)
def test_version_and_variables(document_: dict[str, Any], expected: list[str]) -> None:
    assert codes(document_) == expected


def test_variable_in_version_points_at_the_value() -> None:
    doc = policy(
        {**GET, "Resource": ["arn:aws:s3:::reports", "arn:aws:s3:::home/${aws:username}/*"],
         "Condition": {"StringEquals": {"aws:PrincipalTag/owner": ["x", "${aws:userid}"]}}},
        version=None,
    )
    paths = [f.path for f in found(doc, "VARIABLE_UNSUPPORTED_IN_VERSION")]
    assert paths == [
        ("Statement", 0, "Resource", 1),
        ("Statement", 0, "Condition", "StringEquals", "aws:PrincipalTag/owner", 1),
    ]


@pytest.mark.parametrize(
    ("policy_type", "kind", "expected"),
    [
        ("identity", None, ["UNIQUE_SIDS_REQUIRED"]),
        ("trust", None, ["UNIQUE_SIDS_REQUIRED"]),
        ("resource", "sns:topic", ["UNIQUE_SIDS_REQUIRED"]),
        ("resource", "lambda:function", ["UNIQUE_SIDS_REQUIRED"]),
        ("resource", "s3:bucket", ["UNIQUE_SIDS_RECOMMENDED"]),
        ("resource", None, ["UNIQUE_SIDS_RECOMMENDED"]),
        ("scp", None, ["UNIQUE_SIDS_RECOMMENDED"]),
    ],
)
def test_duplicate_sids_by_policy_type(policy_type: str, kind: str | None, expected: list[str]) -> None:
    first = {"Sid": "Same", "Effect": "Allow", "Action": "sts:AssumeRole", "Principal": ACCOUNT}
    second = {**first, "Action": "sts:TagSession"}
    if policy_type in ("resource", "identity", "scp"):
        first = {**first, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::a/*"}
        second = {**first, "Resource": "arn:aws:s3:::b/*"}
    if policy_type in ("identity", "scp"):
        first = {k: v for k, v in first.items() if k != "Principal"}
        second = {k: v for k, v in second.items() if k != "Principal"}
    hits = [f for f in lint(policy(first, second), policy_type, resource_kind=kind) if "SID" in f.code]
    assert [f.code for f in hits] == expected
    assert hits[0].path == ("Statement", 1, "Sid")


def test_empty_sids_are_not_duplicates() -> None:
    assert codes(policy({**GET, "Sid": ""}, {**GET, "Sid": "", "Resource": "arn:aws:s3:::x/*"})) == [
        "EMPTY_SID_VALUE",
        "EMPTY_SID_VALUE",
    ]


@pytest.mark.parametrize(
    ("operator", "expected"),
    [
        ("StringEquals", "EMPTY_ARRAY_CONDITION"),
        ("Null", "EMPTY_ARRAY_CONDITION"),
        ("StringLikeIfExists", "EMPTY_ARRAY_CONDITION_IFEXISTS"),
        ("ForAllValues:StringLike", "EMPTY_ARRAY_CONDITION_FORALLVALUES"),
        ("ForAnyValue:StringEqualsIfExists", "EMPTY_ARRAY_CONDITION_FORANYVALUE"),
        ("forallvalues:stringequals", "EMPTY_ARRAY_CONDITION_FORALLVALUES"),
    ],
)
def test_empty_condition_values_by_operator(operator: str, expected: str) -> None:
    hits = lint(policy({**GET, "Condition": {operator: {"aws:TagKeys": []}}}))
    assert [(f.code, f.path) for f in hits] == [
        (expected, ("Statement", 0, "Condition", operator, "aws:TagKeys"))
    ]


def test_empty_arrays_and_objects_point_at_the_node() -> None:
    doc = policy(
        {"Effect": "Allow", "NotAction": [], "Resource": [], "Principal": {"AWS": [], "Service": "s3.amazonaws.com"},
         "Condition": {}},
        {"Effect": "Deny", "Action": "s3:*", "Resource": "*", "NotPrincipal": {}},
    )
    hits = {(f.code, f.path) for f in lint(doc, "resource")}
    assert {
        ("EMPTY_ARRAY_ACTION", ("Statement", 0, "NotAction")),
        ("EMPTY_ARRAY_RESOURCE", ("Statement", 0, "Resource")),
        ("EMPTY_ARRAY_PRINCIPAL", ("Statement", 0, "Principal", "AWS")),
        ("EMPTY_OBJECT_CONDITION", ("Statement", 0, "Condition")),
        ("EMPTY_OBJECT_PRINCIPAL", ("Statement", 1, "NotPrincipal")),
    } <= hits


# -- principals ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("*", ["PUBLIC_RESOURCE_POLICY"]),
        ("111122223333", []),
        ("arn:aws:iam::111122223333:root", []),
        ("arn:aws:iam::111122223333:user/division/alice", []),
        ("arn:aws-cn:iam::111122223333:role/path/to/app", []),
        ("arn:aws-us-gov:iam::111122223333:role/app", []),
        ("arn:aws:sts::111122223333:assumed-role/app/session-1", []),
        ("arn:aws:sts::111122223333:federated-user/bob", []),
        ("arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2QWRUHAPOMQZL", []),
        ("arn:aws:iam::${AWS::AccountId}:root", []),  # an unresolved template: unknown, left alone
        ("AROAEXAMPLEID1234567", ["INVALID_ROLE_REFERENCE"]),
        ("AIDAEXAMPLEID1234567", ["INVALID_USER_REFERENCE"]),
        ("12345", ["INVALID_PRINCIPAL_VALUE"]),
        ("arn:aws:s3:::reports", ["INVALID_PRINCIPAL_VALUE"]),
        ("arn:aws:iam::111122223333:group/readers", ["INVALID_PRINCIPAL_VALUE"]),
        ("arn:aws:iam::111122223333:saml-provider/Okta", ["INVALID_PRINCIPAL_VALUE"]),
        ("arn:aws:sts::111122223333:assumed-role/app", ["INVALID_PRINCIPAL_VALUE"]),
        ("arn:aws:iam::11112222333:root", ["INVALID_PRINCIPAL_VALUE"]),
        ("lambda.amazonaws.com", ["INVALID_PRINCIPAL_VALUE"]),
        ("arn:aws:iam::*:root", ["UNSUPPORTED_WILDCARD_IN_PRINCIPAL"]),
        ("arn:aws:iam::111122223333:role/app-*", ["UNSUPPORTED_WILDCARD_IN_PRINCIPAL"]),
        ("arn:aws:sts::111122223333:assumed-role/app/*", ["UNSUPPORTED_WILDCARD_IN_PRINCIPAL"]),
        ("arn:aws:iam::1111?2223333:root", ["UNSUPPORTED_WILDCARD_IN_PRINCIPAL"]),
        ("arn:aws:iam::1234:role/*", ["INVALID_PRINCIPAL_VALUE", "UNSUPPORTED_WILDCARD_IN_PRINCIPAL"]),
    ],
)
def test_aws_principal_values(value: str, expected: list[str]) -> None:
    assert codes(policy({**GET, "Principal": {"AWS": value}}), "resource") == expected


def test_session_wildcard_message_asks_for_one_session() -> None:
    hit = found(policy({**GET, "Principal": {"AWS": ["111122223333", "arn:aws:sts::111122223333:assumed-role/app/*"]}}),
                "UNSUPPORTED_WILDCARD_IN_PRINCIPAL", "resource")[0]
    assert hit.path == ("Statement", 0, "Principal", "AWS", 1)
    assert "one specific session" in hit.message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("lambda.amazonaws.com", []),
        ("logs.us-east-1.amazonaws.com", []),
        ("ec2.amazonaws.com.cn", []),
        ("alexa-appkit.amazon.com", []),
        ("LAMBDA.amazonaws.com", ["INVALID_SERVICE_PRINCIPAL_FORMAT"]),
        ("lambda.amazonaws", ["INVALID_SERVICE_PRINCIPAL_FORMAT"]),
        ("lambda", ["INVALID_SERVICE_PRINCIPAL_FORMAT"]),
        ("arn:aws:iam::111122223333:role/app", ["INVALID_SERVICE_PRINCIPAL_FORMAT"]),
        ("*.amazonaws.com", ["UNSUPPORTED_WILDCARD_IN_PRINCIPAL"]),
        ("*", ["UNSUPPORTED_WILDCARD_IN_PRINCIPAL"]),
    ],
)
def test_service_principal_values(value: str, expected: list[str]) -> None:
    statement = {**GET, "Principal": {"Service": value},
                 "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}}
    assert codes(policy(statement), "resource") == expected


def test_service_principal_messages_suggest_the_fix() -> None:
    def message(value: str) -> str:
        statement = {**GET, "Principal": {"Service": value},
                     "Condition": {"StringEquals": {"aws:SourceAccount": "111122223333"}}}
        return found(policy(statement), "INVALID_SERVICE_PRINCIPAL_FORMAT", "resource")[0].message

    assert "`lambda.amazonaws.com`" in message("LAMBDA.amazonaws.com")
    assert "`lambda.amazonaws.com`" in message("lambda.amazonaws")
    assert "`sns.amazonaws.com`" in message("sns")


TRUST_SAML = {"Effect": "Allow", "Action": "sts:AssumeRoleWithSAML",
              "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/Okta"},
              "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}}
COGNITO = {"Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity",
           "Principal": {"Federated": "cognito-identity.amazonaws.com"},
           "Condition": {"StringEquals": {"cognito-identity.amazonaws.com:aud": "us-east-1:1234-abcd"}}}


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        (TRUST_SAML, []),
        (COGNITO, []),
        ({**TRUST_SAML, "Action": ["sts:AssumeRoleWithSAML", "sts:TagSession"]}, []),
        ({**TRUST_SAML, "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/"}},
         ["INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY"]),
        ({**TRUST_SAML, "Principal": {"Federated": "arn:aws:iam::1111:saml-provider/Okta"}},
         ["INVALID_FEDERATED_PRINCIPAL_SYNTAX_IN_ROLE_TRUST_POLICY"]),
        ({**TRUST_SAML, "Action": "sts:AssumeRole"}, ["MISMATCHED_ACTION_FOR_PRINCIPAL"]),
        ({**TRUST_SAML, "Action": "sts:AssumeRoleWithWebIdentity"}, ["MISMATCHED_ACTION_FOR_PRINCIPAL"]),
        ({**COGNITO, "Action": "sts:AssumeRoleWithSAML"}, ["MISMATCHED_ACTION_FOR_PRINCIPAL"]),
        ({"Effect": "Allow", "Principal": ACCOUNT, "Action": "sts:AssumeRoleWithSAML"},
         ["MISMATCHED_ACTION_FOR_PRINCIPAL"]),
        ({"Effect": "Allow", "Principal": {"Service": "rolesanywhere.amazonaws.com"},
          "Action": ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]}, []),
        # A principal of each type, an action of each type: every action fits some principal.
        ({**TRUST_SAML, "Principal": {**TRUST_SAML["Principal"], **ACCOUNT},
          "Action": ["sts:AssumeRole", "sts:AssumeRoleWithSAML"]}, []),
    ],
)
def test_federated_principals_in_trust_policies(statement: dict[str, Any], expected: list[str]) -> None:
    assert codes(policy(statement), "trust") == expected


def test_mismatched_action_points_at_the_action() -> None:
    statement = {**TRUST_SAML, "Action": ["sts:TagSession", "sts:AssumeRoleWithWebIdentity"]}
    hit = found(policy(statement), "MISMATCHED_ACTION_FOR_PRINCIPAL", "trust")[0]
    assert hit.path == ("Statement", 0, "Action", 1)


def test_federated_principal_in_a_resource_policy() -> None:
    statement = {**GET, "Principal": {"Federated": "cognito-identity.amazonaws.com", "AWS": "111122223333"}}
    assert [(f.code, f.path) for f in lint(policy(statement), "resource")] == [
        ("FEDERATED_PRINCIPAL_NOT_SUPPORTED", ("Statement", 0, "Principal", "Federated"))
    ]


# -- security: public and open grants --------------------------------------------------------

PUBLIC_GET = {**GET, "Principal": "*"}
ORG_DENY = {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::reports/*",
            "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}


@pytest.mark.parametrize(
    ("statements", "public"),
    [
        ([PUBLIC_GET], True),
        ([{**GET, "Principal": {"AWS": "*"}}], True),
        ([{**GET, "Principal": {"AWS": ["arn:aws:iam::111122223333:root", "*"]}}], True),
        ([{**GET, "Principal": ACCOUNT}], False),
        # conditions that pin down the caller
        ([{**PUBLIC_GET, "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}], False),
        ([{**PUBLIC_GET, "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}}], False),
        ([{**PUBLIC_GET, "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}], False),
        ([{**PUBLIC_GET, "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/*"}}}], False),
        ([{**PUBLIC_GET, "Condition": {"StringEquals": {"kms:CallerAccount": "111122223333",
                                                         "kms:ViaService": "s3.us-east-1.amazonaws.com"}}}], False),
        ([{**PUBLIC_GET, "Condition": {"ForAnyValue:StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}], False),
        # a data perimeter: the caller's organization must be the resource's
        ([{**PUBLIC_GET, "Condition": {"StringEquals": {"aws:PrincipalOrgID": "${aws:ResourceOrgID}"}}}], False),
        ([{**PUBLIC_GET, "Condition": {"StringEquals": {"aws:PrincipalAccount": "${aws:PrincipalAccount}"}}}], True),
        # conditions that do not
        ([{**PUBLIC_GET, "Condition": {"StringEqualsIfExists": {"aws:SourceVpce": "vpce-1a2b3c4d"}}}], True),
        ([{**PUBLIC_GET, "Condition": {"StringNotEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}], True),
        ([{**PUBLIC_GET, "Condition": {"StringLike": {"aws:PrincipalOrgID": "o-*"}}}], True),
        ([{**PUBLIC_GET, "Condition": {"ForAllValues:StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}], True),
        ([{**PUBLIC_GET, "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/admin"}}}], True),
        ([{**PUBLIC_GET, "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::*"}}}], True),
        ([{**PUBLIC_GET, "Condition": {"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}}}], True),
        ([{**PUBLIC_GET, "Condition": {"Bool": {"aws:SecureTransport": "true"}}}], True),
        ([{**PUBLIC_GET, "Condition": {"StringEquals": {"aws:username": "alice"}}}], True),
        ([{**PUBLIC_GET, "Condition": {"Null": {"aws:PrincipalOrgID": "false"}}}], True),
        # Deny statements in the same document
        ([PUBLIC_GET, ORG_DENY], False),
        ([PUBLIC_GET, {**ORG_DENY, "Action": "s3:PutObject"}], True),  # does not cover the grant
        ([PUBLIC_GET, {**ORG_DENY, "Condition": {**ORG_DENY["Condition"],
                                                  "Bool": {"aws:SecureTransport": "false"}}}], True),
        ([PUBLIC_GET, {"Effect": "Deny", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}], False),
        ([PUBLIC_GET, {"Effect": "Deny", "NotPrincipal": ACCOUNT, "Action": "s3:*", "Resource": "*"}], False),
        # {"AWS": "*"} does not name service principals, which "*" lets in
        ([PUBLIC_GET, {**ORG_DENY, "Principal": {"AWS": "*"}}], True),
        ([{**GET, "Principal": {"AWS": "*"}}, {**ORG_DENY, "Principal": {"AWS": "*"}}], False),
        ([PUBLIC_GET, {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*",
                       "Condition": {"StringNotEqualsIfExists": {"aws:SourceVpce": "vpce-1a2b3c4d"}}}], False),
        ([PUBLIC_GET, {"Effect": "Deny", "Principal": "*", "Action": "*", "Resource": "*",
                       "Condition": {"StringNotEqualsIfExists": {"aws:PrincipalOrgID": "${aws:ResourceOrgID}"}}}],
         False),
    ],
)
def test_public_resource_policy(statements: list[dict[str, Any]], public: bool) -> None:
    hits = found(policy(*statements), "PUBLIC_RESOURCE_POLICY", "resource")
    assert bool(hits) is public
    if public:
        assert hits[0].path[:3] == ("Statement", 0, "Principal")


@pytest.mark.parametrize(
    ("condition", "flagged"),
    [
        (None, True),
        ({"StringEquals": {"sts:ExternalId": "shared-secret"}}, True),
        ({"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}, False),
        ({"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/ci"}}, False),
    ],
)
def test_trust_policy_any_principal(condition: dict[str, Any] | None, flagged: bool) -> None:
    statement: dict[str, Any] = {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "sts:AssumeRole"}
    if condition:
        statement["Condition"] = condition
    hits = found(policy(statement), "TRUST_POLICY_ANY_PRINCIPAL", "trust")
    assert bool(hits) is flagged
    if flagged:
        assert hits[0].path == ("Statement", 0, "Principal", "AWS")


GITHUB = "token.actions.githubusercontent.com"
GITHUB_TRUST = {"Effect": "Allow", "Action": "sts:AssumeRoleWithWebIdentity",
                "Principal": {"Federated": f"arn:aws:iam::111122223333:oidc-provider/{GITHUB}"}}
EKS = "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ({**GITHUB_TRUST}, ["MISSING_GITHUB_REPO_CONDITION_KEY"]),
        ({**GITHUB_TRUST, "Condition": {"StringEquals": {f"{GITHUB}:aud": "sts.amazonaws.com"}}},
         ["MISSING_GITHUB_REPO_CONDITION_KEY"]),
        ({**GITHUB_TRUST, "Condition": {"StringLike": {f"{GITHUB}:sub": "repo:*"}}},
         ["MISSING_GITHUB_REPO_CONDITION_KEY"]),
        ({**GITHUB_TRUST, "Condition": {"StringNotLike": {f"{GITHUB}:sub": "repo:evil/*"}}},
         ["MISSING_GITHUB_REPO_CONDITION_KEY"]),
        ({**GITHUB_TRUST, "Condition": {"StringLike": {f"{GITHUB}:sub": "repo:octo-org/octo-repo:*"}}},
         ["SPECIFIC_GITHUB_REPO_AND_BRANCH_RECOMMENDED"]),
        ({**GITHUB_TRUST, "Condition": {"StringEquals": {f"{GITHUB}:sub": "repo:octo-org/octo-repo:environment:prod"}}},
         []),
        ({**GITHUB_TRUST, "Principal": {"Federated": f"arn:aws:iam::111122223333:oidc-provider/{EKS}"}},
         ["MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL"]),
        ({**GITHUB_TRUST, "Principal": {"Federated": f"arn:aws:iam::111122223333:oidc-provider/{EKS}"},
          "Condition": {"StringEquals": {f"{EKS}:sub": "system:serviceaccount:default:app"}}}, []),
        ({**COGNITO, "Condition": {}}, ["EMPTY_OBJECT_CONDITION", "MISSING_CONDITION_KEY_FOR_OIDC_PRINCIPAL"]),
        (COGNITO, []),
    ],
)
def test_oidc_trust_conditions(statement: dict[str, Any], expected: list[str]) -> None:
    assert codes(policy(statement), "trust") == expected


INVOKE = {"Effect": "Allow", "Action": "lambda:InvokeFunction", "Resource": FUNCTION}


@pytest.mark.parametrize(
    ("service", "condition", "flagged"),
    [
        ("s3.amazonaws.com", None, True),
        ("s3.amazonaws.com", {"StringEquals": {"aws:SourceAccount": "111122223333"}}, False),
        ("s3.amazonaws.com", {"ArnLike": {"AWS:SourceArn": "arn:aws:s3:::uploads"}}, True),  # no account in it
        ("s3.amazonaws.com", {"ArnLike": {"AWS:SourceArn": "arn:aws:s3:::uploads"},
                              "StringEquals": {"AWS:SourceAccount": "111122223333"}}, False),
        ("apigateway.amazonaws.com",
         {"ArnLike": {"aws:SourceArn": "arn:aws:execute-api:us-east-1:111122223333:a1b2c3/*"}}, False),
        ("apigateway.amazonaws.com", {"ArnLike": {"aws:SourceArn": "arn:aws:execute-api:us-east-1:*:a1b2c3/*"}}, True),
        ("events.amazonaws.com", {"StringEqualsIfExists": {"aws:SourceAccount": "111122223333"}}, True),
        ("events.amazonaws.com", {"StringEquals": {"aws:SourceOrgID": "o-a1b2c3d4e5"}}, False),
        ("alexa-appkit.amazon.com", {"StringEquals": {"lambda:EventSourceToken": "amzn1.ask.skill.1234"}}, False),
        ("logs.us-east-1.amazonaws.com",
         {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:111122223333:log-group:*"}},
         False),
    ],
)
def test_service_principal_source_conditions(service: str, condition: dict[str, Any] | None, flagged: bool) -> None:
    statement: dict[str, Any] = {**INVOKE, "Principal": {"Service": service}}
    if condition:
        statement["Condition"] = condition
    hits = found(policy(statement), "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL", "resource",
                 resource_kind="lambda:function")
    assert bool(hits) is flagged
    if flagged:
        assert hits[0].path == ("Statement", 0, "Principal", "Service")


def test_service_principal_messages() -> None:
    bare = found(policy({**INVOKE, "Principal": {"Service": "sns.amazonaws.com"}}),
                 "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL", "resource", resource_kind="lambda:function")[0]
    assert "confused deputy" in bare.message and "add-permission" in bare.message
    s3 = found(policy({**INVOKE, "Principal": {"Service": "s3.amazonaws.com"},
                       "Condition": {"ArnLike": {"aws:SourceArn": "arn:aws:s3:::uploads"}}}),
               "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL", "resource")[0]
    assert "`aws:SourceAccount`" in s3.message


def test_service_principal_deny_silences() -> None:
    deny = {"Effect": "Deny", "Principal": "*", "Action": "lambda:InvokeFunction", "Resource": FUNCTION,
            "Condition": {"StringNotEquals": {"aws:SourceAccount": "111122223333"}}}
    grant = {**INVOKE, "Principal": {"Service": "s3.amazonaws.com"}}
    assert found(policy(grant, deny), "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL", "resource") == []
    # {"AWS": "*"} does not name service principals, so it does not cover the grant.
    deny_aws = {**deny, "Principal": {"AWS": "*"}}
    assert found(policy(grant, deny_aws), "RESTRICT_ACCESS_TO_SERVICE_PRINCIPAL", "resource")


@pytest.mark.parametrize(
    ("statements", "expected"),
    [
        ([{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}], ["ALLOW_WITH_NOT_ACTION"]),
        ([{"Effect": "Allow", "NotAction": "iam:*", "Resource": "arn:aws:*:*:111122223333:*"}],
         ["ALLOW_WITH_NOT_ACTION"]),
        ([{"Effect": "Allow", "NotAction": "s3:DeleteObject", "Resource": "arn:aws:s3:::reports/*"}], []),
        ([{"Effect": "Deny", "NotAction": "iam:*", "Resource": "*"}], []),
        # Deny everything but iam:*: blocks the whole grant.
        ([{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
          {"Effect": "Deny", "NotAction": "iam:*", "Resource": "*"}], []),
        ([{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
          {"Effect": "Deny", "NotAction": "iam:Get*", "Resource": "*"}], []),
        # Deny everything but iam:* and sts:*: sts:* stays granted.
        ([{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
          {"Effect": "Deny", "NotAction": ["iam:*", "sts:*"], "Resource": "*"}], ["ALLOW_WITH_NOT_ACTION"]),
        ([{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
          {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}],
         ["ALLOW_WITH_NOT_ACTION"]),
        ([{"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::secret/*"}],
         ["ALLOW_WITH_NOT_RESOURCE"]),
        ([{"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::secret/*"},
          {"Effect": "Deny", "Action": "s3:*", "NotResource": "arn:aws:s3:::secret/*"}], []),
        ([{"Effect": "Allow", "NotAction": "iam:*", "NotResource": "arn:aws:s3:::secret/*"}],
         ["ALLOW_WITH_NOT_ACTION", "ALLOW_WITH_NOT_RESOURCE"]),
        # An inert statement (empty Action) grants nothing.
        ([{"Effect": "Allow", "Action": [], "NotResource": "arn:aws:s3:::secret/*"}], ["EMPTY_ARRAY_ACTION"]),
    ],
)
def test_not_action_and_not_resource(statements: list[dict[str, Any]], expected: list[str]) -> None:
    assert codes(policy(*statements)) == expected


NEVER = "DENY_NEGATED_CONDITION_NEVER_APPLIES"
DENY = {"Effect": "Deny", "Action": "s3:*", "Resource": "*"}


@pytest.mark.parametrize(
    ("condition", "flagged"),
    [
        ({"StringNotLike": {"aws:PrincipalArn": "*"}}, True),
        ({"StringNotLike": {"aws:PrincipalArn": ["arn:aws:iam::111122223333:role/admin", "*"]}}, True),
        ({"ArnNotLike": {"aws:PrincipalArn": "arn:*:*:*:*:*"}}, True),
        ({"NotIpAddress": {"aws:SourceIp": ["0.0.0.0/0", "::/0"]}}, True),
        ({"NotIpAddress": {"aws:SourceIp": "0.0.0.0/0"}}, False),  # IPv6 requests are still denied
        ({"StringNotEquals": {"aws:PrincipalArn": "*"}}, False),  # `*` is literal here
        ({"ForAnyValue:StringNotLike": {"aws:TagKeys": "*"}}, False),  # set operators: out of scope
        ({"StringNotEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-central-1"]}}, False),  # NOR, as meant
        ({"StringEquals": {"aws:RequestedRegion": "us-east-1"},
          "StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}}, True),
        ({"StringEquals": {"aws:RequestedRegion": "us-east-2"},
          "StringNotEquals": {"aws:RequestedRegion": ["us-east-1", "eu-west-1"]}}, False),
        ({"StringLike": {"aws:RequestedRegion": "eu-*"}, "StringNotLike": {"aws:RequestedRegion": "*-*"}}, True),
        ({"StringEqualsIfExists": {"aws:RequestedRegion": "us-east-1"},
          "StringNotEquals": {"aws:RequestedRegion": "us-east-1"}}, False),  # applies when the key is missing
        ({"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/a"},
          "ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/*"}}, True),
        ({"StringEquals": {"aws:username": "alice"}, "StringNotEqualsIgnoreCase": {"aws:username": "ALICE"}}, True),
        ({"StringEqualsIgnoreCase": {"aws:username": "alice"}, "StringNotEquals": {"aws:username": "alice"}}, False),
    ],
)
def test_deny_negated_condition_never_applies(condition: dict[str, Any], flagged: bool) -> None:
    assert bool(found(policy({**DENY, "Condition": condition}), NEVER)) is flagged
    # The same condition in an Allow is not this rule's business.
    assert found(policy({**DENY, "Effect": "Allow", "Condition": condition}), NEVER) == []


def test_deny_never_messages() -> None:
    missing = found(policy({**DENY, "Condition": {"StringNotLike": {"aws:SourceVpce": "*"}}}), NEVER)[0]
    assert missing.path == ("Statement", 0, "Condition", "StringNotLike", "aws:SourceVpce")
    assert '{"Null": {"aws:SourceVpce": "true"}}' in missing.message
    never = found(policy({**DENY, "Condition": {"StringNotLike": {"aws:SourceVpce": "*"},
                                                 "Null": {"aws:SourceVpce": "false"}}}), NEVER)[0]
    assert "never applies" in never.message


# -- size ------------------------------------------------------------------------------------


def _padded(count: int, **extra: Any) -> dict[str, Any]:
    return policy(*[
        {"Sid": f"S{i}", "Effect": "Allow", "Action": "s3:GetObject",
         "Resource": f"arn:aws:s3:::bucket-number-{i:05d}/*", **extra}
        for i in range(count)
    ])


def test_identity_size_uses_the_inline_quota_of_authorization_details() -> None:
    doc = _padded(55)  # about 5,700 characters
    assert codes(doc) == []
    role = ("RoleDetailList", 0, "RolePolicyList", 0, "PolicyDocument")
    user = ("UserDetailList", 0, "UserPolicyList", 0, "PolicyDocument")
    assert found(doc, "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA", document_path=role) == []
    hit = found(doc, "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA", document_path=user)[0]
    assert "2,048" in hit.message and hit.path == ()
    # A size measured by the caller wins.
    assert found(doc, "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA", size=7000)
    assert found(_padded(60), "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA")


@pytest.mark.parametrize(("kind", "flagged"), [("sqs:queue", True), ("s3:bucket", False), (None, False)])
def test_resource_size_by_kind(kind: str | None, flagged: bool) -> None:
    doc = _padded(80, Principal=ACCOUNT)  # about 12,500 bytes
    assert bool(found(doc, "POLICY_SIZE_EXCEEDS_RESOURCE_POLICY_QUOTA", "resource", resource_kind=kind)) is flagged


def test_whitespace_does_not_count() -> None:
    doc = _padded(55)
    compact = json.dumps(doc, separators=(",", ":"))
    assert len(compact) < 6144 < len(json.dumps(doc, indent=8))
    assert found(json.dumps(doc, indent=8), "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA") == []


# -- redundancy ------------------------------------------------------------------------------

REDUNDANT = "REDUNDANT_STATEMENT"
SECURE = {"Bool": {"aws:SecureTransport": "true"}}


@pytest.mark.parametrize(
    ("statements", "policy_type", "redundant"),
    [
        ([GET, GET], "identity", [1]),
        ([{**GET, "Action": "s3:Get*"}, GET], "identity", [1]),
        ([GET, {**GET, "Action": "s3:Get*"}], "identity", [0]),
        ([GET, {**GET, "Effect": "Deny"}], "identity", []),
        ([GET, {**GET, "Condition": SECURE}], "identity", [1]),
        ([{**GET, "Condition": SECURE}, GET], "identity", [0]),
        ([{**GET, "Condition": SECURE}, {**GET, "Condition": {"Bool": {"aws:SecureTransport": "false"}}}], "identity", []),
        ([{**GET, "Resource": "arn:aws:s3:::reports/2024/*"}, GET], "identity", [0]),
        ([{**GET, "Resource": "arn:aws:s3:*"}, GET], "identity", [1]),
        ([{**GET, "Resource": "arn:aws:s3:::home/*"}, {**GET, "Resource": "arn:aws:s3:::home/${aws:username}/*"}],
         "identity", [1]),
        ([{**GET, "Resource": "arn:aws:s3:::home/${aws:username}/*"}, {**GET, "Resource": "arn:aws:s3:::home/alice/*"}],
         "identity", []),
        ([{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}, {**GET, "Action": "s3:*"}], "identity", [1]),
        ([{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}, {**GET, "Action": "iam:Get*"}], "identity", []),
        ([{"Effect": "Deny", "Action": "s3:*", "NotResource": "arn:aws:s3:::a/*"},
          {"Effect": "Deny", "Action": "s3:*", "NotResource": ["arn:aws:s3:::a/*", "arn:aws:s3:::b/*"]}],
         "identity", [1]),
        ([{**GET, "Principal": "*"}, {**GET, "Principal": ACCOUNT}], "resource", [1]),
        ([{**GET, "Principal": ACCOUNT}, {**GET, "Principal": "*"}], "resource", [0]),
        ([{**GET, "Principal": {"AWS": "*"}}, {**GET, "Principal": {"Service": "s3.amazonaws.com"}}], "resource", []),
        ([{**GET, "Principal": {"AWS": ["111122223333", "444455556666"]}}, {**GET, "Principal": {"AWS": "111122223333"}}],
         "resource", [1]),
        ([{**GET, "Action": []}, GET], "identity", []),  # inert statements are EMPTY_ARRAY_ACTION's
    ],
)
def test_redundant_statement(statements: list[dict[str, Any]], policy_type: str, redundant: list[int]) -> None:
    hits = found(policy(*statements), REDUNDANT, policy_type)
    assert [f.path for f in hits] == [("Statement", i) for i in redundant]


def test_redundant_principal_in_trust_policy_with_a_role_path() -> None:
    statement = {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"AWS": [
        "arn:aws:iam::111122223333:role/ci/deployer", "arn:aws:sts::111122223333:assumed-role/deployer/run-1",
        "arn:aws:sts::444455556666:assumed-role/deployer/run-1"]}}
    hits = found(policy(statement), "REDUNDANT_PRINCIPAL_IN_ROLE_TRUST_POLICY", "trust")
    assert [f.path for f in hits] == [("Statement", 0, "Principal", "AWS", 1)]


@pytest.mark.parametrize(
    ("operator", "values", "redundant"),
    [
        ("NumericLessThan", ["2700", "3600"], [0]),
        ("NumericLessThanEquals", [3600, 2700, 1800], [1, 2]),
        ("NumericGreaterThan", ["5", "10"], [1]),
        ("ForAnyValue:NumericGreaterThanEquals", ["5", "10"], [1]),
        ("NumericEquals", ["5", "10"], []),
        ("NumericLessThan", ["5", "soon"], []),
        ("NumericLessThan", ["5"], []),
    ],
)
def test_redundant_numeric_values(operator: str, values: list[Any], redundant: list[int]) -> None:
    doc = policy({**GET, "Condition": {operator: {"aws:MultiFactorAuthAge": values}}})
    hits = found(doc, "REDUNDANT_CONDITION_VALUE_NUM")
    assert [f.path[-1] for f in hits] == redundant


# -- the pattern inclusion behind redundancy and Deny silencing ------------------------------


@pytest.mark.parametrize(
    ("inner", "outer", "covered"),
    [
        ("s3:GetObject", "s3:GetObject", True),
        ("s3:GetObject", "s3:Get*", True),
        ("s3:Get*", "s3:Get*", True),
        ("s3:Get*", "s3:G*", True),
        ("s3:G*", "s3:Get*", False),
        ("s3:Get?bject", "s3:Get*", True),
        ("s3:Get*", "s3:Get?bject", False),
        ("s3:*Object", "s3:*", True),
        ("s3:*Object", "s3:*Obj*", True),
        ("s3:*Obj*", "s3:*Object", False),
        ("a?c", "a?c", True),
        ("abc", "a?c", True),
        ("a*c", "a?c", False),
        ("*", "**", True),
        ("?*", "*?", False),  # equal languages; the check is sound, not complete
    ],
)
def test_glob_covers(inner: str, outer: str, covered: bool) -> None:
    assert _coverage.glob_covers(inner, outer) is covered


@pytest.mark.parametrize(
    ("first", "second", "meet"),
    [
        ("iam:*", "s3:*", False),
        ("iam:Get*", "iam:*Role", True),
        ("iam:GetRole", "iam:Get*", True),
        ("a?c", "ab*", True),
        ("abc", "abd", False),
        ("*x", "y*", True),
    ],
)
def test_globs_intersect(first: str, second: str, meet: bool) -> None:
    assert _coverage.globs_intersect(first, second) is meet


@pytest.mark.parametrize(
    ("inner", "outer", "covered"),
    [
        ("arn:aws:s3:::b/k", "arn:aws:s3:::b/*", True),
        ("arn:aws:s3:::b/k", "arn:aws:s3:*", True),
        ("arn:aws:s3:::b/k", "arn:*", True),
        ("arn:aws:s3:::b/k", "*bucket*", False),
        ("arn:aws:s3:::my-bucket/k", "*bucket*", True),
        ("arn:aws:ec2:us-east-1:111122223333:instance/i-1", "arn:aws:ec2:*:*:instance/*", True),
        ("arn:aws:ec2:us-east-1:111122223333:instance/i-1", "arn:aws:ec2:*:444455556666:instance/*", False),
        # A `*` inside the region segment cannot swallow the account's colon.
        ("arn:aws:ec2:us-east-1:111122223333:instance/i-1", "arn:aws:ec2:*:instance/*", False),
        ("arn:aws:s3:::home/${aws:username}/k", "arn:aws:s3:::home/*", True),
        ("arn:aws:s3:::home/alice/k", "arn:aws:s3:::home/${aws:username}/*", False),
    ],
)
def test_resource_covers(inner: str, outer: str, covered: bool) -> None:
    assert _coverage.resource_covers(inner, outer, variables=True) is covered


def test_pattern_sets_with_negation() -> None:
    P = _coverage.PatternSet
    cover = _coverage.actions_cover
    assert cover(P(("*",)), P(("iam:*",), negated=True))
    assert not cover(P(("s3:*",)), P(("iam:*",), negated=True))
    assert cover(P(("iam:*",), negated=True), P(("s3:GetObject",)))
    assert not cover(P(("iam:*",), negated=True), P(("iam:GetRole",)))
    assert cover(P(("iam:Get*",), negated=True), P(("iam:*",), negated=True))
    assert not cover(P(("iam:*",), negated=True), P(("iam:Get*",), negated=True))


# -- the AWS managed policies ----------------------------------------------------------------

# What these rules report on the corpus (1,523 policies, 2026-11 copy), checked by hand:
# - POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA (WARNING, 69): AWS managed policies may be
#   longer than the 6,144 characters customer managed ones may; a copy would not fit.
#   Access Analyzer reports the same on ReadOnlyAccess and others.
# - REDUNDANT_STATEMENT (SUGGESTION, 25): e.g. BedrockAgentCoreFullAccess statement
#   `BedrockAgentCoreS3Access` (s3:GetObject on `arn:aws:s3:::bedrock-agentcore-gateway-*`
#   with two conditions) inside `BedrockAgentCoreRuntimeS3ReadAccess` (s3:GetObject and
#   more on `arn:aws:s3:::*` with one of those conditions).
# - ALLOW_WITH_NOT_RESOURCE (SECURITY_WARNING, 8): e.g. SageMakerStudioProjectUserRolePolicy
#   allows glue:GetDatabases on everything but the default database.
# - ALLOW_WITH_NOT_ACTION (SECURITY_WARNING, 1): PowerUserAccess.
EXPECTED_ON_CORPUS = {
    "POLICY_SIZE_EXCEEDS_IDENTITY_POLICY_QUOTA",
    "REDUNDANT_STATEMENT",
    "ALLOW_WITH_NOT_RESOURCE",
    "ALLOW_WITH_NOT_ACTION",
}


@pytest.fixture(scope="module")
def corpus_findings() -> list[tuple[str, Finding]]:
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS}")
    files = sorted(CORPUS.glob("*.json"))
    if not files:
        pytest.skip(f"no policies in {CORPUS}")
    out = []
    for path in files:
        document_ = json.loads(path.read_text(encoding="utf-8"))["PolicyVersion"]["Document"]
        for finding in lint(document_ if isinstance(document_, dict) else json.loads(document_)):
            out.append((path.name, finding))
    return out


def test_no_error_on_aws_managed_policies(corpus_findings: list[tuple[str, Finding]]) -> None:
    errors = [(name, f.code, f.path, f.message) for name, f in corpus_findings if f.severity is Severity.ERROR]
    assert errors == []


def test_corpus_findings_are_the_reviewed_kinds(corpus_findings: list[tuple[str, Finding]]) -> None:
    by_code = Counter(f.code for _name, f in corpus_findings)
    by_severity = Counter(f.severity.value for _name, f in corpus_findings)
    print(f"\nstructure rules on the AWS managed policies: {dict(by_severity)}; {dict(by_code)}")
    assert set(by_code) <= EXPECTED_ON_CORPUS, by_code
    assert by_code["ALLOW_WITH_NOT_ACTION"] == 1
