"""`Environment` methods for the Lambda rules: function policies and one-line delegations.

The rules themselves live in `policyengine.lambda_rules` (imported lazily: it imports this package).
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any, Mapping

if TYPE_CHECKING:
    from ..lambda_rules.result import CheckResult


class LambdaMethods:
    # -- function policies ------------------------------------------------------------------------

    def function_policy_document(self, arn: str) -> dict[str, Any] | None:
        """The function policy as JSON, read as the environment reads every policy (a managed
        policy or a policy file resolved, under the environment's limits)."""
        from .environment import function_base_arn

        base = function_base_arn(arn)[0]
        for index, fn in enumerate(self.data.functions):  # type: ignore[attr-defined]
            if fn.arn == base:
                doc = self._doc(fn.resource_policy, ("functions", index, "resource_policy"))  # type: ignore[attr-defined]
                return None if doc is None else copy.deepcopy(doc.to_json())  # the caller may edit it
        return None

    def set_function_policy(self, arn: str, policy: Mapping[str, Any] | None) -> None:
        """Replace a function's policy (None removes it); drops every cache."""
        from .environment import function_base_arn

        base = function_base_arn(arn)[0]
        data = self.data  # type: ignore[attr-defined]
        functions = [f.model_copy(update={"resource_policy": dict(policy) if policy is not None else None})
                     if f.arn == base else f for f in data.functions]
        self.changed(data.model_copy(update={"functions": functions}))  # type: ignore[attr-defined]

    # -- the rules ----------------------------------------------------------------------------------

    def check_invoke(self, caller: str, function_arn: str, **options: Any) -> CheckResult:
        from ..lambda_rules import check_invoke

        return check_invoke(self, caller, function_arn, **options)  # type: ignore[arg-type]

    def check_create_function(self, caller: str, function_arn: str, role_arn: str | None,
                              **options: Any) -> CheckResult:
        from ..lambda_rules import check_create_function

        return check_create_function(self, caller, function_arn, role_arn, **options)  # type: ignore[arg-type]

    def function_can(self, function_arn: str, action: str, resource: str,
                     context: Mapping[str, Any] | None = None) -> CheckResult:
        from ..lambda_rules import function_can

        return function_can(self, function_arn, action, resource, context)  # type: ignore[arg-type]

    def add_permission(self, caller: str, function_arn: str, statement_id: str, action: str, principal: str,
                       **options: Any) -> CheckResult:
        from ..lambda_rules import add_permission

        return add_permission(self, caller, function_arn, statement_id, action, principal,  # type: ignore[arg-type]
                              **options)

    def remove_permission(self, caller: str, function_arn: str, statement_id: str, **options: Any) -> CheckResult:
        from ..lambda_rules import remove_permission

        return remove_permission(self, caller, function_arn, statement_id, **options)  # type: ignore[arg-type]

    def get_policy(self, caller: str, function_arn: str, **options: Any) -> CheckResult:
        from ..lambda_rules import get_policy

        return get_policy(self, caller, function_arn, **options)  # type: ignore[arg-type]
