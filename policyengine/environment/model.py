"""The native environment file: accounts' users, groups, roles, functions, resources, organization.

A policy is written inline (a document), as the ARN of a managed policy listed under
`managed_policies`, or as a path relative to the environment file. Unknown keys are
errors (nothing is silently ignored).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

PolicyRef = dict[str, Any] | str


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class UserRecord(_Record):
    arn: str
    policies: list[PolicyRef] = []
    groups: list[str] = []  # group names or ARNs
    permissions_boundary: PolicyRef | None = None
    tags: dict[str, str] = {}


class GroupRecord(_Record):
    arn: str
    policies: list[PolicyRef] = []


class RoleRecord(_Record):
    arn: str
    trust_policy: PolicyRef | None = None
    policies: list[PolicyRef] = []
    permissions_boundary: PolicyRef | None = None
    tags: dict[str, str] = {}


class VpcConfig(_Record):
    subnet_ids: list[str] = []
    security_group_ids: list[str] = []
    vpc_id: str | None = None


class FunctionRecord(_Record):
    arn: str  # unqualified function ARN
    role: str  # execution role ARN
    resource_policy: PolicyRef | None = None
    vpc_config: VpcConfig | None = None
    versions: list[str] = []
    aliases: dict[str, str] = {}  # alias name -> version
    handler: str | None = None  # "module:function"
    code_path: str | None = None  # folder holding the handler's module, relative to the file
    memory_size: int = 128  # MB
    timeout: float = 3.0  # seconds
    reserved_concurrency: int | None = None
    provisioned_concurrency: int = 0
    dead_letter_target: str | None = None
    destinations: dict[str, str] = {}  # "on_success" / "on_failure" -> ARN
    layers: list[str] = []
    tags: dict[str, str] = {}


class ResourceRecord(_Record):
    """Any other resource with a resource-based policy or tags (bucket, queue, topic, key...)."""

    arn: str
    policy: PolicyRef | None = None
    tags: dict[str, str] = {}
    account: str | None = None  # owner, for ARNs without one (S3 buckets); else the ARN's


class AccountOrg(_Record):
    scps: list[list[PolicyRef]] | None = None  # levels, root first
    rcps: list[list[PolicyRef]] | None = None


class Organization(_Record):
    id: str | None = None  # o-xxxxxxxxxx, fills aws:PrincipalOrgID / aws:ResourceOrgID
    management_account: str | None = None
    accounts: dict[str, AccountOrg] = {}


class EnvironmentData(_Record):
    managed_policies: dict[str, PolicyRef] = {}
    users: list[UserRecord] = []
    groups: list[GroupRecord] = []
    roles: list[RoleRecord] = []
    functions: list[FunctionRecord] = []
    resources: list[ResourceRecord] = []
    organization: Organization | None = None
    # Lambda sets aws:SourceAccount / aws:SourceArn when it assumes the execution role
    # (undocumented by AWS: lambda-permissions.md §3.1; a switch, not a guess).
    lambda_sets_source_keys_on_assume_role: bool = Field(default=True)
