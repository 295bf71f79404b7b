"""Lint rules: statement IDs that repeat, where AWS refuses or merely tolerates it, or are empty."""

from __future__ import annotations

from collections.abc import Iterator

from ....model.policy import Statement
from ...document import JsonPath, LintDocument
from ...finding import Finding
from ...rules import Rule
from .._common import example_policy as _policy
from ._shared import _ACCOUNT, _E, _G, _GET, _W, _rule

# -- Sids ------------------------------------------------------------------------------------

# Policies whose Sids must be unique: IAM refuses duplicates in the policies it stores
# ("Statement IDs (SID) in a single policy must be unique"), SNS requires a unique Sid per
# statement (SNS developer guide, API permissions reference), and Lambda's AddPermission
# refuses an existing StatementId.
_UNIQUE_SID_TYPES = frozenset({"identity", "boundary", "trust"})
_UNIQUE_SID_KINDS = frozenset({"sns:topic", "lambda:function"})


def _sids_required(doc: LintDocument) -> bool:
    return doc.policy_type in _UNIQUE_SID_TYPES or (
        doc.policy_type == "resource" and doc.resource_kind in _UNIQUE_SID_KINDS
    )


def _duplicate_sids(doc: LintDocument) -> Iterator[tuple[JsonPath, Statement, Statement]]:
    first: dict[str, Statement] = {}
    for path, statement, _raw in doc.statements():
        if not statement.sid:
            continue
        if statement.sid in first:
            yield path + ("Sid",), statement, first[statement.sid]
        else:
            first[statement.sid] = statement


def _check_unique_sids_required(doc: LintDocument) -> Iterator[Finding]:
    if not _sids_required(doc):
        return
    for where, statement, earlier in _duplicate_sids(doc):
        yield doc.finding(
            "UNIQUE_SIDS_REQUIRED",
            where,
            f"statement {statement.index} repeats the Sid `{statement.sid}` of statement "
            f"{earlier.index}; AWS refuses duplicate Sids in this policy, so rename one",
        )


def _check_unique_sids_recommended(doc: LintDocument) -> Iterator[Finding]:
    if _sids_required(doc):
        return
    for where, statement, earlier in _duplicate_sids(doc):
        yield doc.finding(
            "UNIQUE_SIDS_RECOMMENDED",
            where,
            f"statement {statement.index} repeats the Sid `{statement.sid}` of statement "
            f"{earlier.index}; give each statement its own Sid so findings and logs can tell "
            "them apart",
        )


def _check_empty_sid(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, raw in doc.statements():
        if raw.get("Sid") == "":
            yield doc.finding(
                "EMPTY_SID_VALUE",
                path + ("Sid",),
                f"statement {statement.index} has an empty `Sid`; give it a name or remove `Sid`",
            )


# -- the rules -------------------------------------------------------------------------------


RULES: tuple[Rule, ...] = (
    _rule(
        "UNIQUE_SIDS_REQUIRED",
        _E,
        "Two statements share a Sid in a policy that requires unique Sids.",
        "IAM (identity, boundary and trust policies), SNS topic policies and Lambda function "
        "policies refuse duplicate statement IDs; rename one of the statements.",
        _check_unique_sids_required,
        _policy({"Sid": "Read", **_GET}, {"Sid": "Read", **_GET, "Action": "s3:ListBucket",
                                           "Resource": "arn:aws:s3:::reports"}),
        _policy({"Sid": "ReadObjects", **_GET}, {"Sid": "ListBucket", **_GET, "Action": "s3:ListBucket",
                                                  "Resource": "arn:aws:s3:::reports"}),
    ),
    _rule(
        "UNIQUE_SIDS_RECOMMENDED",
        _W,
        "Two statements share a Sid in a policy that tolerates it.",
        "Duplicate Sids are accepted here but make findings, logs and later edits ambiguous; give "
        "each statement its own Sid.",
        _check_unique_sids_recommended,
        _policy({"Sid": "Read", **_GET, "Principal": _ACCOUNT},
                {"Sid": "Read", **_GET, "Principal": _ACCOUNT, "Action": "s3:ListBucket",
                 "Resource": "arn:aws:s3:::reports"}),
        _policy({"Sid": "ReadObjects", **_GET, "Principal": _ACCOUNT},
                {"Sid": "ListBucket", **_GET, "Principal": _ACCOUNT, "Action": "s3:ListBucket",
                 "Resource": "arn:aws:s3:::reports"}),
        example_policy_type="resource",
    ),
    _rule(
        "EMPTY_SID_VALUE",
        _G,
        "A `Sid` that is the empty string.",
        "An empty Sid names nothing; give the statement a name or remove the element.",
        _check_empty_sid,
        _policy({"Sid": "", **_GET}),
        _policy({"Sid": "ReadReports", **_GET}),
    ),
)
