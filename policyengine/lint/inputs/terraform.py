"""Terraform plans, state and `.tf.json` configuration: which resource attributes hold policy
JSON, so infrastructure written in Terraform is linted like a template.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterator

from ...errors import JsonPath
from .documents import Found, is_policy_text, items, reroot
from .lambda_permission import lambda_permission_policy
from .policy_types import organizations_policy_type

if TYPE_CHECKING:
    from .files import Loaded

__all__ = ["RESOURCE_DOCUMENTS", "terraform_config", "terraform_plan"]

# Resource type -> (attribute, policy type, resource kind, label).
RESOURCE_DOCUMENTS: dict[str, tuple[tuple[str, str | None, str | None, str], ...]] = {
    "aws_iam_policy": (("policy", "identity", None, "policy"),),
    "aws_iam_role": (("assume_role_policy", "trust", "iam:role", "trust policy"),),
    "aws_iam_role_policy": (("policy", "identity", None, "inline policy"),),
    "aws_iam_user_policy": (("policy", "identity", None, "inline policy"),),
    "aws_iam_group_policy": (("policy", "identity", None, "inline policy"),),
    "aws_s3_bucket_policy": (("policy", "resource", "s3:bucket", "bucket policy"),),
    "aws_s3_bucket": (("policy", "resource", "s3:bucket", "bucket policy"),),
    "aws_sqs_queue_policy": (("policy", "resource", "sqs:queue", "queue policy"),),
    "aws_sqs_queue": (("policy", "resource", "sqs:queue", "queue policy"),),
    "aws_sns_topic_policy": (("policy", "resource", "sns:topic", "topic policy"),),
    "aws_sns_topic": (("policy", "resource", "sns:topic", "topic policy"),),
    "aws_kms_key": (("policy", "resource", "kms:key", "key policy"),),
    "aws_kms_replica_key": (("policy", "resource", "kms:key", "key policy"),),
    "aws_ecr_repository_policy": (("policy", "resource", "ecr:repository", "repository policy"),),
    "aws_secretsmanager_secret_policy": (
        ("policy", "resource", "secretsmanager:secret", "secret policy"),),
    "aws_iam_policy_document": (("json", None, None, "policy document"),),
}
# `lambda_permission_policy` parameter -> aws_lambda_permission attribute.
_LAMBDA_ATTRIBUTES = {
    "action": "action", "principal": "principal", "function": "function_name",
    "source_arn": "source_arn", "source_account": "source_account", "org": "principal_org_id",
    "url_auth": "function_url_auth_type", "token": "event_source_token",
    "via_url": "invoked_via_function_url", "qualifier": "qualifier",
}


def terraform_plan(value: dict[str, Any], loaded: Loaded) -> list[Found] | None:
    """The policies of a Terraform plan or state (`terraform show -json`).

    Resources of `planned_values` (or `values`) and their child modules, plus data sources of
    `prior_state`: `aws_iam_policy`, `aws_iam_role` (`assume_role_policy` as trust,
    `inline_policy`), `aws_iam_role_policy`/`user_policy`/`group_policy`, bucket, queue and
    topic policies, KMS keys, `aws_iam_policy_document` data sources (`json`, type inferred),
    `aws_organizations_policy` (`content`, SCP/RCP), `aws_lambda_permission` (built like
    CloudFormation's), and any other attribute with `polic` in its name holding policy JSON.
    The values are JSON strings: the document is the string and its positions are the
    attribute's, since positions inside a string are not file positions.
    """
    roots: list[tuple[Any, JsonPath, bool]] = []
    if isinstance(value.get("planned_values"), dict):
        roots.append((value["planned_values"].get("root_module"),
                      ("planned_values", "root_module"), False))
        prior = value.get("prior_state")
        if isinstance(prior, dict) and isinstance(prior.get("values"), dict):
            roots.append((prior["values"].get("root_module"),
                          ("prior_state", "values", "root_module"), True))
    elif isinstance(value.get("values"), dict) and (
        "format_version" in value or "terraform_version" in value
    ):
        roots.append((value["values"].get("root_module"), ("values", "root_module"), False))
    else:
        return None
    found: list[Found] = []
    seen: set[str] = set()
    for root, root_path, data_only in roots:
        for resource, path in _resources(root, root_path):
            address = resource.get("address")
            if data_only and resource.get("mode") != "data":
                continue
            if isinstance(address, str):
                if address in seen:
                    continue
                seen.add(address)
            found.extend(_resource(resource, path, loaded))
    return found


def _resources(module: Any, path: JsonPath) -> Iterator[tuple[dict[str, Any], JsonPath]]:
    stack = [(module, path)]
    while stack:
        module, path = stack.pop(0)
        if not isinstance(module, dict):
            continue
        for i, resource in items(module.get("resources")):
            yield resource, path + ("resources", i)
        for j, child in items(module.get("child_modules")):
            stack.append((child, path + ("child_modules", j)))


def _resource(resource: dict[str, Any], path: JsonPath, loaded: Loaded) -> list[Found]:
    kind = resource.get("type")
    values = resource.get("values")
    if not isinstance(kind, str) or not isinstance(values, dict):
        return []
    address = resource.get("address") or f"{kind}.{resource.get('name', '')}"
    base = path + ("values",)
    found: list[Found] = []
    taken: set[str] = set()

    def add(attribute_path: JsonPath, text: Any, policy_type: str | None, reason: str,
            resource_kind: str | None, label: str) -> None:
        if not isinstance(text, str) or not text.strip():
            return
        found.append(Found(base + attribute_path, text, policy_type, reason, resource_kind,
                           label, "terraform"))

    if kind == "aws_lambda_permission":
        locations = reroot(values, loaded.locations, base)
        document, where = lambda_permission_policy(
            values, locations, str(values.get("statement_id") or resource.get("name") or "lambda"),
            _LAMBDA_ATTRIBUTES,
        )
        return [Found(base, document, "resource",
                      "Terraform aws_lambda_permission (the function policy statement Lambda "
                      "writes for it)", "lambda:function", f"{address} Lambda permission",
                      "terraform", where)]
    for attribute, policy_type, resource_kind, what in RESOURCE_DOCUMENTS.get(kind, ()):
        taken.add(attribute)
        add((attribute,), values.get(attribute), policy_type, f"Terraform {kind}.{attribute}",
            resource_kind, f"{address} {what}")
    if kind == "aws_iam_role":
        taken.add("inline_policy")
        for j, inline in items(values.get("inline_policy")):
            add(("inline_policy", j, "policy"), inline.get("policy"), "identity",
                "Terraform aws_iam_role.inline_policy", None,
                f"{address} inline policy {inline.get('name') or j}")
    if kind == "aws_organizations_policy":
        taken.add("content")
        org_type = values.get("type") or "SERVICE_CONTROL_POLICY"
        policy_type = organizations_policy_type(org_type)
        if policy_type is not None:
            add(("content",), values.get("content"), policy_type,
                f"Terraform aws_organizations_policy of type {org_type}", None,
                f"{address} {policy_type.upper()}")
    for attribute, text in values.items():
        if attribute not in taken and "polic" in attribute and is_policy_text(text):
            add((attribute,), text, None, f"Terraform {kind}.{attribute}", None,
                f"{address} {attribute}")
    return found


def terraform_config(value: dict[str, Any], loaded: Loaded) -> list[Found] | None:
    """The policies of Terraform JSON configuration (`.tf.json`).

    Only `resource` attributes holding literal policy JSON: interpolated strings such as
    `${jsonencode(...)}` cannot be read (lint the plan instead).
    """
    resources = value.get("resource")
    if not isinstance(resources, dict) or not any(
        isinstance(k, str) and k.startswith("aws_") for k in resources
    ):
        return None
    found: list[Found] = []
    for kind, blocks in resources.items():
        if not isinstance(blocks, dict):
            continue
        for name, attributes in blocks.items():
            if not isinstance(attributes, dict):
                continue
            for attribute, policy_type, resource_kind, what in RESOURCE_DOCUMENTS.get(kind, ()):
                text = attributes.get(attribute)
                if isinstance(text, str) and "${" not in text and is_policy_text(text):
                    found.append(Found(("resource", kind, name, attribute), text, policy_type,
                                       f"Terraform {kind}.{attribute}", resource_kind,
                                       f"{kind}.{name} {what}", "terraform"))
    return found
