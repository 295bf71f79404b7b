"""The shapes of AWS CLI (and API) output that hold policies, from `get-policy-version` to
`get-account-authorization-details`, so an account's policies can be linted as downloaded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...errors import JsonPath
from .documents import Found, is_document, is_document_text, is_policy, items
from .policy_types import organizations_policy_type

if TYPE_CHECKING:
    from .files import Loaded

__all__ = [
    "authorization_details",
    "aws_cli",
    "organizations",
    "organizations_item",
    "policy_version",
]


def policy_version(value: dict[str, Any], loaded: Loaded) -> list[Found] | None:
    """`aws iam get-policy-version`: `PolicyVersion.Document`, an object or URL-encoded text."""
    version = value.get("PolicyVersion")
    path: JsonPath = ("PolicyVersion",)
    if not isinstance(version, dict):
        if "Document" in value and "VersionId" in value:
            version, path = value, ()
        else:
            return None
    document = version.get("Document")
    if not is_document(document):
        return None
    label = "policy version"
    if isinstance(version.get("VersionId"), str):
        label += f" {version['VersionId']}"
    if version.get("IsDefaultVersion") is True:
        label += " (default)"
    return [Found(path + ("Document",), document, "identity",
                  "aws iam get-policy-version output (a managed policy)", None, label,
                  "get-policy-version")]


def authorization_details(value: dict[str, Any], loaded: Loaded) -> list[Found] | None:
    """`aws iam get-account-authorization-details`.

    Every user, group and role inline policy, every role's trust policy, and every version of
    every managed policy (all versions, not only the default one: any of them can be made the
    default; the label names the version and says which is the default). Permissions
    boundaries are references to managed policies: a managed policy used only as a boundary
    is linted as `boundary`.
    """
    lists = ("UserDetailList", "GroupDetailList", "RoleDetailList")
    if not any(isinstance(value.get(k), list) for k in lists):
        return None
    reason = "aws iam get-account-authorization-details"
    origin = "account-authorization-details"
    found: list[Found] = []
    boundary_arns: set[str] = set()
    for entity, name_key, policies_key, what in (
        ("UserDetailList", "UserName", "UserPolicyList", "user"),
        ("GroupDetailList", "GroupName", "GroupPolicyList", "group"),
        ("RoleDetailList", "RoleName", "RolePolicyList", "role"),
    ):
        for i, detail in items(value.get(entity)):
            name = detail.get(name_key, f"#{i}")
            boundary = detail.get("PermissionsBoundary")
            arn = boundary.get("PermissionsBoundaryArn") if isinstance(boundary, dict) else None
            if isinstance(arn, str):
                boundary_arns.add(arn)
            if entity == "RoleDetailList" and is_document(detail.get("AssumeRolePolicyDocument")):
                found.append(Found(
                    (entity, i, "AssumeRolePolicyDocument"), detail["AssumeRolePolicyDocument"],
                    "trust", f"{reason}: role trust policy", "iam:role",
                    f"role {name} trust policy", origin,
                ))
            for j, policy in items(detail.get(policies_key)):
                if is_document(policy.get("PolicyDocument")):
                    found.append(Found(
                        (entity, i, policies_key, j, "PolicyDocument"), policy["PolicyDocument"],
                        "identity", f"{reason}: {what} inline policy", None,
                        f"{what} {name} inline policy {policy.get('PolicyName', j)}", origin,
                    ))
    for i, policy in items(value.get("Policies")):
        name = policy.get("PolicyName", f"#{i}")
        arn = policy.get("Arn")
        as_boundary = (isinstance(arn, str) and arn in boundary_arns) or _positive(
            policy.get("PermissionsBoundaryUsageCount"))
        attached = _positive(policy.get("AttachmentCount"))
        policy_type, why = "identity", f"{reason}: managed policy"
        if as_boundary and not attached:
            policy_type = "boundary"
            why = f"{reason}: managed policy used only as a permissions boundary"
        for k, version in items(policy.get("PolicyVersionList")):
            if not is_document(version.get("Document")):
                continue
            label = f"managed policy {name} {version.get('VersionId', k)}"
            if version.get("IsDefaultVersion") is True:
                label += " (default)"
            found.append(Found(("Policies", i, "PolicyVersionList", k, "Document"),
                               version["Document"], policy_type, why, None, label, origin))
    return found


def _positive(count: Any) -> bool:
    return isinstance(count, int) and not isinstance(count, bool) and count > 0


def aws_cli(value: dict[str, Any], loaded: Loaded) -> list[Found] | None:
    """AWS CLI outputs of single documents.

    `aws iam get-role`, `list-roles` (trust policies), `get-role-policy`/`get-user-policy`/
    `get-group-policy`, `s3api get-bucket-policy`, `lambda get-policy`, `kms get-key-policy`,
    `sqs get-queue-attributes`, `sns get-topic-attributes`, `ecr get-repository-policy`,
    `secretsmanager get-resource-policy` and `organizations describe-policy`.
    """
    origin = "aws-cli"
    role = value.get("Role")
    if isinstance(role, dict) and is_document(role.get("AssumeRolePolicyDocument")):
        return [Found(("Role", "AssumeRolePolicyDocument"), role["AssumeRolePolicyDocument"],
                      "trust", "aws iam get-role output: role trust policy", "iam:role",
                      f"role {role.get('RoleName', '')} trust policy".replace("  ", " "), origin)]
    if isinstance(value.get("Roles"), list):
        found = [
            Found(("Roles", i, "AssumeRolePolicyDocument"), r["AssumeRolePolicyDocument"], "trust",
                  "aws iam list-roles output: role trust policy", "iam:role",
                  f"role {r.get('RoleName', i)} trust policy", origin)
            for i, r in items(value["Roles"]) if is_document(r.get("AssumeRolePolicyDocument"))
        ]
        return found or None
    if is_document(value.get("PolicyDocument")) and "PolicyName" in value:
        for key, what in (("RoleName", "role"), ("UserName", "user"), ("GroupName", "group")):
            if key in value:
                return [Found(("PolicyDocument",), value["PolicyDocument"], "identity",
                              f"aws iam get-{what}-policy output: {what} inline policy", None,
                              f"{what} {value[key]} inline policy {value['PolicyName']}", origin)]
    policy = value.get("Policy")
    if is_document_text(policy) or is_policy(policy):
        if "RevisionId" in value:
            kind, what = "lambda:function", "aws lambda get-policy output: function policy"
        elif "PolicyName" in value:
            kind, what = "kms:key", "aws kms get-key-policy output: key policy"
        else:
            kind, what = "s3:bucket", "aws s3api get-bucket-policy output: bucket policy"
        return [Found(("Policy",), policy, "resource", what, kind, what.split(": ")[1], origin)]
    attributes = value.get("Attributes")
    if isinstance(attributes, dict) and is_document(attributes.get("Policy")):
        if "TopicArn" in attributes:
            kind, what = "sns:topic", "aws sns get-topic-attributes output: topic policy"
        else:
            kind, what = "sqs:queue", "aws sqs get-queue-attributes output: queue policy"
        return [Found(("Attributes", "Policy"), attributes["Policy"], "resource", what, kind,
                      what.split(": ")[1], origin)]
    if is_document(value.get("policyText")) and "repositoryName" in value:
        return [Found(("policyText",), value["policyText"], "resource",
                      "aws ecr get-repository-policy output: repository policy", "ecr:repository",
                      f"repository {value['repositoryName']} policy", origin)]
    if is_document(value.get("ResourcePolicy")) and "ARN" in value:
        return [Found(("ResourcePolicy",), value["ResourcePolicy"], "resource",
                      "aws secretsmanager get-resource-policy output: secret policy",
                      "secretsmanager:secret", f"secret {value.get('Name', '')} policy".strip(),
                      origin)]
    if isinstance(policy, dict):
        return organizations_item(policy, ("Policy",))
    return None


def organizations_item(item: dict[str, Any], path: JsonPath) -> list[Found] | None:
    """`aws organizations describe-policy`'s `Policy` (PolicySummary + Content).

    SCPs and RCPs by their type; other types (tag, backup, AI opt-out policies) are not IAM
    policies and give an empty list: the shape is recognised but holds no policy.
    """
    if isinstance(item.get("Policy"), dict):
        return organizations_item(item["Policy"], path + ("Policy",))
    summary = item.get("PolicySummary")
    if not isinstance(summary, dict) or "Content" not in item:
        return None
    org_type = summary.get("Type")
    policy_type = organizations_policy_type(org_type)
    if policy_type is None:
        return []  # tag, backup, AI opt-out policies: not IAM policy documents
    return [Found(path + ("Content",), item["Content"], policy_type,
                  f"aws organizations describe-policy output: {org_type}", None,
                  f"{policy_type.upper()} {summary.get('Name', '')}".strip(), "aws-cli")]


def organizations(value: dict[str, Any], loaded: Loaded) -> list[Found] | None:
    """`aws organizations describe-policy` output, or the `Policy` it holds."""
    return organizations_item(value, ())
