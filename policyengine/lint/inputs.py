"""The input side of `policyengine lint`: files, folders and stdin -> policy documents to lint.

    targets, errors = read_targets(["template.yaml", "policies/", "-"])

Each `LintTarget` is one policy document: where it sits in its file (`document_path`, a JSON
path: `()` for a bare policy, `("Resources", "MyRole", "Properties",
"AssumeRolePolicyDocument")` in a template), the document itself (`value`: a dict, or a str
when the file stores the policy as JSON text or URL-encoded text), the (line, column) of its
nodes in the file, its policy type and why, the kind of resource it is attached to, the
inline suppressions of its file and a short label. `errors` holds a located
`PolicyEngineError` for every file that could not be read (`UnreadableInputError`), is not
valid UTF-8, JSON or YAML (`PolicySyntaxError`), or holds nothing recognisable as a policy
(`NoPolicyFoundError`, with `walked` true when the file was found by walking a folder, so
the caller may treat it as skipped); reading goes on with the other files. A bug of ours is
reported the same way (code `INTERNAL_ERROR`), never as a traceback.

Paths
    A file is read whatever its name. A folder is walked recursively for files ending in
    `.json` (which includes Terraform's `.tf.json` and CDK's `.template.json`), `.yaml`,
    `.yml` and `.template`, in sorted order; hidden files and folders, `node_modules` and
    `__pycache__` are skipped and folder symlinks are not followed. `-` reads stdin. Files
    over `MAX_FILE_BYTES` are refused.

Formats
    Text that starts with `%7B` is a URL-encoded JSON document, as the IAM API returns them
    (the target's value is the text; positions inside it are not the file's). Otherwise
    `.json` files are JSON (IAM's strict reading: duplicate keys, comments and trailing
    commas are errors), `.yaml`/`.yml` files are YAML (`yaml_positions.py`), and anything
    else, stdin included, is JSON when its first character is `{`, `[` or `"`, YAML if not.

Shapes recognised (first match wins)
    - a bare policy: an object with `Statement` (or a policy `Version` and no other shape);
      a JSON string holding one; a list of them; URL-encoded text of one;
    - `aws iam get-policy-version` (`PolicyVersion.Document`, an object or URL-encoded text),
      `get-role`, `list-roles` (trust policies), `get-role-policy`/`get-user-policy`/
      `get-group-policy`, `s3api get-bucket-policy`, `lambda get-policy`, `kms
      get-key-policy`, `sqs get-queue-attributes`, `sns get-topic-attributes`, `ecr
      get-repository-policy`, `secretsmanager get-resource-policy`, `organizations
      describe-policy` (SCP/RCP by type; a list of them too);
    - `aws iam get-account-authorization-details`: every user, group and role inline policy,
      every role's trust policy, and every version of every managed policy (all versions, not
      only the default one: any of them can be made the default; the label names the version
      and says which is the default). Permissions boundaries are references to managed
      policies: a managed policy used only as a boundary is linted as `boundary`;
    - CloudFormation templates, JSON or YAML (see "Intrinsic functions" below):
      `AWS::IAM::Role` (trust policy and inline policies; `PermissionsBoundary` is an ARN),
      `AWS::IAM::Policy`/`RolePolicy`/`UserPolicy`/`GroupPolicy`, `AWS::IAM::ManagedPolicy`
      (as `boundary` when only named as a `PermissionsBoundary` by `!Ref`),
      `AWS::IAM::User`/`Group` inline policies, S3/S3 Express bucket policies, SQS queue and
      SNS topic policies (inline variants too), KMS key policies, Secrets Manager resource
      policies, ECR repository policies, SAM functions' `Policies` and
      `AssumeRolePolicyDocument`, `AWS::Organizations::Policy` (SCP/RCP by `Type`; other
      Organizations policy types are not IAM policies and are skipped), any other resource
      property holding an object with `Statement` (type inferred), and
      `AWS::Lambda::Permission`, which is not a document: the function-policy statement
      Lambda writes for it is built (`lambda_permission_policy`), at document path
      `("Resources", name, "Properties")`, with locations pointing at the properties;
    - Terraform plans and state (`terraform show -json`): resources of `planned_values`
      (or `values`) and their child modules, plus data sources of `prior_state`:
      `aws_iam_policy`, `aws_iam_role` (`assume_role_policy` as trust, `inline_policy`),
      `aws_iam_role_policy`/`user_policy`/`group_policy`, bucket, queue and topic policies,
      KMS keys, `aws_iam_policy_document` data sources (`json`, type inferred),
      `aws_organizations_policy` (`content`, SCP/RCP), `aws_lambda_permission` (built like
      CloudFormation's), and any other attribute with `polic` in its name holding policy JSON.
      The values are JSON strings: `value` is the string and its positions are the
      attribute's (under path `()`), since positions inside a string are not file positions;
    - Terraform JSON configuration (`.tf.json`): `resource` attributes holding literal
      policy JSON (interpolated strings such as `${jsonencode(...)}` cannot be read; lint
      the plan instead).

`--select JMESPATH` replaces shape recognition: every result of the expression (lists are
flattened) that is a policy (an object with `Statement`, or JSON text of one) becomes a
target. JMESPath returns the file's own objects for field, index, slice, projection and
filter expressions, so the document path is found by identity; for results the expression
built (multiselect, functions) it is unknown and the target's `document_path` is
`("<select>", n)`, n being the result's position, and the label says so.

Policy type: the `policy_type` argument overrides everything; otherwise the shape tells
(trust for role trust policies, resource for bucket/queue/topic/key/function policies,
scp/rcp for Organizations policies, boundary as above, identity for IAM policies);
otherwise it is inferred from the document (`infer_policy_type`). `policy_type_reason` says
which.

Intrinsic functions
    Inside CloudFormation documents, `Fn::Sub` becomes its template string (`${!Literal}`
    unescaped to `${Literal}`, as CloudFormation writes it, so IAM policy variables read as
    IAM sees them; `${Param}` and `${AWS::Region}` placeholders stay), and `Fn::Join` of
    literal text, `Ref`, `Fn::GetAtt` and `Fn::Sub` parts becomes the same kind of template
    (`${Name}`, `${Resource.Attribute}`; a join of literal text only is just its text). Both are `Intrinsic` strings whose `template` is
    true. `Fn::If` whose branches are objects or lists is replaced by the first branch that is
    one (a statement under a condition is linted as if the condition held), and
    `Ref: AWS::NoValue` removes the member or item that holds it. Every other intrinsic
    becomes an `Intrinsic` placeholder string written like the YAML short form (`!Ref
    Bucket`, `!GetAtt Role.Arn`, `!ImportValue ...`), which the policy parser accepts where a
    string goes and which checks recognise with `is_intrinsic()` (a pydantic model keeps the
    text but not the subclass, so `is_intrinsic` also recognises the text) and should skip.
    A document that is itself a placeholder (`PolicyDocument: !Ref Param`) cannot be linted
    and is left out. Document paths are the file's; paths inside a document follow the
    document as linted, so they differ from the file's only under a resolved `Fn::If` or a
    removed `AWS::NoValue` item (line and column are right either way).

Inline suppressions (YAML only, JSON has no comments): `# policyengine: ignore CODE[,CODE]`
at the end of a line suppresses those codes on that line; on a line of its own, on the next
line that is neither blank nor a comment. `LintTarget.ignores` maps line -> codes.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterator, Sequence, TextIO

import jmespath
import jmespath.exceptions

from ..errors import JsonPath, PolicyEngineError, PolicySyntaxError, PolicyValidationError
from ..parsing import build_policy, parse_json, parse_json_with_locations, parse_policy
from ..parsing.source import decode_bytes, is_url_encoded, policy_text, strip_bom, url_decode
from .rules import POLICY_TYPES
from .yaml_positions import load_yaml

if TYPE_CHECKING:
    from ..model.policy import PolicyDocument
    from .catalogue import Catalogue
    from .document import LintDocument

__all__ = [
    "FOLDER_SUFFIXES",
    "InputError",
    "Intrinsic",
    "LintTarget",
    "MAX_FILE_BYTES",
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

Locations = dict[JsonPath, tuple[int, int]]

FOLDER_SUFFIXES = (".json", ".yaml", ".yml", ".template")
SKIPPED_FOLDERS = frozenset({"node_modules", "__pycache__"})
MAX_FILE_BYTES = 64 * 1024 * 1024
STDIN = "<stdin>"
SELECT_PATH = "<select>"

NO_POLICY = "no policy document found; use --select JMESPATH to pick documents from this shape"


# -- errors -------------------------------------------------------------------------------------


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


# -- CloudFormation intrinsic placeholders ------------------------------------------------------


class Intrinsic(str):
    """A CloudFormation intrinsic function where a policy has a string.

    The text is the YAML short form (`!Ref Bucket`) or, when `template` is true (`Fn::Sub`,
    and `Fn::Join` of simple parts), the template with `${...}` placeholders.
    """

    function: str
    argument: Any

    def __new__(cls, text: str, function: str, argument: Any) -> Intrinsic:
        self = super().__new__(cls, text)
        self.function = function
        self.argument = argument
        return self

    @property
    def template(self) -> bool:
        return self.function in ("Fn::Sub", "Fn::Join")

    def __reduce__(self) -> Any:
        return (Intrinsic, (str(self), self.function, self.argument))


_PLACEHOLDER = re.compile(r"![A-Z][A-Za-z0-9]*(?: |$)")
_TEMPLATE_NAME = re.compile(r"\$\{([^}!]+)\}")


def is_intrinsic(value: object) -> bool:
    """Whether `value` stands for a CloudFormation intrinsic function, not a literal.

    True for `Intrinsic` strings (placeholders and templates) and for text written like a
    placeholder (`!Ref X`), which is what a model built from the document keeps.
    """
    if isinstance(value, Intrinsic):
        return True
    return isinstance(value, str) and _PLACEHOLDER.match(value) is not None


def template_placeholders(text: str) -> list[str]:
    """The CloudFormation `${...}` placeholders of a template string, not IAM's variables.

    `${Bucket}`, `${Role.Arn}` and `${AWS::Region}` are CloudFormation's; IAM's variables
    (`${aws:username}`, `${*}`) have one colon.
    """
    names = []
    for name in _TEMPLATE_NAME.findall(text):
        if name.startswith("AWS::") or (":" not in name and name not in ("*", "?", "$")):
            names.append(name)
    return names


# -- targets ------------------------------------------------------------------------------------


@dataclass
class LintTarget:
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
    # Inline suppressions of the file: line -> codes.
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
        from .document import LintDocument

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


@dataclass
class _Found:
    """A document recognised in a file, before its positions and type are settled."""

    path: JsonPath
    value: Any
    policy_type: str | None
    reason: str
    kind: str | None
    label: str
    origin: str
    # Positions relative to the document, when the recogniser computed them itself.
    locations: Locations | None = None
    # Intrinsic functions already made lintable (CloudFormation recognisers do it).
    normalized: bool = False


@dataclass
class _Loaded:
    file: str
    value: Any
    locations: Locations
    ignores: dict[int, set[str]] = field(default_factory=dict)
    url_encoded: bool = False
    # The file's text, kept for URL-encoded files (the target is the text as written).
    text: str = ""
    # CloudFormation intrinsic functions may appear (a template, or YAML with `!` tags).
    intrinsics: bool = False


# -- the entry point ----------------------------------------------------------------------------


def read_targets(
    paths: Sequence[str],
    *,
    select: str | None = None,
    policy_type: str | None = None,
    stdin: TextIO | None = None,
) -> tuple[list[LintTarget], list[PolicyEngineError]]:
    """Read every policy document in `paths` (files, folders, `-` for stdin).

    Returns the targets in file order and one located error per file that could not be read
    or held no policy. An invalid `select` expression or `policy_type` (usage errors) raise
    `InputError` with code `INVALID_ARGUMENT`.
    """
    if policy_type is not None and policy_type not in POLICY_TYPES:
        raise InputError(
            f"`{policy_type}` is not a policy type; use one of {', '.join(POLICY_TYPES)}",
            code="INVALID_ARGUMENT",
        )
    expression = None
    if select is not None:
        try:
            expression = jmespath.compile(select)
        except jmespath.exceptions.JMESPathError as exc:
            raise InputError(f"`{select}` is not a JMESPath expression: {exc}",
                             code="INVALID_ARGUMENT") from None
    targets: list[LintTarget] = []
    errors: list[PolicyEngineError] = []
    for file, walked in _expand(paths, errors):
        name = STDIN if file == "-" else file
        try:
            loaded = _load(file, stdin)
            if expression is not None:
                found = _selected(loaded, expression, select or "")
            else:
                found = _recognise(loaded)
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


def _expand(paths: Sequence[str], errors: list[PolicyEngineError]) -> Iterator[tuple[str, bool]]:
    """The files to read: (path, found by walking a folder)."""
    seen: set[str] = set()

    def first_time(path: str) -> bool:
        key = os.path.realpath(path)
        if key in seen:
            return False
        seen.add(key)
        return True

    for path in paths:
        if path == "-":
            yield path, False
        elif os.path.isdir(path):
            found = False
            for root, folders, files in os.walk(path, onerror=None):
                folders[:] = sorted(
                    f for f in folders if not f.startswith(".") and f not in SKIPPED_FOLDERS
                )
                for name in sorted(files):
                    if name.startswith(".") or not name.lower().endswith(FOLDER_SUFFIXES):
                        continue
                    found = True
                    full = os.path.join(root, name)
                    if first_time(full):
                        yield full, True
            if not found:
                errors.append(NoPolicyFoundError(
                    "the folder holds no policy files (" + ", ".join(FOLDER_SUFFIXES) + ")",
                    file=path,
                    help="hidden folders, node_modules and __pycache__ are not searched",
                ))
        elif os.path.exists(path):
            if first_time(path):
                yield path, False
        else:
            errors.append(UnreadableInputError("no such file or folder", file=path))


# -- reading a file -----------------------------------------------------------------------------


def _read_bytes(file: str, stdin: TextIO | None) -> bytes | str:
    if file == "-":
        stream = stdin if stdin is not None else sys.stdin
        buffer = getattr(stream, "buffer", None)
        data = buffer.read() if buffer is not None else stream.read()
        if len(data) > MAX_FILE_BYTES:
            raise UnreadableInputError(f"stdin holds more than {MAX_FILE_BYTES:,} bytes",
                                       file=STDIN)
        return data
    try:
        size = os.path.getsize(file)
        if size > MAX_FILE_BYTES:
            raise UnreadableInputError(
                f"the file is {size:,} bytes, more than the {MAX_FILE_BYTES:,} a policy input "
                "may have", file=file,
            )
        with open(file, "rb") as handle:
            return handle.read()
    except IsADirectoryError:
        raise UnreadableInputError("this is a folder, not a file", file=file) from None
    except PermissionError:
        raise UnreadableInputError("permission denied: the file cannot be read",
                                   file=file) from None
    except OSError as exc:
        raise UnreadableInputError(
            f"the file cannot be read: {(exc.strerror or str(exc)).lower()}", file=file
        ) from None


def _load(file: str, stdin: TextIO | None) -> _Loaded:
    data = _read_bytes(file, stdin)
    name = STDIN if file == "-" else file
    text = strip_bom(data) if isinstance(data, str) else decode_bytes(data, file=name)
    lowered = name.lower()
    start = text.lstrip(" \t\r\n")[:1]
    if is_url_encoded(text):
        decoded = url_decode(text, file=name)
        value = parse_json(decoded, file=name)
        return _Loaded(name, value, {(): (1, 1)}, url_encoded=True, text=text.strip(" \t\r\n"))
    if lowered.endswith((".yaml", ".yml")) or (
        not lowered.endswith(".json") and start not in ("{", "[", '"')
    ):
        document = load_yaml(text, file=name)
        return _Loaded(name, document.value, document.locations, ignores=document.ignores,
                       intrinsics=document.tags or _is_cfn(document.value))
    value, locations = parse_json_with_locations(text, file=name)
    return _Loaded(name, value, locations, intrinsics=_is_cfn(value))


# -- turning recognised documents into targets --------------------------------------------------


def _finish(loaded: _Loaded, found: list[_Found], override: str | None) -> list[LintTarget]:
    targets = []
    for item in found:
        value, locations = item.value, item.locations
        if locations is None:  # positions come from the file
            if isinstance(value, str):
                where = None if loaded.url_encoded else loaded.locations.get(item.path)
                locations = {(): where} if where else None
            elif loaded.url_encoded:
                locations = None
            elif loaded.intrinsics:
                value, locations, _ = normalize_intrinsics(value, loaded.locations, item.path)
            else:
                locations = _reroot(value, loaded.locations, item.path)
        elif loaded.intrinsics and not item.normalized:
            value, _, _ = normalize_intrinsics(value, {}, ())
        if value is _NO_VALUE or (
            is_intrinsic(value) and not (isinstance(value, Intrinsic) and value.template)
        ):
            continue  # PolicyDocument: !Ref Param cannot be linted
        if loaded.url_encoded and not item.path:
            value, locations = loaded.text, {(): (1, 1)}
        policy_type, reason = _settle_type(value, item.policy_type, item.reason, override)
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


def _settle_type(value: Any, shape_type: str | None, shape_reason: str,
                 override: str | None) -> tuple[str | None, str]:
    if override is not None:
        reason = f"--policy-type {override}"
        if shape_type and shape_type != override:
            reason += f" (the file's shape says {shape_type}: {shape_reason})"
        return override, reason
    if shape_type is not None:
        return shape_type, shape_reason
    document = _as_document(value)
    if document is None:
        return None, "unknown: the document could not be read"
    policy_type, why = infer_policy_type(document)
    return policy_type, f"{shape_reason}; {why}" if shape_reason else why


def _as_document(value: Any) -> dict[str, Any] | None:
    if isinstance(value, dict):
        return value
    if isinstance(value, str):
        try:
            parsed = parse_json(policy_text(str(value)))
        except PolicyEngineError:
            return None
        return parsed if isinstance(parsed, dict) else None
    return None


_TRUST_ACTIONS = frozenset({
    "sts:assumerole", "sts:assumerolewithsaml", "sts:assumerolewithwebidentity",
    "sts:tagsession", "sts:setsourceidentity", "sts:setcontext",
})


def infer_policy_type(document: Any) -> tuple[str, str]:
    """The policy type a document's content suggests, and why.

    A statement naming a principal (`Principal` or `NotPrincipal`) makes it a resource
    policy; a trust policy when every statement's actions are `sts:AssumeRole*`,
    `sts:TagSession`, `sts:SetSourceIdentity` or `sts:SetContext`. Otherwise identity.
    """
    statements = document.get("Statement") if isinstance(document, dict) else None
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list):
        statements = []
    statements = [s for s in statements if isinstance(s, dict)]
    if not any("Principal" in s or "NotPrincipal" in s for s in statements):
        return "identity", "inferred: no statement names a principal"
    if statements and all(_trust_actions(s) for s in statements):
        return "trust", "inferred: statements name principals and allow only sts:AssumeRole*"
    return "resource", "inferred: statements name principals"


def _trust_actions(statement: dict[str, Any]) -> bool:
    actions = statement.get("Action")
    if isinstance(actions, str):
        actions = [actions]
    if not isinstance(actions, list) or not actions:
        return False
    for action in actions:
        if not isinstance(action, str):
            return False
        lowered = action.lower()
        if lowered not in _TRUST_ACTIONS and not lowered.startswith("sts:assumerole"):
            return False
    return True


def _reroot(value: Any, locations: Locations, prefix: JsonPath) -> Locations:
    """The file positions of the nodes of `value`, which sits at `prefix` in the file."""
    if not prefix:
        return locations
    out: Locations = {}
    size = len(prefix)
    stack: list[tuple[Any, JsonPath]] = [(value, prefix)]
    while stack:
        node, path = stack.pop()
        where = locations.get(path)
        if where is not None:
            out[path[size:]] = where
        if isinstance(node, dict):
            stack.extend((child, path + (key,)) for key, child in node.items())
        elif isinstance(node, list):
            stack.extend((child, path + (index,)) for index, child in enumerate(node))
    return out


# -- CloudFormation intrinsic functions ---------------------------------------------------------


class _NoValue:
    def __repr__(self) -> str:
        return "AWS::NoValue"


_NO_VALUE: Any = _NoValue()


def _intrinsic_name(value: dict[str, Any]) -> str | None:
    if len(value) != 1:
        return None
    (name,) = value
    if name == "Ref" or (name == "Condition" and isinstance(value[name], str)):
        return name
    if isinstance(name, str) and name.startswith("Fn::"):
        return name
    return None


def _is_no_value(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and value.get("Ref") == "AWS::NoValue"


def _shown(argument: Any) -> str:
    text = json.dumps(argument, separators=(",", ":"), default=str, ensure_ascii=False)
    return text if len(text) <= 80 else text[:79] + "…"


def _placeholder(name: str, argument: Any) -> Intrinsic:
    short = name[4:] if name.startswith("Fn::") else name
    if name == "Fn::GetAtt" and isinstance(argument, list) and all(
        isinstance(a, str) for a in argument
    ):
        return Intrinsic(f"!GetAtt {'.'.join(argument)}", name, argument)
    if isinstance(argument, str):
        return Intrinsic(f"!{short} {argument}", name, argument)
    return Intrinsic(f"!{short} {_shown(argument)}", name, argument)


def _template_part(part: Any) -> str | None:
    """The template text of one `Fn::Join` part, or None when it has none."""
    if isinstance(part, str):
        return part
    if isinstance(part, dict):
        name = _intrinsic_name(part)
        argument = part.get(name) if name else None
        if name == "Ref" and isinstance(argument, str):
            return "${" + argument + "}"
        if name == "Fn::GetAtt":
            if isinstance(argument, list) and all(isinstance(a, str) for a in argument):
                return "${" + ".".join(argument) + "}"
            if isinstance(argument, str):
                return "${" + argument + "}"
        if name == "Fn::Sub":
            sub = _sub_template(argument)
            return str(sub) if sub is not None else None
    return None


def _sub_template(argument: Any) -> Intrinsic | None:
    variables: dict[str, Any] = {}
    if isinstance(argument, list) and len(argument) == 2 and isinstance(argument[1], dict):
        text, variables = argument
    else:
        text = argument
    if not isinstance(text, str):
        return None

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("!"):
            return "${" + name[1:] + "}"
        literal = variables.get(name)
        if isinstance(literal, str):
            return literal
        part = _template_part(literal) if literal is not None else None
        return part if part is not None else match.group(0)

    return Intrinsic(re.sub(r"\$\{([^}]*)\}", replace, text), "Fn::Sub", argument)


def _intrinsic_value(name: str, argument: Any) -> Any:
    if name == "Fn::Sub":
        template = _sub_template(argument)
        if template is not None:
            return template
    elif name == "Fn::Join" and isinstance(argument, list) and len(argument) == 2:
        delimiter, parts = argument
        if isinstance(delimiter, str) and isinstance(parts, list):
            texts = [_template_part(p) for p in parts]
            if all(t is not None for t in texts):
                joined = delimiter.join(texts)  # type: ignore[arg-type]
                if all(isinstance(p, str) for p in parts):
                    return joined
                return Intrinsic(joined, name, argument)
    return _placeholder(name, argument)


def normalize_intrinsics(
    value: Any, locations: Locations, prefix: JsonPath = ()
) -> tuple[Any, Locations, dict[JsonPath, JsonPath]]:
    """`value` (found at `prefix` in a file) with its intrinsic functions made lintable.

    Returns the new value (`_NO_VALUE` when it is `Ref: AWS::NoValue`), the positions of its
    nodes relative to it, and, for each object and list of the new value, its path in the
    file (they differ under a resolved `Fn::If` or a removed item).
    """
    out_locations: Locations = {}
    origins: dict[JsonPath, JsonPath] = {}

    def walk(node: Any, source: JsonPath, target: JsonPath, where: tuple[int, int] | None) -> Any:
        if where is None:
            where = locations.get(source)
        if isinstance(node, dict):
            name = _intrinsic_name(node)
            if name is not None:
                argument = node[name]
                if name == "Ref" and argument == "AWS::NoValue":
                    return _NO_VALUE
                if name == "Fn::If" and isinstance(argument, list) and len(argument) == 3:
                    branches = [(argument[i], source + (name, i)) for i in (1, 2)
                                if not _is_no_value(argument[i])]
                    if not branches:
                        return _NO_VALUE
                    for branch, branch_source in branches:
                        if isinstance(branch, list) or (
                            isinstance(branch, dict) and _intrinsic_name(branch) is None
                        ):
                            return walk(branch, branch_source, target, where)
                if where is not None:
                    out_locations[target] = where
                return _intrinsic_value(name, argument)
            if where is not None:
                out_locations[target] = where
            origins[target] = source
            result: dict[str, Any] = {}
            for key, child in node.items():
                new = walk(child, source + (key,), target + (key,), None)
                if new is not _NO_VALUE:
                    result[key] = new
            return result
        if where is not None:
            out_locations[target] = where
        if isinstance(node, list):
            origins[target] = source
            items: list[Any] = []
            for index, child in enumerate(node):
                new = walk(child, source + (index,), target + (len(items),), None)
                if new is not _NO_VALUE:
                    items.append(new)
            return items
        return node

    result = walk(value, prefix, (), None)
    return result, out_locations, origins


# -- shape recognition --------------------------------------------------------------------------


def _is_policy(value: Any) -> bool:
    return isinstance(value, dict) and "Statement" in value


def _is_policy_text(value: Any) -> bool:
    if not isinstance(value, str) or ("Statement" not in value and not is_url_encoded(value)):
        return False
    document = _as_document(value)
    return document is not None and "Statement" in document


def _is_document(value: Any) -> bool:
    """A policy as an object or as text (of any content: the parser will judge it)."""
    return isinstance(value, dict) or (isinstance(value, str) and bool(value.strip()))


def _is_document_text(value: Any) -> bool:
    """Text that can only be meant as a policy: JSON object text or URL-encoded text."""
    return isinstance(value, str) and (value.lstrip()[:1] == "{" or is_url_encoded(value))


def _looks_like_bare_policy(value: dict[str, Any]) -> bool:
    return "Statement" in value or value.get("Version") in ("2012-10-17", "2008-10-17")


def _recognise(loaded: _Loaded) -> list[_Found]:
    value = loaded.value
    found: list[_Found] | None = None
    if isinstance(value, str):
        if _is_policy_text(value):
            found = [_Found((), value, None, "", None, "policy", "policy")]
    elif isinstance(value, list):
        found = _recognise_list(value)
    elif isinstance(value, dict):
        for recogniser in _RECOGNISERS:
            found = recogniser(value, loaded)
            if found is not None:
                break
    if not found:
        raise _no_policy(loaded, value, found)
    return found


def _no_policy(loaded: _Loaded, value: Any, found: list[_Found] | None) -> NoPolicyFoundError:
    where = loaded.locations.get(()) or (1, 1)
    help = ("recognised shapes: a policy, `aws iam get-policy-version` and "
            "`get-account-authorization-details` output, CloudFormation templates, Terraform "
            "plans (`terraform show -json`)")
    message = NO_POLICY
    if found is not None:
        message = "the file's shape is recognised but it holds no policy document"
    elif isinstance(value, dict) and "Effect" in value:
        help = ('this looks like a single statement; write {"Version": "2012-10-17", '
                '"Statement": [...]} around it')
    return NoPolicyFoundError(message, file=loaded.file, line=where[0], column=where[1],
                              help=help)


def _recognise_list(value: list[Any]) -> list[_Found] | None:
    found = []
    for index, item in enumerate(value):
        if _is_policy(item) or _is_policy_text(item):
            found.append(_Found((index,), item, None, "", None, f"policy {index}", "policy"))
        elif isinstance(item, dict):
            org = _organizations_item(item, (index,))
            if org is not None:
                found.extend(org)
    return found or None


def _bare(value: dict[str, Any], loaded: _Loaded) -> list[_Found] | None:
    if _looks_like_bare_policy(value) and not _is_cfn(value):
        return [_Found((), value, None, "", None, "policy", "policy")]
    return None


def _policy_version(value: dict[str, Any], loaded: _Loaded) -> list[_Found] | None:
    version = value.get("PolicyVersion")
    path: JsonPath = ("PolicyVersion",)
    if not isinstance(version, dict):
        if "Document" in value and "VersionId" in value:
            version, path = value, ()
        else:
            return None
    document = version.get("Document")
    if not _is_document(document):
        return None
    label = "policy version"
    if isinstance(version.get("VersionId"), str):
        label += f" {version['VersionId']}"
    if version.get("IsDefaultVersion") is True:
        label += " (default)"
    return [_Found(path + ("Document",), document, "identity",
                   "aws iam get-policy-version output (a managed policy)", None, label,
                   "get-policy-version")]


def _authorization_details(value: dict[str, Any], loaded: _Loaded) -> list[_Found] | None:
    lists = ("UserDetailList", "GroupDetailList", "RoleDetailList")
    if not any(isinstance(value.get(k), list) for k in lists):
        return None
    reason = "aws iam get-account-authorization-details"
    origin = "account-authorization-details"
    found: list[_Found] = []
    boundary_arns: set[str] = set()
    for entity, name_key, policies_key, what in (
        ("UserDetailList", "UserName", "UserPolicyList", "user"),
        ("GroupDetailList", "GroupName", "GroupPolicyList", "group"),
        ("RoleDetailList", "RoleName", "RolePolicyList", "role"),
    ):
        for i, detail in _items(value.get(entity)):
            name = detail.get(name_key, f"#{i}")
            boundary = detail.get("PermissionsBoundary")
            arn = boundary.get("PermissionsBoundaryArn") if isinstance(boundary, dict) else None
            if isinstance(arn, str):
                boundary_arns.add(arn)
            if entity == "RoleDetailList" and _is_document(detail.get("AssumeRolePolicyDocument")):
                found.append(_Found(
                    (entity, i, "AssumeRolePolicyDocument"), detail["AssumeRolePolicyDocument"],
                    "trust", f"{reason}: role trust policy", "iam:role",
                    f"role {name} trust policy", origin,
                ))
            for j, policy in _items(detail.get(policies_key)):
                if _is_document(policy.get("PolicyDocument")):
                    found.append(_Found(
                        (entity, i, policies_key, j, "PolicyDocument"), policy["PolicyDocument"],
                        "identity", f"{reason}: {what} inline policy", None,
                        f"{what} {name} inline policy {policy.get('PolicyName', j)}", origin,
                    ))
    for i, policy in _items(value.get("Policies")):
        name = policy.get("PolicyName", f"#{i}")
        arn = policy.get("Arn")
        as_boundary = (isinstance(arn, str) and arn in boundary_arns) or _positive(
            policy.get("PermissionsBoundaryUsageCount"))
        attached = _positive(policy.get("AttachmentCount"))
        policy_type, why = "identity", f"{reason}: managed policy"
        if as_boundary and not attached:
            policy_type = "boundary"
            why = f"{reason}: managed policy used only as a permissions boundary"
        for k, version in _items(policy.get("PolicyVersionList")):
            if not _is_document(version.get("Document")):
                continue
            label = f"managed policy {name} {version.get('VersionId', k)}"
            if version.get("IsDefaultVersion") is True:
                label += " (default)"
            found.append(_Found(("Policies", i, "PolicyVersionList", k, "Document"),
                                version["Document"], policy_type, why, None, label, origin))
    return found


def _positive(count: Any) -> bool:
    return isinstance(count, int) and not isinstance(count, bool) and count > 0


def _items(value: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield index, item


# aws CLI outputs of single documents.
def _aws_cli(value: dict[str, Any], loaded: _Loaded) -> list[_Found] | None:
    origin = "aws-cli"
    role = value.get("Role")
    if isinstance(role, dict) and _is_document(role.get("AssumeRolePolicyDocument")):
        return [_Found(("Role", "AssumeRolePolicyDocument"), role["AssumeRolePolicyDocument"],
                       "trust", "aws iam get-role output: role trust policy", "iam:role",
                       f"role {role.get('RoleName', '')} trust policy".replace("  ", " "), origin)]
    if isinstance(value.get("Roles"), list):
        found = [
            _Found(("Roles", i, "AssumeRolePolicyDocument"), r["AssumeRolePolicyDocument"], "trust",
                   "aws iam list-roles output: role trust policy", "iam:role",
                   f"role {r.get('RoleName', i)} trust policy", origin)
            for i, r in _items(value["Roles"]) if _is_document(r.get("AssumeRolePolicyDocument"))
        ]
        return found or None
    if _is_document(value.get("PolicyDocument")) and "PolicyName" in value:
        for key, what in (("RoleName", "role"), ("UserName", "user"), ("GroupName", "group")):
            if key in value:
                return [_Found(("PolicyDocument",), value["PolicyDocument"], "identity",
                               f"aws iam get-{what}-policy output: {what} inline policy", None,
                               f"{what} {value[key]} inline policy {value['PolicyName']}", origin)]
    policy = value.get("Policy")
    if _is_document_text(policy) or _is_policy(policy):
        if "RevisionId" in value:
            kind, what = "lambda:function", "aws lambda get-policy output: function policy"
        elif "PolicyName" in value:
            kind, what = "kms:key", "aws kms get-key-policy output: key policy"
        else:
            kind, what = "s3:bucket", "aws s3api get-bucket-policy output: bucket policy"
        return [_Found(("Policy",), policy, "resource", what, kind, what.split(": ")[1], origin)]
    attributes = value.get("Attributes")
    if isinstance(attributes, dict) and _is_document(attributes.get("Policy")):
        if "TopicArn" in attributes:
            kind, what = "sns:topic", "aws sns get-topic-attributes output: topic policy"
        else:
            kind, what = "sqs:queue", "aws sqs get-queue-attributes output: queue policy"
        return [_Found(("Attributes", "Policy"), attributes["Policy"], "resource", what, kind,
                       what.split(": ")[1], origin)]
    if _is_document(value.get("policyText")) and "repositoryName" in value:
        return [_Found(("policyText",), value["policyText"], "resource",
                       "aws ecr get-repository-policy output: repository policy", "ecr:repository",
                       f"repository {value['repositoryName']} policy", origin)]
    if _is_document(value.get("ResourcePolicy")) and "ARN" in value:
        return [_Found(("ResourcePolicy",), value["ResourcePolicy"], "resource",
                       "aws secretsmanager get-resource-policy output: secret policy",
                       "secretsmanager:secret", f"secret {value.get('Name', '')} policy".strip(),
                       origin)]
    if isinstance(policy, dict):
        return _organizations_item(policy, ("Policy",))
    return None


_ORG_TYPES = {"SERVICE_CONTROL_POLICY": "scp", "RESOURCE_CONTROL_POLICY": "rcp"}


def _organizations_item(item: dict[str, Any], path: JsonPath) -> list[_Found] | None:
    """`aws organizations describe-policy`'s `Policy` (PolicySummary + Content)."""
    if isinstance(item.get("Policy"), dict):
        return _organizations_item(item["Policy"], path + ("Policy",))
    summary = item.get("PolicySummary")
    if not isinstance(summary, dict) or "Content" not in item:
        return None
    org_type = summary.get("Type")
    policy_type = _ORG_TYPES.get(org_type) if isinstance(org_type, str) else None
    if policy_type is None:
        return []  # tag, backup, AI opt-out policies: not IAM policy documents
    return [_Found(path + ("Content",), item["Content"], policy_type,
                   f"aws organizations describe-policy output: {org_type}", None,
                   f"{policy_type.upper()} {summary.get('Name', '')}".strip(), "aws-cli")]


