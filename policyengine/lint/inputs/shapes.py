"""Shape recognition: which of the shapes we know a parsed file has, and so where its policy
documents are, first match wins; a file of no known shape is an error that says what to do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .aws_cli import (
    authorization_details,
    aws_cli,
    organizations,
    organizations_item,
    policy_version,
)
from .cloudformation import cloudformation, is_cfn
from .documents import Found, is_policy, is_policy_text
from .own_formats import environment_file, scenario_file
from .targets import NoPolicyFoundError
from .terraform import terraform_config, terraform_plan

if TYPE_CHECKING:
    from .files import Loaded

__all__ = ["NO_POLICY", "recognise"]

NO_POLICY = "no policy document found; use --select JMESPATH to pick documents from this shape"


def _looks_like_bare_policy(value: dict[str, Any]) -> bool:
    return "Statement" in value or value.get("Version") in ("2012-10-17", "2008-10-17")


def recognise(loaded: Loaded) -> list[Found]:
    """The documents of a parsed file; `NoPolicyFoundError` when it holds none.

    A policy as text (a JSON string or URL-encoded text), a list of policies (or of
    Organizations policies), or an object of the first shape in `_RECOGNISERS` that claims it.
    """
    value = loaded.value
    found: list[Found] | None = None
    if isinstance(value, str):
        if is_policy_text(value):
            found = [Found((), value, None, "", None, "policy", "policy")]
    elif isinstance(value, list):
        found = _recognise_list(value)
    elif isinstance(value, dict):
        for recogniser in _RECOGNISERS:
            found = recogniser(value, loaded)
            if found is not None:
                break
    if not found:
        raise _no_policy(loaded, value, found)
    return found


def _no_policy(loaded: Loaded, value: Any, found: list[Found] | None) -> NoPolicyFoundError:
    where = loaded.locations.get(()) or (1, 1)
    help = ("recognised shapes: a policy, `aws iam get-policy-version` and "
            "`get-account-authorization-details` output, CloudFormation templates, Terraform "
            "plans (`terraform show -json`), policyengine environment and scenario files")
    message = NO_POLICY
    if found is not None:
        message = "the file's shape is recognised but it holds no policy document"
    elif isinstance(value, dict) and "Effect" in value:
        help = ('this looks like a single statement; write {"Version": "2012-10-17", '
                '"Statement": [...]} around it')
    return NoPolicyFoundError(message, file=loaded.file, line=where[0], column=where[1],
                              help=help)


def _recognise_list(value: list[Any]) -> list[Found] | None:
    found = []
    for index, item in enumerate(value):
        if is_policy(item) or is_policy_text(item):
            found.append(Found((index,), item, None, "", None, f"policy {index}", "policy"))
        elif isinstance(item, dict):
            org = organizations_item(item, (index,))
            if org is not None:
                found.extend(org)
    return found or None


def _bare(value: dict[str, Any], loaded: Loaded) -> list[Found] | None:
    """A bare policy: an object with `Statement`, or a policy `Version` and no other shape."""
    if _looks_like_bare_policy(value) and not is_cfn(value):
        return [Found((), value, None, "", None, "policy", "policy")]
    return None


_RECOGNISERS = (
    _bare,
    policy_version,
    authorization_details,
    cloudformation,
    terraform_plan,
    terraform_config,
    aws_cli,
    organizations,
    environment_file,
    scenario_file,
)
