"""The Null operator: tests whether a key is present, nothing else.

- `"true"`: the key is absent; `"false"`: the key is present. Values are
  `true`/`false` in any case or JSON booleans; anything else is a compile error.
  Several values are OR-ed (`["true", "false"]` is always true).
- A key counts as absent when the request does not carry it, carries JSON `null`, or
  carries an empty list (an empty set is AWS's "null data set"). An empty string is a
  present value.
- `NullIfExists` is rejected at compile time (Access Analyzer reports it as an error,
  `NULL_WITH_IF_EXISTS`).
- A set prefix quantifies over the key's values, each of them present: `ForAllValues:Null`
  is true for a missing key (no values) and otherwise as `Null`; `ForAnyValue:Null` is false
  for a missing key and otherwise as `Null`. This is what the IAM policy simulator answers
  (PMapper's tests, "validated against the Simulator API"), and Access Analyzer's
  NULL_WITH_QUALIFIER note says the same for a missing key; the linter flags the prefix
  (`NULL_WITH_QUALIFIER`). The evaluation lives in `compiler.build_check`.
- The compiler hands this operator the presence flag (`True` = absent) as the request
  value; the key's own value is never inspected.
"""

from __future__ import annotations

from typing import Sequence

from .boolean import compile_flags
from .registry import Family, OperatorSpec, PolicyValue, ValueSet, register


def compile_null(spec: OperatorSpec, values: Sequence[PolicyValue], variables_enabled: bool) -> ValueSet:
    return compile_flags(spec, values, bool, lambda accepted: lambda absent, ctx: absent in accepted)


register(
    OperatorSpec(
        name="Null",
        family=Family.NULL,
        negated=False,
        allows_wildcards=False,
        allows_variables=False,
        compile_values=compile_null,
        verb=("is", "is not"),
        presence_only=True,
    )
)