def _organizations(value: dict[str, Any], loaded: _Loaded) -> list[_Found] | None:
    return _organizations_item(value, ())


# -- CloudFormation -----------------------------------------------------------------------------

# Resource type -> (property, policy type, resource kind, label).
_CFN_DOCUMENTS: dict[str, tuple[tuple[str, str, str | None, str], ...]] = {
    "AWS::IAM::Role": (("AssumeRolePolicyDocument", "trust", "iam:role", "trust policy"),),
    "AWS::IAM::Policy": (("PolicyDocument", "identity", None, "policy"),),
    "AWS::IAM::ManagedPolicy": (("PolicyDocument", "identity", None, "managed policy"),),
    "AWS::IAM::RolePolicy": (("PolicyDocument", "identity", None, "inline policy"),),
    "AWS::IAM::UserPolicy": (("PolicyDocument", "identity", None, "inline policy"),),
    "AWS::IAM::GroupPolicy": (("PolicyDocument", "identity", None, "inline policy"),),
    "AWS::S3::BucketPolicy": (("PolicyDocument", "resource", "s3:bucket", "bucket policy"),),
    "AWS::S3Express::BucketPolicy": (
        ("PolicyDocument", "resource", "s3express:bucket", "bucket policy"),),
    "AWS::SQS::QueuePolicy": (("PolicyDocument", "resource", "sqs:queue", "queue policy"),),
    "AWS::SQS::QueueInlinePolicy": (("PolicyDocument", "resource", "sqs:queue", "queue policy"),),
    "AWS::SNS::TopicPolicy": (("PolicyDocument", "resource", "sns:topic", "topic policy"),),
    "AWS::SNS::TopicInlinePolicy": (("PolicyDocument", "resource", "sns:topic", "topic policy"),),
    "AWS::KMS::Key": (("KeyPolicy", "resource", "kms:key", "key policy"),),
    "AWS::KMS::ReplicaKey": (("KeyPolicy", "resource", "kms:key", "key policy"),),
    "AWS::SecretsManager::ResourcePolicy": (
        ("ResourcePolicy", "resource", "secretsmanager:secret", "secret policy"),),
    "AWS::ECR::Repository": (
        ("RepositoryPolicyText", "resource", "ecr:repository", "repository policy"),),
    "AWS::Serverless::Function": (
        ("AssumeRolePolicyDocument", "trust", "iam:role", "trust policy"),),
}
# Resource types with a `Policies` list of {PolicyName, PolicyDocument}.
_CFN_INLINE_LISTS = frozenset({"AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"})


