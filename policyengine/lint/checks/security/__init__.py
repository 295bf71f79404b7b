"""Lint rules: grants broader than they look, and Deny statements that never apply.

Each warning here reads the whole document, not one statement alone (users of other
linters ask for exactly this): a grant is not reported when

- a `Deny` in the same document applies whenever the grant does (same or wider
  principals, actions and resources; no condition, or only conditions the grant also
  has), so the grant never takes effect; or, for the "who" warnings,
- the grant's own condition pins down who can use it (a positive operator, without
  `IfExists` or `ForAllValues`, on a key such as `aws:PrincipalOrgID`,
  `aws:PrincipalAccount`, `aws:SourceArn`, `aws:SourceVpce`, with values that are not
  wildcards), or a `Deny` covering the grant denies everyone outside such a set (a
  negated operator on those keys: `StringNotEquals aws:PrincipalOrgID`) or everyone but
  a `NotPrincipal` list.

Condition semantics (IAM User Guide, condition operators and "conditions with multiple
context keys or values"): operators and keys are AND-ed, values of one key OR-ed; a
negated operator matches when the key is missing and, with several values, only when
the request value matches none of them (NOR); `...IfExists` matches when the key is
missing; `ForAllValues` matches when the key is missing.

The rules live in one module per concern, in the order their findings come:
`not_elements` (`Allow` with `NotAction` or `NotResource`), `public_access` (grants open
to everyone), `oidc` (trust in OIDC providers and GitHub Actions), `confused_deputy`
(service principals without a source), `service_principal_keys` (condition keys a
service principal never has, or that do not name its source), `roles_anywhere` (trust
policies for IAM Roles Anywhere without the actions it needs) and `deny_never_applies`
(Deny conditions that can never hold). `_restrictions` decides what pins down who can use
a grant; `_shared` holds the rest they have in common.
"""

from __future__ import annotations

from ...rules import Rule
from . import (
    confused_deputy,
    deny_never_applies,
    not_elements,
    oidc,
    public_access,
    roles_anywhere,
    service_principal_keys,
)

RULES: tuple[Rule, ...] = (
    *not_elements.RULES,
    *public_access.RULES,
    *oidc.RULES,
    *confused_deputy.RULES,
    *service_principal_keys.RULES,
    *roles_anywhere.RULES,
    *deny_never_applies.RULES,
)
