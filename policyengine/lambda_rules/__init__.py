"""The Lambda rules: what a real Lambda API call would check, with AWS's errors and messages.

Each `check_*` returns a `CheckResult` (allowed, the AWS error, every check with its Decision).
Semantics: lambda-permissions.md §3 and §4; qualifier matching is decided in `functions`.
"""

from .create import check_create_function
from .event_sources import check_dead_letter, check_destination, check_event_source_mapping, check_function_targets
from .function_can import function_can
from .functions import ResolvedFunction, RuleInputError, execution_session, resolve
from .invoke import check_invoke
from .permissions import add_permission, get_policy, remove_permission
from .result import AwsError, Check, CheckResult, access_denied_message

__all__ = [
    "AwsError",
    "Check",
    "CheckResult",
    "ResolvedFunction",
    "RuleInputError",
    "access_denied_message",
    "add_permission",
    "check_create_function",
    "check_dead_letter",
    "check_destination",
    "check_event_source_mapping",
    "check_function_targets",
    "check_invoke",
    "execution_session",
    "function_can",
    "get_policy",
    "remove_permission",
    "resolve",
]
