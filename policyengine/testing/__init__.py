"""Property-based testing of IAM setups with hypothesis: strategies and property helpers.

    from policyengine.testing import assert_never_allowed, assert_only, assert_least_privilege
    from policyengine.testing import strategies, targeted

Needs hypothesis (`pip install 'iam-policyengine[testing]'`). Importing `policyengine`
never imports hypothesis; this package imports it only when one of the names below is
used, so that the pytest plugin (`policyengine.testing.plugin`) loads without it. See
docs/testing.md.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "assert_never_allowed": "properties",
    "assert_only": "properties",
    "assert_least_privilege": "properties",
    "Aim": "targeted",
    "targeted_requests": "targeted",
    "targeted_contexts": "targeted",
    "Subject": "subject",
}
_MODULES = ("strategies", "targeted", "properties", "near", "values", "mentions", "subject", "report")

__all__ = [*_EXPORTS, *_MODULES]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS or name in ("strategies", "targeted", "properties"):
        try:
            import hypothesis  # noqa: F401
        except ImportError as exc:  # pragma: no cover - depends on the installation
            raise ImportError("policyengine.testing needs hypothesis: pip install 'iam-policyengine[testing]'") from exc
    if name in _EXPORTS:
        return getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    if name in _MODULES:
        return import_module(f".{name}", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