def _is_cfn(value: Any) -> bool:
    if not isinstance(value, dict):
        return False
    resources = value.get("Resources")
    if not isinstance(resources, dict):
        return False
    if "AWSTemplateFormatVersion" in value:
        return True
    return any(
        isinstance(r, dict) and isinstance(r.get("Type"), str) and "::" in r["Type"]
        for r in resources.values()
    )


def _cloudformation(value: dict[str, Any], loaded: _Loaded) -> list[_Found] | None:
    if not _is_cfn(value):
        return None
    found: list[_Found] = []
    resources: dict[str, Any] = value["Resources"]
    boundaries = _cfn_boundary_refs(resources)
    for name, resource in resources.items():
        if not isinstance(resource, dict) or not isinstance(resource.get("Properties"), dict):
            continue
        kind = resource.get("Type")
        if not isinstance(kind, str):
            continue
        base: JsonPath = ("Resources", name, "Properties")
        properties, locations, origins = normalize_intrinsics(
            resource["Properties"], loaded.locations, base
        )
        if not isinstance(properties, dict):
            continue
        cfn = _CfnResource(name, kind, base, properties, locations, origins)
        if kind == "AWS::Lambda::Permission":
            document, where = lambda_permission_policy(properties, locations, name, _CFN_LAMBDA)
            found.append(_Found(base, document, "resource",
                                "CloudFormation AWS::Lambda::Permission (the function policy "
                                "statement Lambda writes for it)", "lambda:function",
                                f"{name} Lambda permission", "cloudformation", where, True))
            continue
        found.extend(cfn.documents(boundaries))
    return found


