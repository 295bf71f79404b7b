"""What the resource rule modules share: the elements they read, the finding one entry's
examination gives, and the policy their examples use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .._common import example_policy as _policy

_RESOURCE_ELEMENTS = ("Resource", "NotResource")


@dataclass(frozen=True)
class _Problem:
    code: str
    message: str
    # UNDOCUMENTED_ARN_RESOURCE for a resource part with no type word: the statement's
    # actions may show which type it left out (see `_missing_type`)
    nameless: bool = False
    service: str = ""
    rest: str = ""


def _s3(resource: Any, action: Any = "s3:GetObject") -> dict[str, Any]:
    return _policy({"Effect": "Allow", "Action": action, "Resource": resource})
