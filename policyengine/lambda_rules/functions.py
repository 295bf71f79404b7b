"""Resolving a function name and qualifier as Lambda does, and the execution role's session.

Qualifier matching (lambda-permissions.md §3.4, open point 10), decided here once:
- the ARN that is authorized is qualified iff a qualifier was given (in the ARN or as
  `qualifier=`); a function ARN and a `qualifier=` that disagree are rejected with
  `InvalidParameterValueException` ("The derived qualifier from the function name does not
  match the specified qualifier.");
- the statements' Resource elements decide, with IAM's ARN matching: `...:function:f` covers only
  the unqualified ARN, `f:1`/`f:PROD` only themselves, `f:*` every qualified ARN, `f*` both. So an
  unqualified function policy statement does **not** authorize `f:PROD` or `f:1`;
- an environment keeps one function policy per function holding the statements of every
  qualifier (AWS keeps one document per qualifier). Since AddPermission always writes the
  (qualified) function ARN as Resource, evaluating the merged document gives the same answers;
- `f:$LATEST` is authorized as the qualified ARN `...:function:f:$LATEST` (so an unqualified
  statement does not cover it) unless `latest_as_unqualified=True` is passed: AWS does not say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..environment import Environment, FunctionRecord, function_base_arn
from ..errors import PolicyEngineError
from .result import INVALID_PARAMETER, AwsError, function_not_found

LATEST = "$LATEST"
_FUNCTION_ARN = re.compile(r"^arn:(aws[a-zA-Z-]*):lambda:([a-z0-9-]+):(\d{12}):function:([a-zA-Z0-9-_]+)(?::([^:]+))?$")
QUALIFIER_MISMATCH = "The derived qualifier from the function name does not match the specified qualifier."


class RuleInputError(PolicyEngineError):
    """A request the rules cannot even read (not a function ARN, unknown invocation type, ...)."""

    code = "INVALID_INPUT"


@dataclass(frozen=True, slots=True)
class ResolvedFunction:
    base_arn: str  # unqualified
    qualifier: str | None
    arn: str  # the ARN to authorize: qualified iff a qualifier was given
    record: FunctionRecord | None

    @property
    def name(self) -> str:
        return self.base_arn.rsplit(":", 1)[-1]

    @property
    def account(self) -> str:
        return self.base_arn.split(":")[4]

    @property
    def region(self) -> str:
        return self.base_arn.split(":")[3]

    @property
    def exists(self) -> bool:
        """The function exists, and so does its qualifier ($LATEST, a version or an alias)."""
        if self.record is None:
            return False
        return self.qualifier is None or self.qualifier in known_qualifiers(self.record)


def known_qualifiers(record: FunctionRecord) -> set[str]:
    return {LATEST, *record.versions, *record.aliases, *record.aliases.values()}


def parse_function_arn(arn: str) -> tuple[str, str | None]:
    if not isinstance(arn, str) or _FUNCTION_ARN.match(arn) is None:
        raise RuleInputError(f"`{arn}` is not a Lambda function ARN "
                             "(arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER])")
    return function_base_arn(arn)


def resolve(env: Environment, function_arn: str, qualifier: str | None = None) -> ResolvedFunction | AwsError:
    base, derived = parse_function_arn(function_arn)
    if derived is not None and qualifier is not None and derived != qualifier:
        return AwsError.of(INVALID_PARAMETER, QUALIFIER_MISMATCH)
    q = derived if derived is not None else qualifier
    return ResolvedFunction(base, q, f"{base}:{q}" if q is not None else base, env.function(base))


def not_found(fn: ResolvedFunction) -> AwsError:
    return function_not_found(fn.arn)


def execution_session(role_arn: str, function_arn: str) -> str:
    """`arn:aws:sts::ACCOUNT:assumed-role/ROLE_NAME/FUNCTION_NAME`: the session Lambda makes of the role."""
    parts = role_arn.split(":")
    partition = parts[1] if len(parts) > 1 else "aws"
    account = parts[4] if len(parts) > 4 else ""
    name = function_base_arn(function_arn)[0].rsplit(":", 1)[-1]
    return f"arn:{partition}:sts::{account}:assumed-role/{role_arn.rsplit('/', 1)[-1]}/{name}"


def account_of(arn: str) -> str:
    parts = arn.split(":")
    return parts[4] if len(parts) > 4 else ""