_CFN_LAMBDA = {
    "action": "Action", "principal": "Principal", "function": "FunctionName",
    "source_arn": "SourceArn", "source_account": "SourceAccount", "org": "PrincipalOrgID",
    "url_auth": "FunctionUrlAuthType", "token": "EventSourceToken",
    "via_url": "InvokedViaFunctionUrl", "qualifier": None,
}


def _cfn_boundary_refs(resources: dict[str, Any]) -> dict[str, str]:
    """Managed policies named by `!Ref` as a permissions boundary: policy -> user of it."""
    refs: dict[str, str] = {}
    for name, resource in resources.items():
        if not isinstance(resource, dict) or not isinstance(resource.get("Properties"), dict):
            continue
        boundary = resource["Properties"].get("PermissionsBoundary")
        if isinstance(boundary, dict) and isinstance(boundary.get("Ref"), str):
            refs.setdefault(boundary["Ref"], name)
    return refs


@dataclass
class _CfnResource:
    name: str
    type: str
    base: JsonPath
    properties: dict[str, Any]
    locations: Locations
    origins: dict[JsonPath, JsonPath]

    def found(self, rel: JsonPath, value: Any, policy_type: str | None, reason: str,
              kind: str | None, label: str) -> _Found:
        origin = self.origins.get(rel)
        path = origin if origin is not None else self.base + rel
        if isinstance(value, str):
            where = self.locations.get(rel)
            locations = {(): where} if where else None
        else:
            locations = {p[len(rel):]: w for p, w in self.locations.items() if p[:len(rel)] == rel}
        return _Found(path, value, policy_type, reason, kind, label, "cloudformation", locations,
                      True)

    def documents(self, boundaries: dict[str, str]) -> list[_Found]:
        found: list[_Found] = []
        taken: set[str] = set()
        for prop, policy_type, kind, what in _CFN_DOCUMENTS.get(self.type, ()):
            document = self.properties.get(prop)
            if not _is_document(document):
                continue
            taken.add(prop)
            reason = f"CloudFormation {self.type} {prop}"
            if self.type == "AWS::IAM::ManagedPolicy" and self.name in boundaries and not any(
                key in self.properties for key in ("Roles", "Users", "Groups")
            ):
                policy_type = "boundary"
                reason += f", used as the PermissionsBoundary of {boundaries[self.name]}"
            found.append(self.found((prop,), document, policy_type, reason, kind,
                                    f"{self.name} {what}"))
        if self.type in _CFN_INLINE_LISTS:
            taken.add("Policies")
            for i, policy in _items(self.properties.get("Policies")):
                if _is_document(policy.get("PolicyDocument")):
                    pname = policy.get("PolicyName")
                    label = f"{self.name} inline policy {pname if isinstance(pname, str) else i}"
                    found.append(self.found(("Policies", i, "PolicyDocument"),
                                            policy["PolicyDocument"], "identity",
                                            f"CloudFormation {self.type} Policies", None, label))
        if self.type == "AWS::Serverless::Function":
            taken.add("Policies")
            policies = self.properties.get("Policies")
            reason = "CloudFormation AWS::Serverless::Function Policies"
            if _is_policy(policies):
                found.append(self.found(("Policies",), policies, "identity", reason, None,
                                        f"{self.name} function policy"))
            elif isinstance(policies, list):
                for i, item in enumerate(policies):
                    if _is_policy(item):
                        found.append(self.found(("Policies", i), item, "identity", reason, None,
                                                f"{self.name} function policy {i}"))
        if self.type == "AWS::Organizations::Policy":
            taken.add("Content")
            content = self.properties.get("Content")
            org_type = self.properties.get("Type")
            policy_type = _ORG_TYPES.get(org_type) if isinstance(org_type, str) else None
            if _is_document(content) and (policy_type is not None or not isinstance(org_type, str)):
                reason = f"CloudFormation AWS::Organizations::Policy of Type {org_type}"
                if policy_type is None:
                    reason = "CloudFormation AWS::Organizations::Policy (Type not a literal)"
                what = policy_type.upper() if policy_type else "organizations policy"
                label = f"{self.name} {what}"
                found.append(self.found(("Content",), content, policy_type, reason, None, label))
        for prop, document in self.properties.items():
            if prop not in taken and _is_policy(document):
                found.append(self.found((prop,), document, None,
                                        f"CloudFormation {self.type} {prop}", None,
                                        f"{self.name} {prop}"))
        return found


