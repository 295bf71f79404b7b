"""Build an `Environment` from AWS's own CLI outputs.

- `iam.py`: `aws iam get-account-authorization-details` -> users, groups, roles, managed policies;
- `lambda_functions.py`: `aws lambda get-function-configuration` (or `get-function`),
  `aws lambda get-policy`, `aws lambda list-aliases` -> functions;
- `organizations.py`: `aws organizations describe-organization`, `list-policies-for-target`
  and `describe-policy` -> the SCP and RCP levels of each account.

`from_aws(...)` takes the parsed JSON values; `from_aws_files(...)` takes file paths.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from ...parsing import parse_json
from ..errors import EnvironmentError
from .iam import import_authorization_details
from .lambda_functions import import_functions
from .organizations import import_organization, levels_from_listings

if TYPE_CHECKING:
    from ..environment import Environment

__all__ = ["from_aws", "from_aws_files", "levels_from_listings"]


def from_aws(
    authorization_details: Mapping[str, Any] | None = None,
    function_configurations: Iterable[Mapping[str, Any]] = (),
    function_policies: Mapping[str, Mapping[str, Any]] | Iterable[Mapping[str, Any]] = (),
    organization_policies: Mapping[str, Any] | None = None,
    *,
    function_aliases: Mapping[str, Mapping[str, Any]] | None = None,
    resources: Iterable[Mapping[str, Any]] = (),
    lambda_sets_source_keys_on_assume_role: bool = True,
) -> Environment:
    """An `Environment` from the JSON outputs of the AWS CLI (see docs/environment.md)."""
    from ..environment import Environment

    return Environment.from_dict(to_native(
        authorization_details, function_configurations, function_policies, organization_policies,
        function_aliases=function_aliases, resources=resources,
        lambda_sets_source_keys_on_assume_role=lambda_sets_source_keys_on_assume_role))


def to_native(
    authorization_details: Mapping[str, Any] | None = None,
    function_configurations: Iterable[Mapping[str, Any]] = (),
    function_policies: Mapping[str, Mapping[str, Any]] | Iterable[Mapping[str, Any]] = (),
    organization_policies: Mapping[str, Any] | None = None,
    *,
    function_aliases: Mapping[str, Mapping[str, Any]] | None = None,
    resources: Iterable[Mapping[str, Any]] = (),
    lambda_sets_source_keys_on_assume_role: bool = True,
) -> dict[str, Any]:
    """The native environment dict `from_aws` loads (handy to save as an environment file)."""
    native: dict[str, Any] = {"managed_policies": {}, "users": [], "groups": [], "roles": []}
    if authorization_details is not None:
        native.update(import_authorization_details(authorization_details))
    native["functions"] = import_functions(function_configurations, function_policies, function_aliases or {})
    native["resources"] = [dict(r) for r in resources]
    if organization_policies is not None:
        native["organization"] = import_organization(organization_policies)
    native["lambda_sets_source_keys_on_assume_role"] = lambda_sets_source_keys_on_assume_role
    return native


def _read(path: str | Path) -> Any:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise EnvironmentError(f"cannot read AWS output `{path}`: {reason}", file=str(path)) from None
    try:
        return parse_json(text, file=str(path))
    except EnvironmentError:
        raise
    except Exception as exc:  # a PolicySyntaxError, located in that file
        raise EnvironmentError(f"invalid JSON in `{path}`: {getattr(exc, 'message', exc)}", file=str(path),
                               line=getattr(exc, "line", None), column=getattr(exc, "column", None)) from None


def _with_file(path: str | Path, convert: Any, *args: Any) -> Any:
    try:
        return convert(*args)
    except EnvironmentError as exc:
        if exc.file is None:
            exc.file = str(path)
        raise


def from_aws_files(
    authorization_details: str | Path | None = None,
    function_configurations: Iterable[str | Path] = (),
    function_policies: Mapping[str, str | Path] | Iterable[str | Path] = (),
    organization_policies: str | Path | None = None,
    *,
    function_aliases: Mapping[str, str | Path] | None = None,
    lambda_sets_source_keys_on_assume_role: bool = True,
) -> Environment:
    """`from_aws` over files holding the CLI's JSON output (`aws ... --output json > file`).

    `function_policies` maps function ARNs to `get-policy` files, or is a list of files (the
    function is then read from the statements' `Resource`). Errors name the file.
    """
    from ..environment import Environment

    native: dict[str, Any] = {"managed_policies": {}, "users": [], "groups": [], "roles": []}
    if authorization_details is not None:
        native.update(_with_file(authorization_details, import_authorization_details, _read(authorization_details)))
    configs = [_read(p) for p in function_configurations]
    if isinstance(function_policies, Mapping):
        policies: Any = {arn: _read(p) for arn, p in function_policies.items()}
    else:
        policies = [_read(p) for p in function_policies]
    aliases = {arn: _read(p) for arn, p in (function_aliases or {}).items()}
    native["functions"] = import_functions(configs, policies, aliases)
    if organization_policies is not None:
        native["organization"] = _with_file(organization_policies, import_organization, _read(organization_policies))
    native["lambda_sets_source_keys_on_assume_role"] = lambda_sets_source_keys_on_assume_role
    return Environment.from_dict(native)
