"""Lint rules: the parser's errors (metadata only).

The parser (`policyengine.parsing`) refuses every document IAM would refuse and reports
each problem with a code from `parsing/codes.py`; the runner turns those errors into ERROR
findings under the same code. These rules carry that code's metadata (summary, learn-more
text, an example and a near miss) so the parser's findings are documented in docs/lint.md
and described in SARIF like every other rule. Their check functions do nothing: a
document that reaches the rules has already parsed.

Two of the examples are not JSON objects (text that is not JSON, a document that is not an
object), so they cannot be written as `Rule.example` dicts: `TEXT_EXAMPLES` holds every
example of this module as the text to lint, and the dict examples are the same documents.
`MISSING_RESOURCE` has no rule here: the parser never raises it (an empty `Resource` list
is accepted, as IAM accepts it), and whether `Resource` is required depends on the policy
type, which is the element rules' business.
"""

from __future__ import annotations

import json
from typing import Any, Iterable

from ...parsing import codes
from ..finding import Finding, Severity
from ..rules import Rule
from ._common import example_policy as _policy


def _no_check(_document: Any) -> Iterable[Finding]:
    return ()


_GET = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}
_ACCOUNT = {"AWS": "arn:aws:iam::111122223333:root"}
# the near miss of a rule that does not name one: the valid policy of the example's type
_VALID = {"identity": _policy(_GET), "resource": _policy({**_GET, "Principal": _ACCOUNT})}


def _rule(code: str, summary: str, learn_more: str, example: Any, near_miss: Any = None, *,
          access_analyzer: bool = False, policy_type: str = "identity") -> Rule:
    near_miss = _VALID[policy_type] if near_miss is None else near_miss
    TEXT_EXAMPLES[code] = (_text(example), _text(near_miss))
    return Rule(
        code=code,
        severity=Severity.ERROR,
        summary=summary,
        learn_more=learn_more,
        check=_no_check,
        access_analyzer=access_analyzer,
        example=example if isinstance(example, dict) else {},
        near_miss=near_miss if isinstance(near_miss, dict) else {},
        example_policy_type=policy_type,
    )


def _text(example: Any) -> str:
    return example if isinstance(example, str) else json.dumps(example, indent=2)


# code -> (example text, near-miss text): every example of this module as text to lint.
TEXT_EXAMPLES: dict[str, tuple[str, str]] = {}

# Access Analyzer codes whose check is (part of) what a parser code or a rule of another
# name reports, for the coverage table of docs/lint.md. Codes that are the same in both are
# not repeated here.
ACCESS_ANALYZER_EQUIVALENTS: dict[str, str] = {
    "JSON_SYNTAX_ERROR": codes.SYNTAX_ERROR,
    "INVALID_POLICY_ELEMENT": codes.UNKNOWN_ELEMENT,
    "UNSUPPORTED_ELEMENT_COMBINATION": codes.ACTION_AND_NOT_ACTION,
    "INVALID_PRINCIPAL_FORMAT": codes.INVALID_PRINCIPAL,
    "INVALID_PRINCIPAL_KEY": codes.INVALID_PRINCIPAL,
    # Access Analyzer documents both an error ("aws:ARN is not supported") and a general
    # warning ("aws:ARN is deprecated") for the one key aws:ARN; one finding covers both.
    "UNSUPPORTED_GLOBAL_CONDITION_KEY": "DEPRECATED_GLOBAL_CONDITION_KEY",
    # A value the operator cannot read never matches: one error, with Access Analyzer's own
    # code in the finding's `extra["access_analyzer_code"]` (checks/conditions/values.py).
    "TYPE_MISMATCH_BOOLEAN": "DATA_TYPE_MISMATCH",
    "TYPE_MISMATCH_DATE": "DATA_TYPE_MISMATCH",
    "TYPE_MISMATCH_IP_RANGE": "DATA_TYPE_MISMATCH",
    "TYPE_MISMATCH_NUMBER": "DATA_TYPE_MISMATCH",
    "TYPE_MISMATCH_STRING": "DATA_TYPE_MISMATCH",
}