# -- Lambda permissions -------------------------------------------------------------------------


def lambda_permission_policy(
    properties: dict[str, Any], locations: Locations, sid: str, names: dict[str, str | None]
) -> tuple[dict[str, Any], Locations]:
    """The one-statement function policy Lambda writes for an AddPermission call.

    `properties` are the call's parameters under the names `names` gives (CloudFormation's
    `AWS::Lambda::Permission` or Terraform's `aws_lambda_permission`); `locations` are their
    positions, relative to `properties`. Returns the policy and its positions: each element
    of the statement points at the property it came from.
    """
    def prop(key: str) -> Any:
        name = names.get(key)
        return properties.get(name) if name else None

    def at(key: str) -> tuple[int, int] | None:
        name = names.get(key)
        return locations.get((name,)) if name and name in properties else None

    here = locations.get(())
    statement: dict[str, Any] = {"Sid": sid, "Effect": "Allow"}
    where: Locations = {}
    if here:
        where[()] = where[("Statement",)] = where[("Statement", 0)] = here
        where[("Statement", 0, "Effect")] = where[("Statement", 0, "Sid")] = here
    principal = prop("principal")
    if principal is not None:
        statement["Principal"] = _lambda_principal(principal)
    if prop("action") is not None:
        statement["Action"] = prop("action")
    function = prop("function")
    if function is not None:
        statement["Resource"] = _function_arn(function, prop("qualifier"))
    for key, element in (("principal", "Principal"), ("action", "Action"),
                         ("function", "Resource")):
        position = at(key)
        if element not in statement or position is None:
            continue
        where[("Statement", 0, element)] = position
        if element == "Principal" and isinstance(statement["Principal"], dict):
            for principal_key in statement["Principal"]:
                where[("Statement", 0, "Principal", principal_key)] = position
    condition: dict[str, dict[str, Any]] = {}
    for key, operator, condition_key in (
        ("source_arn", "ArnLike", "AWS:SourceArn"),
        ("source_account", "StringEquals", "AWS:SourceAccount"),
        ("org", "StringEquals", "aws:PrincipalOrgID"),
        ("url_auth", "StringEquals", "lambda:FunctionUrlAuthType"),
        ("token", "StringEquals", "lambda:EventSourceToken"),
        ("via_url", "Bool", "lambda:InvokedViaFunctionUrl"),
    ):
        parameter = prop(key)
        if parameter is None or parameter == "" or (key == "via_url" and parameter is not True
                                                   and str(parameter).lower() != "true"):
            continue
        if key == "via_url":
            parameter = "true"
        condition.setdefault(operator, {})[condition_key] = parameter
        position = at(key)
        if position:
            for path in (("Statement", 0, "Condition"), ("Statement", 0, "Condition", operator)):
                where[path] = min(where.get(path, position), position)
            where[("Statement", 0, "Condition", operator, condition_key)] = position
    if condition:
        statement["Condition"] = condition
    return {"Version": "2012-10-17", "Statement": [statement]}, where


