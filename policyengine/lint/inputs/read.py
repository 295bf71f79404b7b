"""The entry point: paths in, lint targets and per-file errors out, one bad file never
stopping the others.
"""

from __future__ import annotations

from typing import Sequence, TextIO

from ...errors import PolicyEngineError, PolicySyntaxError
from ...limits import DEFAULT_LIMITS, Limits
from ..rules import POLICY_TYPES
from .documents import Found, located
from .files import STDIN, Loaded, expand, load
from .intrinsics import NO_VALUE, is_placeholder, normalize_intrinsics
from .policy_types import settle_type
from .select import compile_select, selected
from .shapes import recognise
from .targets import InputError, LintTarget

__all__ = ["read_targets"]


def read_targets(
    paths: Sequence[str],
    *,
    select: str | None = None,
    policy_type: str | None = None,
    stdin: TextIO | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> tuple[list[LintTarget], list[PolicyEngineError]]:
    """Read every policy document in `paths` (files, folders, `-` for stdin).

    Returns the targets in file order and one located error per file that could not be read
    (`UnreadableInputError`), is not valid UTF-8, JSON or YAML (`PolicySyntaxError`), or holds
    nothing recognisable as a policy (`NoPolicyFoundError`, with `walked` true when the file
    was found by walking a folder, so the caller may treat it as skipped); reading goes on
    with the other files. A bug of ours is reported the same way (code `INTERNAL_ERROR`),
    never as a traceback. An invalid `select` expression or `policy_type` (usage errors)
    raise `InputError` with code `INVALID_ARGUMENT`.

    `select` (`--select JMESPATH`) replaces shape recognition (`select.selected`);
    `policy_type` (`--policy-type`) overrides the type the shape or the document suggests
    (`policy_types.settle_type`). `limits` caps each file (`max_file_bytes`, nesting, YAML
    nodes); a file over a cap is an error of its own (`LimitExceededError`).
    """
    if policy_type is not None and policy_type not in POLICY_TYPES:
        raise InputError(
            f"`{policy_type}` is not a policy type; use one of {', '.join(POLICY_TYPES)}",
            code="INVALID_ARGUMENT",
        )
    expression = compile_select(select) if select is not None else None
    targets: list[LintTarget] = []
    errors: list[PolicyEngineError] = []
    for file, walked in expand(paths, errors):
        name = STDIN if file == "-" else file
        try:
            loaded = load(file, stdin, limits, whole_file_policy=expression is None)
            if expression is not None:
                found = selected(loaded, expression, select or "")
            else:
                found = recognise(loaded)
            targets.extend(_finish(loaded, found, policy_type))
        except InputError as exc:
            exc.walked = walked
            errors.append(exc)
        except PolicyEngineError as exc:
            errors.append(exc)
        except (RecursionError, MemoryError):
            errors.append(PolicySyntaxError(
                "the file is too large or too deeply nested to read", file=name,
            ))
        except Exception as exc:  # a bug of ours: report it against the file, go on
            errors.append(PolicyEngineError(
                f"policyengine failed to read this file ({type(exc).__name__}: {exc}); "
                "please report it", code="INTERNAL_ERROR", file=name,
            ))
    return targets, errors


def _finish(loaded: Loaded, found: list[Found], override: str | None) -> list[LintTarget]:
    """The targets of the documents found in a file: positions, intrinsics and type settled."""
    targets = []
    for item in found:
        value, locations = item.value, item.locations
        if item.file is not None:  # a document of another file, with that file's positions
            policy_type, reason = settle_type(value, item.policy_type, item.reason, override)
            targets.append(LintTarget(
                file=item.file, document_path=item.path, value=value, locations=locations or None,
                policy_type=policy_type, policy_type_reason=reason, resource_kind=item.kind,
                label=item.label, origin=item.origin,
            ))
            continue
        if locations is None:  # positions come from the file
            if loaded.url_encoded:
                pass  # none: positions inside URL-encoded text are not the file's
            elif loaded.intrinsics and not isinstance(value, str):
                value, locations, _ = normalize_intrinsics(value, loaded.locations, item.path)
            else:
                locations = located(value, loaded.locations, item.path)
        elif loaded.intrinsics and not item.normalized:
            value, _, _ = normalize_intrinsics(value, {}, ())
        if value is NO_VALUE or is_placeholder(value):
            continue  # PolicyDocument: !Ref Param cannot be linted
        if loaded.url_encoded and not item.path:
            value, locations = loaded.text, {(): (1, 1)}
        policy_type, reason = settle_type(value, item.policy_type, item.reason, override)
        targets.append(LintTarget(
            file=loaded.file,
            document_path=item.path,
            value=value,
            locations=locations or None,
            policy_type=policy_type,
            policy_type_reason=reason,
            resource_kind=item.kind,
            ignores=loaded.ignores,
            label=item.label,
            origin=item.origin,
        ))
    return targets