RULES: tuple[Rule, ...] = (
    _rule(
        codes.SYNTAX_ERROR,
        "The text is not JSON as IAM reads it.",
        "IAM refuses the whole document: fix the JSON at the reported line and column (a missing "
        "comma or quote, a trailing comma, a comment, or a duplicate key, all of which IAM refuses).",
        '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow", "Action": "s3:GetObject", '
        '"Resource": "arn:aws:s3:::reports/*",}\n  ]\n}',
    ),
    _rule(
        codes.INVALID_DOCUMENT,
        "The document is not a JSON object.",
        "A policy is one JSON object with `Version` and `Statement`; a list or a string is refused.",
        '[\n  {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}\n]',
    ),
    _rule(
        codes.UNKNOWN_ELEMENT,
        "An element IAM does not know (names are case-sensitive).",
        "IAM refuses unknown elements; it is usually a misspelling (`Condtion`, `resource`), and the "
        "element would otherwise be silently lost.",
        _policy({**_GET, "Condtion": {"Bool": {"aws:SecureTransport": "true"}}}),
        _policy({**_GET, "Condition": {"Bool": {"aws:SecureTransport": "true"}}}),
    ),
    _rule(
        codes.INVALID_ELEMENT_TYPE,
        "An element holds a JSON value of the wrong type.",
        "Each element has a fixed shape (`Sid` is a string, `Action` a string or a list of strings); "
        "quote numbers and put lists where lists are expected.",
        _policy({"Sid": 1, **_GET}),
        _policy({"Sid": "ReadReports", **_GET}),
    ),
    _rule(
        codes.INVALID_VERSION,
        "`Version` is neither `2012-10-17` nor `2008-10-17`.",
        "`Version` is the policy language version, not today's date: use `2012-10-17`.",
        _policy(_GET, version="2024-01-01"),
        access_analyzer=True,
    ),
    _rule(
        codes.MISSING_STATEMENT,
        "The policy has no `Statement`.",
        "A policy grants or denies through its statements; add a `Statement` list.",
        {"Version": "2012-10-17"},
        access_analyzer=True,
    ),
    _rule(
        codes.EMPTY_STATEMENT,
        "`Statement` is an empty list.",
        "IAM refuses a policy without statements; add one or delete the policy.",
        _policy(),
    ),
    _rule(
        codes.INVALID_STATEMENT,
        "A statement is not a JSON object.",
        "Each entry of `Statement` is an object with `Effect`, `Action` and usually `Resource`.",
        _policy("s3:GetObject"),  # type: ignore[arg-type]
    ),
    _rule(
        codes.MISSING_EFFECT,
        "A statement has no `Effect`.",
        'Every statement says whether it allows or denies: add "Effect": "Allow" or "Effect": "Deny".',
        _policy({"Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}),
        access_analyzer=True,
    ),
    _rule(
        codes.INVALID_EFFECT,
        "`Effect` is not exactly `Allow` or `Deny`.",
        "The value is case-sensitive: `allow` or `DENY` are refused.",
        _policy({**_GET, "Effect": "allow"}),
        access_analyzer=True,
    ),
    _rule(
        codes.ACTION_AND_NOT_ACTION,
        "A statement has both `Action` and `NotAction`.",
        "The two are exclusive: `NotAction` matches every action it does not list, so keep the one "
        "you mean.",
        _policy({**_GET, "NotAction": "s3:DeleteObject"}),
    ),
    _rule(
        codes.MISSING_ACTION,
        "A statement has neither `Action` nor `NotAction`.",
        "A statement must name the actions it applies to.",
        _policy({"Effect": "Allow", "Resource": "arn:aws:s3:::reports/*"}),
        access_analyzer=True,
    ),
    _rule(
        codes.RESOURCE_AND_NOT_RESOURCE,
        "A statement has both `Resource` and `NotResource`.",
        "The two are exclusive: `NotResource` matches every resource it does not list, so keep the "
        "one you mean.",
        _policy({**_GET, "NotResource": "arn:aws:s3:::secret/*"}),
    ),
    _rule(
        codes.PRINCIPAL_AND_NOT_PRINCIPAL,
        "A statement has both `Principal` and `NotPrincipal`.",
        "The two are exclusive; keep `Principal` unless you really mean everyone but the listed "
        "principals.",
        _policy({**_GET, "Principal": _ACCOUNT,
                 "NotPrincipal": {"AWS": "arn:aws:iam::111122223333:user/mallory"}}),
        policy_type="resource",
    ),
    _rule(
        codes.INVALID_PRINCIPAL,
        "`Principal` or `NotPrincipal` is malformed.",
        'Write `"*"` or a map from principal type (`AWS`, `Service`, `Federated`, `CanonicalUser`) to a '
        "name or a list of names.",
        _policy({**_GET, "Principal": "arn:aws:iam::111122223333:root"}),
        policy_type="resource",
    ),
    _rule(
        codes.INVALID_CONDITION,
        "A `Condition` block has the wrong shape.",
        "`Condition` maps operators to maps of condition keys to a value or a list of values: "
        '{"StringEquals": {"aws:PrincipalTag/team": "data"}}.',
        _policy({**_GET, "Condition": {"StringEquals": "aws:PrincipalTag/team"}}),
        _policy({**_GET, "Condition": {"StringEquals": {"aws:PrincipalTag/team": "data"}}}),
    ),
)