def _lambda_principal(principal: Any) -> Any:
    if not isinstance(principal, str) or is_intrinsic(principal):
        return {"AWS": principal}
    if principal == "*":
        return "*"
    if re.fullmatch(r"[0-9]{12}", principal):
        return {"AWS": f"arn:aws:iam::{principal}:root"}
    if principal.startswith("arn:"):
        return {"AWS": principal}
    return {"Service": principal}


def _function_arn(function: Any, qualifier: Any) -> Any:
    if not isinstance(function, str) or (
        is_intrinsic(function) and not (isinstance(function, Intrinsic) and function.template)
    ):
        return function
    arn = function
    if not function.startswith("arn:"):
        if re.fullmatch(r"[0-9]{12}:function:.+", function):
            arn = "arn:${AWS::Partition}:lambda:${AWS::Region}:" + function
        else:
            arn = ("arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:"
                   + function)
    if isinstance(qualifier, str) and qualifier:
        arn += f":{qualifier}"
    if arn is function:
        return function
    return Intrinsic(arn, "Fn::Sub", arn)


# -- Terraform ----------------------------------------------------------------------------------

# Resource type -> (attribute, policy type, resource kind, label).
_TF_DOCUMENTS: dict[str, tuple[tuple[str, str | None, str | None, str], ...]] = {
    "aws_iam_policy": (("policy", "identity", None, "policy"),),
    "aws_iam_role": (("assume_role_policy", "trust", "iam:role", "trust policy"),),
    "aws_iam_role_policy": (("policy", "identity", None, "inline policy"),),
    "aws_iam_user_policy": (("policy", "identity", None, "inline policy"),),
    "aws_iam_group_policy": (("policy", "identity", None, "inline policy"),),
    "aws_s3_bucket_policy": (("policy", "resource", "s3:bucket", "bucket policy"),),
    "aws_s3_bucket": (("policy", "resource", "s3:bucket", "bucket policy"),),
    "aws_sqs_queue_policy": (("policy", "resource", "sqs:queue", "queue policy"),),
    "aws_sqs_queue": (("policy", "resource", "sqs:queue", "queue policy"),),
    "aws_sns_topic_policy": (("policy", "resource", "sns:topic", "topic policy"),),
    "aws_sns_topic": (("policy", "resource", "sns:topic", "topic policy"),),
    "aws_kms_key": (("policy", "resource", "kms:key", "key policy"),),
    "aws_kms_replica_key": (("policy", "resource", "kms:key", "key policy"),),
    "aws_ecr_repository_policy": (("policy", "resource", "ecr:repository", "repository policy"),),
    "aws_secretsmanager_secret_policy": (
        ("policy", "resource", "secretsmanager:secret", "secret policy"),),
    "aws_iam_policy_document": (("json", None, None, "policy document"),),
}

