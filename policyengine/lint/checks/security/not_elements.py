"""Lint rules: an `Allow` with `NotAction` or `NotResource`, which grants far more than it names.

`NotAction` grants every action of every service except those listed, `NotResource` every
resource except those listed, both including what AWS adds later.
"""

from __future__ import annotations

from collections.abc import Iterator

from ....model.policy import Statement
from ...document import LintDocument
from ...finding import Finding, Severity
from ...rules import Rule
from .._common import example_policy as _policy
from .._common import statement_name
from ._restrictions import blocking_deny
from ._shared import _BUCKET, _DENY_NOTE, _grants, _shown

# -- NotAction / NotResource with Allow ------------------------------------------------------


def _broad_resources(statement: Statement) -> bool:
    """Resources that let `NotAction` reach every service: `*`, a wildcard service, none."""
    found = statement.resources
    if found is None or found[1]:
        return True
    for pattern in found[0]:
        if pattern == "*":
            return True
        parts = pattern.split(":", 5)
        if parts[0] != "arn" and any(ch in pattern for ch in "*?"):
            return True
        if len(parts) > 2 and any(ch in parts[2] for ch in "*?"):
            return True
    return False


def _check_allow_not_action(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, _raw in _grants(doc):
        if statement.not_action is None or not _broad_resources(statement):
            continue
        if blocking_deny(doc, statement) is not None:
            continue
        yield doc.finding(
            "ALLOW_WITH_NOT_ACTION",
            path + ("NotAction",),
            f"{statement_name(statement)} allows every action of every AWS service except "
            f"{_shown(statement.not_action) or 'none'}, including actions AWS adds later; list the "
            "actions it needs in `Action` instead",
        )


def _check_allow_not_resource(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, _raw in _grants(doc):
        if statement.not_resource is None:
            continue
        if blocking_deny(doc, statement) is not None:
            continue
        actions, negated = statement.actions
        what = "every action except " + _shown(actions) if negated else _shown(actions)
        yield doc.finding(
            "ALLOW_WITH_NOT_RESOURCE",
            path + ("NotResource",),
            f"{statement_name(statement)} allows {what} on every resource except "
            f"{_shown(statement.not_resource) or 'none'}, in any account, including resources "
            "created later; list the resources it needs in `Resource` instead",
        )


# -- the rules -------------------------------------------------------------------------------

# a statement that the example flags and its near miss repeats with a Deny
_NOT_ACTION = {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}

RULES: tuple[Rule, ...] = (
    Rule(
        "ALLOW_WITH_NOT_ACTION",
        Severity.SECURITY_WARNING,
        "An `Allow` with `NotAction` on every resource.",
        "`NotAction` in an `Allow` grants every action of every service except those listed, "
        "including actions AWS adds later; list the actions in `Action`." + _DENY_NOTE,
        _check_allow_not_action,
        _policy(_NOT_ACTION),
        _policy(_NOT_ACTION, {"Effect": "Deny", "Action": "*", "Resource": "*"}),
        policy_types=frozenset({"identity", "resource"}),
        access_analyzer=False,
        example_policy_type="identity",
    ),
    Rule(
        "ALLOW_WITH_NOT_RESOURCE",
        Severity.SECURITY_WARNING,
        "An `Allow` with `NotResource`.",
        "`NotResource` in an `Allow` grants the actions on every resource except those listed, in "
        "every account and including resources created later; list the resources in `Resource`."
        + _DENY_NOTE,
        _check_allow_not_resource,
        _policy({"Effect": "Allow", "Action": "s3:GetObject", "NotResource": f"{_BUCKET}/secret/*"}),
        _policy({"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"{_BUCKET}/public/*"}),
        policy_types=frozenset({"identity", "resource"}),
        access_analyzer=False,
        example_policy_type="identity",
    ),
)
