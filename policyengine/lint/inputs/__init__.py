"""The input side of `policyengine lint`: files, folders and stdin -> the policy documents in
them, each located in its file so that findings point at the right line.

    targets, errors = read_targets(["template.yaml", "policies/", "-"])

The steps live apart: reading files (`files`), finding documents by the file's shape
(`shapes`, with `aws_cli`, `cloudformation`, `terraform`) or by `--select` (`select`), and
settling each target (`read`, `intrinsics`, `policy_types`).
"""

from __future__ import annotations

from .files import FOLDER_SUFFIXES, STDIN
from .intrinsics import Intrinsic, is_intrinsic, normalize_intrinsics, template_placeholders
from .lambda_permission import lambda_permission_policy
from .policy_types import infer_policy_type
from .read import read_targets
from .shapes import NO_POLICY
from .targets import InputError, LintTarget, NoPolicyFoundError, UnreadableInputError

__all__ = [
    "FOLDER_SUFFIXES",
    "InputError",
    "Intrinsic",
    "LintTarget",
    "NO_POLICY",
    "NoPolicyFoundError",
    "UnreadableInputError",
    "infer_policy_type",
    "is_intrinsic",
    "lambda_permission_policy",
    "normalize_intrinsics",
    "read_targets",
    "STDIN",
    "template_placeholders",
]