_TF_LAMBDA = {
    "action": "action", "principal": "principal", "function": "function_name",
    "source_arn": "source_arn", "source_account": "source_account", "org": "principal_org_id",
    "url_auth": "function_url_auth_type", "token": "event_source_token",
    "via_url": "invoked_via_function_url", "qualifier": "qualifier",
}


def _terraform_plan(value: dict[str, Any], loaded: _Loaded) -> list[_Found] | None:
    roots: list[tuple[Any, JsonPath, bool]] = []
    if isinstance(value.get("planned_values"), dict):
        roots.append((value["planned_values"].get("root_module"),
                      ("planned_values", "root_module"), False))
        prior = value.get("prior_state")
        if isinstance(prior, dict) and isinstance(prior.get("values"), dict):
            roots.append((prior["values"].get("root_module"),
                          ("prior_state", "values", "root_module"), True))
    elif isinstance(value.get("values"), dict) and (
        "format_version" in value or "terraform_version" in value
    ):
        roots.append((value["values"].get("root_module"), ("values", "root_module"), False))
    else:
        return None
    found: list[_Found] = []
    seen: set[str] = set()
    for root, root_path, data_only in roots:
        for resource, path in _tf_resources(root, root_path):
            address = resource.get("address")
            if data_only and resource.get("mode") != "data":
                continue
            if isinstance(address, str):
                if address in seen:
                    continue
                seen.add(address)
            found.extend(_tf_resource(resource, path, loaded))
    return found


