"""Lint rules: statement IDs that repeat, where AWS refuses or merely tolerates it, that are
empty, or that hold characters AWS refuses.

Decisions:
- `UNSUPPORTED_SID` applies to the policies IAM and AWS Organizations store: identity,
  permissions boundary and trust policies (IAM: "Statement IDs (SID) must be alpha-numeric.
  Check that your input satisfies the regular expression [0-9A-Za-z]*"; IAM User Guide, Sid
  element) and SCPs and RCPs (Organizations refuses them too; Access Analyzer reports
  UNSUPPORTED_SID for SCPs). Resource policies are not checked: their services set their own
  rules, and several accept more (S3 bucket and KMS key policies take spaces, as in KMS's
  default "Enable IAM User Permissions"; SNS and SQS write `__default_statement_ID`).
"""

from __future__ import annotations

import re
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


# Policies whose Sids may hold only ASCII letters and digits (IAM, AWS Organizations).
_ALPHANUMERIC_SID_TYPES = frozenset({"identity", "boundary", "trust", "scp", "rcp"})
_SID_CHARACTER = re.compile(r"[A-Za-z0-9]")


def _check_unsupported_sid(doc: LintDocument) -> Iterator[Finding]:
    for path, statement, raw in doc.statements():
        sid = raw.get("Sid")
        if not isinstance(sid, str) or not sid:
            continue  # a non-string Sid is the parser's error, an empty one EMPTY_SID_VALUE
        bad = sorted({c for c in sid if not _SID_CHARACTER.match(c)}, key=sid.index)
        if not bad:
            continue
        shown = ", ".join("a space" if c == " " else f"`{c}`" for c in bad[:5])
        words = [w for w in re.split(r"[^A-Za-z0-9]+", sid) if w]
        fixed = words[0] + "".join(w[:1].upper() + w[1:] for w in words[1:]) if words else ""
        fix = f"write e.g. `{fixed}`" if fixed else "use letters and digits only"
        yield doc.finding(
            "UNSUPPORTED_SID",
            path + ("Sid",),
            f"the Sid `{sid}` of statement {statement.index} has {shown}; this policy type takes only "
            f"ASCII letters and digits in a Sid (AWS refuses the policy), so {fix}",
            suggestion=fixed or None,
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
    _rule(
        "UNSUPPORTED_SID",
        _E,
        "A Sid with characters other than A-Z, a-z and 0-9 in a policy IAM or Organizations stores.",
        "IAM (identity, boundary and trust policies) and AWS Organizations (SCPs, RCPs) refuse a "
        "policy whose Sid holds anything but ASCII letters and digits: write `ReadReports`, not "
        "`Read-Reports` or `Read reports`. Resource policies are not checked: S3 and KMS, for "
        "example, accept spaces.",
        _check_unsupported_sid,
        _policy({"Sid": "Read-Reports", **_GET}),
        _policy({"Sid": "ReadReports2", **_GET}),
        policy_types=_ALPHANUMERIC_SID_TYPES,
    ),
)
