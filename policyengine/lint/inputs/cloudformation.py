"""CloudFormation (and SAM) templates: which resource properties hold policies, and the
policy Lambda builds for `AWS::Lambda::Permission`, so a template is linted before deployment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ...errors import JsonPath
from .documents import Found, Locations, is_document, is_policy, items, located
from .intrinsics import normalize_intrinsics
from .lambda_permission import lambda_permission_policy
from .policy_types import organizations_policy_type

if TYPE_CHECKING:
    from .files import Loaded

__all__ = ["RESOURCE_DOCUMENTS", "cloudformation", "is_cfn"]

# Resource type -> (property, policy type, resource kind, label).
RESOURCE_DOCUMENTS: dict[str, tuple[tuple[str, str, str | None, str], ...]] = {
    "AWS::IAM::Role": (("AssumeRolePolicyDocument", "trust", "iam:role", "trust policy"),),
    "AWS::IAM::Policy": (("PolicyDocument", "identity", None, "policy"),),
    "AWS::IAM::ManagedPolicy": (("PolicyDocument", "identity", None, "managed policy"),),
    "AWS::IAM::RolePolicy": (("PolicyDocument", "identity", None, "inline policy"),),
    "AWS::IAM::UserPolicy": (("PolicyDocument", "identity", None, "inline policy"),),
    "AWS::IAM::GroupPolicy": (("PolicyDocument", "identity", None, "inline policy"),),
    "AWS::S3::BucketPolicy": (("PolicyDocument", "resource", "s3:bucket", "bucket policy"),),
    "AWS::S3Express::BucketPolicy": (
        ("PolicyDocument", "resource", "s3express:bucket", "bucket policy"),),
    "AWS::SQS::QueuePolicy": (("PolicyDocument", "resource", "sqs:queue", "queue policy"),),
    "AWS::SQS::QueueInlinePolicy": (("PolicyDocument", "resource", "sqs:queue", "queue policy"),),
    "AWS::SNS::TopicPolicy": (("PolicyDocument", "resource", "sns:topic", "topic policy"),),
    "AWS::SNS::TopicInlinePolicy": (("PolicyDocument", "resource", "sns:topic", "topic policy"),),
    "AWS::KMS::Key": (("KeyPolicy", "resource", "kms:key", "key policy"),),
    "AWS::KMS::ReplicaKey": (("KeyPolicy", "resource", "kms:key", "key policy"),),
    "AWS::SecretsManager::ResourcePolicy": (
        ("ResourcePolicy", "resource", "secretsmanager:secret", "secret policy"),),
    "AWS::ECR::Repository": (
        ("RepositoryPolicyText", "resource", "ecr:repository", "repository policy"),),
    "AWS::Serverless::Function": (
        ("AssumeRolePolicyDocument", "trust", "iam:role", "trust policy"),),
}
# Resource types with a `Policies` list of {PolicyName, PolicyDocument}.
_INLINE_LISTS = frozenset({"AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"})
# `lambda_permission_policy` parameter -> AWS::Lambda::Permission property.
_LAMBDA_PROPERTIES = {
    "action": "Action", "principal": "Principal", "function": "FunctionName",
    "source_arn": "SourceArn", "source_account": "SourceAccount", "org": "PrincipalOrgID",
    "url_auth": "FunctionUrlAuthType", "token": "EventSourceToken",
    "via_url": "InvokedViaFunctionUrl", "qualifier": None,
}


def is_cfn(value: Any) -> bool:
    """Whether `value` is a template: `Resources` and a format version or typed resources."""
    if not isinstance(value, dict):
        return False
    resources = value.get("Resources")
    if not isinstance(resources, dict):
        return False
    if "AWSTemplateFormatVersion" in value:
        return True
    return any(
        isinstance(r, dict) and isinstance(r.get("Type"), str) and "::" in r["Type"]
        for r in resources.values()
    )


def cloudformation(value: dict[str, Any], loaded: Loaded) -> list[Found] | None:
    """The policies of a CloudFormation template, JSON or YAML, intrinsics made lintable.

    `AWS::IAM::Role` (trust policy and inline policies; `PermissionsBoundary` is an ARN),
    `AWS::IAM::Policy`/`RolePolicy`/`UserPolicy`/`GroupPolicy`, `AWS::IAM::ManagedPolicy`
    (as `boundary` when only named as a `PermissionsBoundary` by `!Ref`),
    `AWS::IAM::User`/`Group` inline policies, S3/S3 Express bucket policies, SQS queue and SNS
    topic policies (inline variants too), KMS key policies, Secrets Manager resource policies,
    ECR repository policies, SAM functions' `Policies` and `AssumeRolePolicyDocument`,
    `AWS::Organizations::Policy` (SCP/RCP by `Type`; other Organizations policy types are not
    IAM policies and are skipped), any other resource property holding an object with
    `Statement` (type inferred), and `AWS::Lambda::Permission`, which is not a document: the
    function-policy statement Lambda writes for it is built (`lambda_permission_policy`), at
    document path `("Resources", name, "Properties")`, with locations pointing at the
    properties.

    Document paths are the file's; paths inside a document follow the document as linted
    (`normalize_intrinsics`), so they differ from the file's only under a resolved `Fn::If`
    or a removed `AWS::NoValue` item (line and column are right either way). A document that
    is itself a placeholder (`PolicyDocument: !Ref Param`) cannot be linted and is left out.
    """
    if not is_cfn(value):
        return None
    found: list[Found] = []
    resources: dict[str, Any] = value["Resources"]
    boundaries = _boundary_refs(resources)
    for name, resource in resources.items():
        if not isinstance(resource, dict) or not isinstance(resource.get("Properties"), dict):
            continue
        kind = resource.get("Type")
        if not isinstance(kind, str):
            continue
        base: JsonPath = ("Resources", name, "Properties")
        properties, locations, origins = normalize_intrinsics(
            resource["Properties"], loaded.locations, base
        )
        if not isinstance(properties, dict):
            continue
        cfn = _Resource(name, kind, base, properties, locations, origins)
        if kind == "AWS::Lambda::Permission":
            document, where = lambda_permission_policy(properties, locations, name,
                                                       _LAMBDA_PROPERTIES)
            found.append(Found(base, document, "resource",
                               "CloudFormation AWS::Lambda::Permission (the function policy "
                               "statement Lambda writes for it)", "lambda:function",
                               f"{name} Lambda permission", "cloudformation", where, True))
            continue
        found.extend(cfn.documents(boundaries))
    return found


def _boundary_refs(resources: dict[str, Any]) -> dict[str, str]:
    """Managed policies named by `!Ref` as a permissions boundary: policy -> user of it."""
    refs: dict[str, str] = {}
    for name, resource in resources.items():
        if not isinstance(resource, dict) or not isinstance(resource.get("Properties"), dict):
            continue
        boundary = resource["Properties"].get("PermissionsBoundary")
        if isinstance(boundary, dict) and isinstance(boundary.get("Ref"), str):
            refs.setdefault(boundary["Ref"], name)
    return refs


@dataclass
class _Resource:
    """One resource's properties, intrinsics made lintable, and the documents among them."""

    name: str
    type: str
    base: JsonPath
    properties: dict[str, Any]
    locations: Locations
    origins: dict[JsonPath, JsonPath]

    def found(self, rel: JsonPath, value: Any, policy_type: str | None, reason: str,
              kind: str | None, label: str) -> Found:
        origin = self.origins.get(rel)
        path = origin if origin is not None else self.base + rel
        return Found(path, value, policy_type, reason, kind, label, "cloudformation",
                     located(value, self.locations, rel), True)

    def documents(self, boundaries: dict[str, str]) -> list[Found]:
        found: list[Found] = []
        taken: set[str] = set()
        for prop, policy_type, kind, what in RESOURCE_DOCUMENTS.get(self.type, ()):
            document = self.properties.get(prop)
            if not is_document(document):
                continue
            taken.add(prop)
            reason = f"CloudFormation {self.type} {prop}"
            if self.type == "AWS::IAM::ManagedPolicy" and self.name in boundaries and not any(
                key in self.properties for key in ("Roles", "Users", "Groups")
            ):
                policy_type = "boundary"
                reason += f", used as the PermissionsBoundary of {boundaries[self.name]}"
            found.append(self.found((prop,), document, policy_type, reason, kind,
                                    f"{self.name} {what}"))
        if self.type in _INLINE_LISTS:
            taken.add("Policies")
            for i, policy in items(self.properties.get("Policies")):
                if is_document(policy.get("PolicyDocument")):
                    pname = policy.get("PolicyName")
                    label = f"{self.name} inline policy {pname if isinstance(pname, str) else i}"
                    found.append(self.found(("Policies", i, "PolicyDocument"),
                                            policy["PolicyDocument"], "identity",
                                            f"CloudFormation {self.type} Policies", None, label))
        if self.type == "AWS::Serverless::Function":
            taken.add("Policies")
            policies = self.properties.get("Policies")
            reason = "CloudFormation AWS::Serverless::Function Policies"
            if is_policy(policies):
                found.append(self.found(("Policies",), policies, "identity", reason, None,
                                        f"{self.name} function policy"))
            elif isinstance(policies, list):
                for i, item in enumerate(policies):
                    if is_policy(item):
                        found.append(self.found(("Policies", i), item, "identity", reason, None,
                                                f"{self.name} function policy {i}"))
        if self.type == "AWS::Organizations::Policy":
            taken.add("Content")
            content = self.properties.get("Content")
            org_type = self.properties.get("Type")
            org_policy_type = organizations_policy_type(org_type)
            if is_document(content) and (org_policy_type is not None or not isinstance(org_type, str)):
                reason = f"CloudFormation AWS::Organizations::Policy of Type {org_type}"
                if org_policy_type is None:
                    reason = "CloudFormation AWS::Organizations::Policy (Type not a literal)"
                what = org_policy_type.upper() if org_policy_type else "organizations policy"
                label = f"{self.name} {what}"
                found.append(self.found(("Content",), content, org_policy_type, reason, None, label))
        for prop, document in self.properties.items():
            if prop not in taken and is_policy(document):
                found.append(self.found((prop,), document, None,
                                        f"CloudFormation {self.type} {prop}", None,
                                        f"{self.name} {prop}"))
        return found