def _tf_resources(module: Any, path: JsonPath) -> Iterator[tuple[dict[str, Any], JsonPath]]:
    stack = [(module, path)]
    while stack:
        module, path = stack.pop(0)
        if not isinstance(module, dict):
            continue
        for i, resource in _items(module.get("resources")):
            yield resource, path + ("resources", i)
        for j, child in _items(module.get("child_modules")):
            stack.append((child, path + ("child_modules", j)))


def _tf_resource(resource: dict[str, Any], path: JsonPath, loaded: _Loaded) -> list[_Found]:
    kind = resource.get("type")
    values = resource.get("values")
    if not isinstance(kind, str) or not isinstance(values, dict):
        return []
    address = resource.get("address") or f"{kind}.{resource.get('name', '')}"
    base = path + ("values",)
    found: list[_Found] = []
    taken: set[str] = set()

    def add(attribute_path: JsonPath, text: Any, policy_type: str | None, reason: str,
            resource_kind: str | None, label: str) -> None:
        if not isinstance(text, str) or not text.strip():
            return
        found.append(_Found(base + attribute_path, text, policy_type, reason, resource_kind,
                            label, "terraform"))

    if kind == "aws_lambda_permission":
        locations = _reroot(values, loaded.locations, base)
        document, where = lambda_permission_policy(
            values, locations, str(values.get("statement_id") or resource.get("name") or "lambda"),
            _TF_LAMBDA,
        )
        return [_Found(base, document, "resource",
                       "Terraform aws_lambda_permission (the function policy statement Lambda "
                       "writes for it)", "lambda:function", f"{address} Lambda permission",
                       "terraform", where)]
    for attribute, policy_type, resource_kind, what in _TF_DOCUMENTS.get(kind, ()):
        taken.add(attribute)
        add((attribute,), values.get(attribute), policy_type, f"Terraform {kind}.{attribute}",
            resource_kind, f"{address} {what}")
    if kind == "aws_iam_role":
        taken.add("inline_policy")
        for j, inline in _items(values.get("inline_policy")):
            add(("inline_policy", j, "policy"), inline.get("policy"), "identity",
                "Terraform aws_iam_role.inline_policy", None,
                f"{address} inline policy {inline.get('name') or j}")
    if kind == "aws_organizations_policy":
        taken.add("content")
        org_type = values.get("type") or "SERVICE_CONTROL_POLICY"
        policy_type = _ORG_TYPES.get(org_type) if isinstance(org_type, str) else None
        if policy_type is not None:
            add(("content",), values.get("content"), policy_type,
                f"Terraform aws_organizations_policy of type {org_type}", None,
                f"{address} {policy_type.upper()}")
    for attribute, text in values.items():
        if attribute not in taken and "polic" in attribute and _is_policy_text(text):
            add((attribute,), text, None, f"Terraform {kind}.{attribute}", None,
                f"{address} {attribute}")
    return found


def _terraform_config(value: dict[str, Any], loaded: _Loaded) -> list[_Found] | None:
    resources = value.get("resource")
    if not isinstance(resources, dict) or not any(
        isinstance(k, str) and k.startswith("aws_") for k in resources
    ):
        return None
    found: list[_Found] = []
    for kind, blocks in resources.items():
        if not isinstance(blocks, dict):
            continue
        for name, attributes in blocks.items():
            if not isinstance(attributes, dict):
                continue
            for attribute, policy_type, resource_kind, what in _TF_DOCUMENTS.get(kind, ()):
                text = attributes.get(attribute)
                if isinstance(text, str) and "${" not in text and _is_policy_text(text):
                    found.append(_Found(("resource", kind, name, attribute), text, policy_type,
                                        f"Terraform {kind}.{attribute}", resource_kind,
                                        f"{kind}.{name} {what}", "terraform"))
    return found


_RECOGNISERS = (
    _bare,
    _policy_version,
    _authorization_details,
    _cloudformation,
    _terraform_plan,
    _terraform_config,
    _aws_cli,
    _organizations,
)


# -- --select -----------------------------------------------------------------------------------


def _selected(loaded: _Loaded, expression: Any, text: str) -> list[_Found]:
    try:
        result = expression.search(loaded.value)
    except jmespath.exceptions.JMESPathError as exc:
        raise InputError(f"--select `{text}` failed on this file: {exc}", file=loaded.file,
                         code="INVALID_ARGUMENT") from None
    results: list[Any] = []
    _flatten(result, results)
    policies = [r for r in results if _is_policy(r) or _is_policy_text(r)]
    if not policies:
        where = loaded.locations.get(()) or (1, 1)
        raise NoPolicyFoundError(f"--select `{text}` found no policy document in this file",
                                 file=loaded.file, line=where[0], column=where[1])
    paths = _paths_by_identity(loaded.value, policies)
    known: dict[JsonPath, _Found] = {}
    try:
        known = {f.path: f for f in _recognise(loaded)}
    except PolicyEngineError:
        pass
    found = []
    for index, policy in enumerate(policies):
        path = paths.get(id(policy))
        if path is None:
            found.append(_Found((SELECT_PATH, index), policy, None, "--select",
                                None, f"--select result {index} (its place in the file is unknown)",
                                "select", {}))
            continue
        shape = known.get(path)
        if shape is not None:
            found.append(_Found(path, policy, shape.policy_type, shape.reason, shape.kind,
                                shape.label, "select"))
        else:
            found.append(_Found(path, policy, None, "--select", None,
                                f"--select {_show_path(path)}", "select"))
    return found


def _show_path(path: JsonPath) -> str:
    from ..errors import format_path

    return format_path(path)


def _flatten(value: Any, out: list[Any]) -> None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif item is not None:
            out.append(item)


def _paths_by_identity(root: Any, wanted: list[Any]) -> dict[int, JsonPath]:
    ids = {id(w) for w in wanted}
    paths: dict[int, JsonPath] = {}
    stack: list[tuple[Any, JsonPath]] = [(root, ())]
    while stack and len(paths) < len(ids):
        node, path = stack.pop()
        if id(node) in ids and id(node) not in paths:
            paths[id(node)] = path
        if isinstance(node, dict):
            stack.extend((child, path + (key,)) for key, child in reversed(node.items()))
        elif isinstance(node, list):
            stack.extend((child, path + (i,)) for i, child in reversed(list(enumerate(node))))
    return paths
