"""Error codes of the parsing stage (the `code` of each error a bad document produces).

JSON problems are all `SYNTAX_ERROR` (a `PolicySyntaxError`; the message says which). The
structural problems below are collected together and raised as one `PolicyValidationError`
whose `errors` each carry one of these codes, a JSON path and, when the document came from
text, its line and column. Names follow IAM Access Analyzer's style (UPPER_SNAKE).
"""

from __future__ import annotations

SYNTAX_ERROR = "SYNTAX_ERROR"  # not JSON as IAM reads it (PolicySyntaxError)

INVALID_DOCUMENT = "INVALID_DOCUMENT"  # the document is not a JSON object
UNKNOWN_ELEMENT = "UNKNOWN_ELEMENT"  # an element IAM does not know (names are case-sensitive)
INVALID_ELEMENT_TYPE = "INVALID_ELEMENT_TYPE"  # e.g. `Sid: 5`, `Action: {...}`, `Action: [1]`
INVALID_VERSION = "INVALID_VERSION"  # `Version` other than 2012-10-17 / 2008-10-17
MISSING_STATEMENT = "MISSING_STATEMENT"  # no `Statement`
EMPTY_STATEMENT = "EMPTY_STATEMENT"  # `Statement: []`
INVALID_STATEMENT = "INVALID_STATEMENT"  # a statement that is not a JSON object
MISSING_EFFECT = "MISSING_EFFECT"
INVALID_EFFECT = "INVALID_EFFECT"  # anything but exactly `Allow` / `Deny`
ACTION_AND_NOT_ACTION = "ACTION_AND_NOT_ACTION"
MISSING_ACTION = "MISSING_ACTION"  # neither `Action` nor `NotAction`, or an empty list
RESOURCE_AND_NOT_RESOURCE = "RESOURCE_AND_NOT_RESOURCE"
# An empty `Resource` / `NotResource` list. A missing element is *not* an error here: some
# policy types (trust policies, SCPs) have none; the linter checks that per policy type.
MISSING_RESOURCE = "MISSING_RESOURCE"
PRINCIPAL_AND_NOT_PRINCIPAL = "PRINCIPAL_AND_NOT_PRINCIPAL"
INVALID_PRINCIPAL = "INVALID_PRINCIPAL"  # any malformed `Principal` / `NotPrincipal`
INVALID_CONDITION = "INVALID_CONDITION"  # a `Condition` block of the wrong shape

ALL = (
    SYNTAX_ERROR,
    INVALID_DOCUMENT,
    UNKNOWN_ELEMENT,
    INVALID_ELEMENT_TYPE,
    INVALID_VERSION,
    MISSING_STATEMENT,
    EMPTY_STATEMENT,
    INVALID_STATEMENT,
    MISSING_EFFECT,
    INVALID_EFFECT,
    ACTION_AND_NOT_ACTION,
    MISSING_ACTION,
    RESOURCE_AND_NOT_RESOURCE,
    MISSING_RESOURCE,
    PRINCIPAL_AND_NOT_PRINCIPAL,
    INVALID_PRINCIPAL,
    INVALID_CONDITION,
)
