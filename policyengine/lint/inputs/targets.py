"""The hand-off from reading to linting: one `LintTarget` per policy document, and the
errors for inputs that give none.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...errors import JsonPath, PolicyEngineError, PolicyValidationError
from ...parsing import build_policy, parse_json, parse_policy
from ...parsing.source import is_url_encoded, policy_text
from .documents import Locations
from .policy_types import infer_policy_type

if TYPE_CHECKING:
    from ...model.policy import PolicyDocument
    from ..catalogue import Catalogue
    from ..document import LintDocument

__all__ = ["InputError", "LintTarget", "NoPolicyFoundError", "UnreadableInputError"]


class InputError(PolicyEngineError):
    """A path that cannot be linted as given."""

    code = "INPUT_ERROR"

    def __init__(self, message: str, *, walked: bool = False, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        # The file was found by walking a folder rather than named by the user.
        self.walked = walked


class UnreadableInputError(InputError):
    """The file or folder does not exist or cannot be read (the CLI exits 2)."""

    code = "UNREADABLE_INPUT"


class NoPolicyFoundError(InputError):
    """The file is valid JSON or YAML but holds nothing recognisable as a policy."""

    code = "NO_POLICY_FOUND"


@dataclass
class LintTarget:
    """One policy document to lint: where it sits in its file, its positions, and its type."""

    file: str  # path as given, or "<stdin>"
    # Where the policy sits inside the file: () for a bare policy.
    document_path: JsonPath
    # The policy: a dict, or a str when the file stores it as JSON text or URL-encoded text.
    value: Any
    # Path inside the document -> (line, column) in the file; None when unknown. For a str
    # value only `()` is located: the position of the string in the file.
    locations: Locations | None
    policy_type: str | None
    policy_type_reason: str
    resource_kind: str | None
    # Inline suppressions of the file (`# policyengine: ignore CODE` in YAML): line -> codes.
    ignores: dict[int, set[str]] = field(default_factory=dict)
    label: str = "policy"
    # The shape the document came from: "policy", "get-policy-version", "aws-cli",
    # "account-authorization-details", "cloudformation", "terraform", "select", ...
    origin: str = "policy"

    def location_of(self, path: JsonPath) -> tuple[int, int] | None:
        """The (line, column) of the node at `path` inside the document, or its nearest parent."""
        if not self.locations:
            return None
        path = tuple(path)
        while True:
            found = self.locations.get(path)
            if found is not None or not path:
                return found
            path = path[:-1]

    def parse(self) -> PolicyDocument:
        """The validated policy, positioned in the file.

        Raises `PolicySyntaxError` or `PolicyValidationError`. For a document stored as text,
        errors are placed at the string in the file; their position inside the text is in
        `help`.
        """
        if not isinstance(self.value, str):
            return build_policy(self.value, locations=self.locations, file=self.file)
        try:
            document = parse_policy(str(self.value), file=self.file, locations=False)
        except PolicyValidationError as exc:
            raise PolicyValidationError([self._relocated(e) for e in exc.errors]) from None
        except PolicyEngineError as exc:
            raise self._relocated(exc) from None
        return document.with_locations(dict(self.locations) if self.locations else None)

    def document(self) -> dict[str, Any]:
        """The policy as a JSON object (text values decoded and parsed)."""
        if isinstance(self.value, str):
            return parse_json(policy_text(str(self.value), file=self.file), file=self.file)
        return self.value

    def lint_document(self, catalogue: Catalogue | None = None) -> LintDocument:
        """The `LintDocument` the rules read. Raises what `parse()` raises."""
        from ..document import LintDocument

        policy = self.parse()
        raw = self.document()
        policy_type = self.policy_type or infer_policy_type(raw)[0]
        return LintDocument(
            policy=policy,
            raw=raw,
            policy_type=policy_type,
            file=self.file,
            document_path=self.document_path,
            resource_kind=self.resource_kind,
            _catalogue=catalogue,
        )

    def _relocated(self, error: PolicyEngineError) -> PolicyEngineError:
        where = self.locations.get(()) if self.locations else None
        inner = ""
        if error.line is not None:
            inner = f"line {error.line}, column {error.column} of the policy text"
            if is_url_encoded(str(self.value)):
                inner += " (URL-decoded)"
        help = "; ".join(part for part in (inner, error.help) if part) or None
        relocated = type(error).__new__(type(error))
        PolicyEngineError.__init__(
            relocated, error.message, code=error.code, file=self.file,
            line=where[0] if where else None, column=where[1] if where else None,
            path=error.path, help=help,
        )
        return relocated
