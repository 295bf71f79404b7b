"""What the element rule modules share: their rule constructor (each rule has an Access
Analyzer twin unless it says otherwise), severity shorthands and example statements."""

from __future__ import annotations

from functools import partial

from ...finding import Severity
from ...rules import Rule

_GET = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}
_ACCOUNT = {"AWS": "arn:aws:iam::111122223333:root"}

_rule = partial(Rule, access_analyzer=True)

_E, _S, _W, _G = Severity.ERROR, Severity.SECURITY_WARNING, Severity.WARNING, Severity.SUGGESTION
