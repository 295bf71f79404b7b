"""Lint rules: actions (`Action` / `NotAction`), checked against the catalogue.

The rules live in one module per concept, in the order their findings come:

- `names`: action names. Unknown services and actions are errors (`INVALID_SERVICE_IN_ACTION`,
  `INVALID_ACTION`, with a "did you mean"), as are malformed entries and policy variables;
  a wildcard in the service prefix is a suggestion.
- `role_grants`: `iam:PassRole` and `iam:CreateServiceLinkedRole` granted on every role,
  one Access Analyzer code for each way a statement can grant them (`Action` or `NotAction`,
  `Resource` or `NotResource`), silenced by the condition that scopes the grant
  (`iam:PassedToService`, `iam:AWSServiceName`) and by a Deny that blocks it on every role.
- `broad_grants`: `*` on `*`, service wildcards, `Resource: "*"` on scopable actions.
- `redundancy`: entries another entry of the same statement already matches.

The grant rules look only at `Allow` statements of identity and resource policies (an Allow
in an SCP, RCP or boundary grants nothing). `_shared` holds what the modules have in common.
"""

from __future__ import annotations

from ...rules import Rule
from . import broad_grants, names, redundancy, role_grants

RULES: tuple[Rule, ...] = (
    *names.RULES,
    *role_grants.RULES,
    *broad_grants.RULES,
    *redundancy.RULES,
)
