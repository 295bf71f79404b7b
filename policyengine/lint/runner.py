"""Run the lint rules over documents: parse, check, de-duplicate, suppress, sort.

    result = lint_paths(["policies/"], fail_on="warning")
    result.findings, result.summary(), result.exit_code()

`lint_targets` takes documents already read (`inputs.LintTarget`); `lint_paths` reads
files, folders and `-` (stdin) first. Options come from the caller, or from
`[tool.policyengine.lint]` in the user's pyproject.toml through `load_options`. A document
that does not parse yields one ERROR finding per parser error (codes of
`parsing/codes.py`); one that parses goes through every rule for its policy type. A rule
that raises does not stop the run: it becomes a `LINT_RULE_ERROR` finding. A file or a
document over a cap of `options.limits` is not linted: it is an input error
(`LimitExceededError`, exit code 2), like a file that cannot be read.
"""

from __future__ import annotations

import difflib
import fnmatch
import json
import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from ..errors import PolicyEngineError, PolicySyntaxError, PolicyValidationError
from ..limits import (
    DEFAULT_LIMITS,
    LimitExceededError,
    Limits,
    check_document,
    check_document_size,
    check_minified_size,
)
from ..parsing import build_policy, parse_json, parse_json_with_locations
from ..parsing.source import policy_text
from .document import LintDocument
from .finding import Finding, Severity
from .rules import POLICY_TYPES, Rule, all_rules, rule_for

if TYPE_CHECKING:
    from ..model.policy import PolicyDocument
    from .inputs import LintTarget

JsonPath = tuple[str | int, ...]

LINT_RULE_ERROR = "LINT_RULE_ERROR"
NO_POLICY_FOUND = "NO_POLICY_FOUND"  # inputs.NoPolicyFoundError
CONFIG_TABLE = "[tool.policyengine.lint]"
CONFIG_KEYS = ("ignore", "per-file-ignores", "fail-on", "min-severity", "policy-type", "limits")
LIMIT_NAMES = tuple(Limits.__dataclass_fields__)


def _internal_error_check(_document: LintDocument) -> Iterable[Finding]:
    return ()


# Rules the runner itself reports (not in `all_rules()`: there is no policy to flag).
INTERNAL_RULES: tuple[Rule, ...] = (
    Rule(
        code=LINT_RULE_ERROR,
        severity=Severity.ERROR,
        summary="A lint rule crashed on this document (a bug in policyengine, not in the policy).",
        learn_more="The other rules still ran. Please report the message with the document that "
        "caused it; ignore this code to get a clean run meanwhile.",
        check=_internal_error_check,
    ),
)


def reported_rules() -> tuple[Rule, ...]:
    """Every code a lint run can report: the rules, then the runner's own."""
    return all_rules() + INTERNAL_RULES


class LintConfigError(PolicyEngineError):
    """Lint options that cannot be used (a bad pyproject table, an unknown code or severity)."""

    code = "INVALID_LINT_CONFIG"


# -- options ---------------------------------------------------------------------------------


@dataclass
class LintOptions:
    """What to lint and what to report. `fail_on` only decides the exit code."""

    policy_type: str | None = None  # lint every document as this type instead of inferring it
    select: str | None = None  # JMESPATH picking documents out of any JSON shape
    ignore: frozenset[str] = frozenset()  # codes never reported
    per_file_ignores: dict[str, frozenset[str]] = field(default_factory=dict)  # glob -> codes
    min_severity: Severity | None = None  # hide findings less severe than this
    fail_on: Severity = Severity.ERROR  # exit 1 when a finding at or above this is reported
    # Directory the per-file globs are relative to (the pyproject's folder), if any.
    root: str | None = None
    limits: Limits = DEFAULT_LIMITS  # caps on input files and documents (policyengine/limits.py)

    @classmethod
    def create(cls, **values: Any) -> LintOptions:
        """Options from plain values (strings for severities, any iterable of codes), checked."""
        unknown = set(values) - {f for f in cls.__dataclass_fields__}
        if unknown:
            raise TypeError(f"unknown lint options: {', '.join(sorted(unknown))}")
        options = cls()
        if values.get("policy_type") is not None:
            options.policy_type = _policy_type(values["policy_type"], "policy_type")
        options.select = values.get("select")
        options.ignore = _codes(values.get("ignore") or (), "ignore")
        options.per_file_ignores = {
            str(glob): _codes(codes, f"per_file_ignores[{glob!r}]")
            for glob, codes in (values.get("per_file_ignores") or {}).items()
        }
        if values.get("min_severity") is not None:
            options.min_severity = _severity(values["min_severity"], "min_severity")
        if values.get("fail_on") is not None:
            options.fail_on = _severity(values["fail_on"], "fail_on")
        options.root = values.get("root")
        if values.get("limits") is not None:
            options.limits = _limits(values["limits"], "limits")
        return options


def load_options(config: str | os.PathLike[str] | None = None, **overrides: Any) -> LintOptions:
    """Options from `[tool.policyengine.lint]`, then the caller's (command line) overrides.

    `config` is a pyproject.toml file (it must exist) or a folder to search upwards from
    (default: the working directory); no pyproject.toml, or one without the table, means
    defaults. Overrides that are None are not given; `ignore` adds to the configured codes,
    `per_file_ignores` merges, the others replace. Raises `LintConfigError` for an unknown key,
    a value of the wrong type, an unknown code, severity or policy type.
    """
    path = _find_pyproject(config)
    values: dict[str, Any] = {}
    if path is not None:
        values = _read_table(path)
        values["root"] = str(path.parent)
    for key, value in overrides.items():
        if value is None:
            continue
        if key == "ignore":
            values["ignore"] = set(_codes(values.get("ignore") or (), "ignore")) | set(_codes(value, "--ignore"))
        elif key == "per_file_ignores":
            values["per_file_ignores"] = {**(values.get("per_file_ignores") or {}), **value}
        elif key == "limits" and isinstance(value, dict):
            values["limits"] = {**(values.get("limits") or {}), **value}
        else:
            values[key] = value
    return LintOptions.create(**values)


def _find_pyproject(config: str | os.PathLike[str] | None) -> Path | None:
    if config is not None and not Path(config).is_dir():
        path = Path(config)
        if not path.is_file():
            raise LintConfigError(f"the configuration file `{path}` does not exist", file=str(path))
        return path
    start = Path(config) if config is not None else Path.cwd()
    for folder in (start.resolve(), *start.resolve().parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def _read_table(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise LintConfigError(f"cannot read `{path}`: {exc}", file=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise LintConfigError(f"`{path}` is not valid TOML: {exc}", file=str(path)) from None
    table = data.get("tool", {}).get("policyengine", {}).get("lint")
    if table is None:
        return {}
    file = str(path)
    if not isinstance(table, dict):
        raise LintConfigError(f"{CONFIG_TABLE} must be a table", file=file)
    values: dict[str, Any] = {}
    for key, value in table.items():
        where = f"{CONFIG_TABLE} `{key}`"
        if key not in CONFIG_KEYS:
            close = difflib.get_close_matches(key, CONFIG_KEYS, n=1)
            hint = f"; did you mean `{close[0]}`?" if close else f"; use {', '.join(CONFIG_KEYS)}"
            raise LintConfigError(f"unknown key `{key}` in {CONFIG_TABLE}{hint}", file=file)
        if key == "ignore":
            values["ignore"] = _codes(_string_list(value, where, file), where, file)
        elif key == "per-file-ignores":
            if not isinstance(value, dict):
                raise LintConfigError(f"{where} must be a table of glob = [codes]", file=file)
            values["per_file_ignores"] = {
                glob: _codes(_string_list(codes, f"{where} `{glob}`", file), where, file)
                for glob, codes in value.items()
            }
        elif key == "limits":
            if not isinstance(value, dict):
                raise LintConfigError(f"{where} must be a table such as {{max_document_bytes = 2097152}}",
                                      file=file)
            _limits(value, where, file)
            values["limits"] = value
        elif key in ("fail-on", "min-severity"):
            if not isinstance(value, str):
                raise LintConfigError(f"{where} must be a string such as \"warning\"", file=file)
            values[key.replace("-", "_")] = _severity(value, where, file)
        else:
            if not isinstance(value, str):
                raise LintConfigError(f"{where} must be a string such as \"identity\"", file=file)
            values["policy_type"] = _policy_type(value, where, file)
    return values


def _string_list(value: Any, where: str, file: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LintConfigError(f"{where} must be a list of finding codes", file=file)
    return value


def _codes(value: Iterable[str] | str, where: str, file: str | None = None) -> frozenset[str]:
    if isinstance(value, str):
        value = value.split(",")
    known = {rule.code for rule in reported_rules()}
    out = set()
    for raw in value:
        code = str(raw).strip().upper()
        if not code:
            continue
        if code not in known:
            close = difflib.get_close_matches(code, sorted(known), n=1)
            hint = f"; did you mean `{close[0]}`?" if close else " (docs/lint.md lists every code)"
            raise LintConfigError(f"{where}: unknown finding code `{raw}`{hint}", file=file)
        out.add(code)
    return frozenset(out)


def _severity(value: Any, where: str, file: str | None = None) -> Severity:
    if isinstance(value, Severity):
        return value
    try:
        return Severity.parse(str(value))
    except ValueError as exc:
        raise LintConfigError(f"{where}: {exc}", file=file) from None


def _limits(value: Limits | dict[str, Any], where: str, file: str | None = None) -> Limits:
    """A `Limits`, or caps by field name changed from the defaults (`{"max_depth": 64}`)."""
    if isinstance(value, Limits):
        return value
    for name in value:
        if name not in LIMIT_NAMES:
            close = difflib.get_close_matches(str(name), LIMIT_NAMES, n=1)
            hint = f"; did you mean `{close[0]}`?" if close else f"; use {', '.join(LIMIT_NAMES)}"
            raise LintConfigError(f"{where}: unknown limit `{name}`{hint}", file=file)
    try:
        return replace(DEFAULT_LIMITS, **value)
    except ValueError as exc:
        raise LintConfigError(f"{where}: {exc}", file=file) from None


def _policy_type(value: Any, where: str, file: str | None = None) -> str:
    text = str(value).strip().lower()
    if text not in POLICY_TYPES:
        raise LintConfigError(f"{where}: `{value}` is not a policy type; use one of "
                              f"{', '.join(POLICY_TYPES)}", file=file)
    return text


# -- results ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Inference:
    """The policy type a document was linted as, and why, when the user did not give one."""

    file: str
    label: str  # the document inside its file ("policy", "MyRole trust policy", ...)
    policy_type: str | None  # None: unknown, linted as an identity policy
    reason: str

    @property
    def what(self) -> str:
        if self.policy_type is None:
            return "linted as an identity policy (its type is unknown" + (f": {self.reason})" if self.reason else ")")
        return f"linted as {_type_name(self.policy_type)}" + (f" ({self.reason})" if self.reason else "")

    def __str__(self) -> str:
        return f"{self.file}: {self.label} {self.what}"


@dataclass
class LintResult:
    findings: list[Finding]
    files: list[str] = field(default_factory=list)  # files (and `-`) that held documents
    documents: int = 0  # documents linted (parsed or not)
    inferred: list[Inference] = field(default_factory=list)  # documents whose type was inferred
    errors: list[PolicyEngineError] = field(default_factory=list)  # inputs that could not be read
    # Files met while walking a folder that hold no policy (not an error: a folder of
    # templates has other JSON and YAML too). A file named on the command line that holds
    # no policy is an error.
    skipped: list[PolicyEngineError] = field(default_factory=list)
    suppressed: int = 0  # findings dropped by --ignore, per-file ignores and inline comments
    hidden: int = 0  # findings below --min-severity
    fail_on: Severity = Severity.ERROR

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in Severity}
        for finding in self.findings:
            out[finding.severity.value] += 1
        return out

    def summary(self) -> dict[str, Any]:
        return {
            "findings": len(self.findings),
            "by_severity": self.counts(),
            "files": len(self.files),
            "documents": self.documents,
            "suppressed": self.suppressed,
            "hidden_below_min_severity": self.hidden,
            "inferred_policy_types": [str(note) for note in self.inferred],
            "errors": [error.to_dict() for error in self.errors],
            "skipped": [error.to_dict() for error in self.skipped],
            "fail_on": self.fail_on.value,
            "exit_code": self.exit_code(),
        }

    def to_dict(self) -> dict[str, Any]:
        """The `--format json` object: `{"findings": [...], "summary": {...}}`."""
        return {"findings": [finding.to_dict() for finding in self.findings], "summary": self.summary()}

    def exit_code(self, fail_on: Severity | str | None = None) -> int:
        """2 when an input could not be read, 1 when a finding is at or above `fail_on`, else 0."""
        if self.errors:
            return 2
        threshold = self.fail_on if fail_on is None else _severity(fail_on, "fail_on")
        return 1 if any(f.severity.at_least(threshold) for f in self.findings) else 0


# -- running ---------------------------------------------------------------------------------


def lint_paths(paths: Sequence[str | os.PathLike[str]], options: LintOptions | None = None, *,
               stdin: Any = None, **values: Any) -> LintResult:
    """Lint files, folders (recursively) and `-` (standard input, or the `stdin` stream given).

    Options are a `LintOptions` or keyword values (`fail_on="warning"`, `ignore=["..."]`,
    ...); a file that cannot be read is reported in `result.errors` (exit code 2).
    """
    from .inputs import read_targets

    if options is None:
        options = LintOptions.create(**values)
    elif values:
        raise TypeError("give either `options` or option keywords, not both")
    targets, errors = read_targets([str(p) for p in paths], select=options.select,
                                   policy_type=options.policy_type, stdin=stdin, limits=options.limits)
    return lint_targets(targets, options, errors=errors)


def lint_targets(targets: Iterable[LintTarget], options: LintOptions | None = None, *,
                 errors: Sequence[PolicyEngineError] = ()) -> LintResult:
    """Lint documents already read; `errors` are the read errors to carry into the result."""
    options = options or LintOptions()
    rules_by_type: dict[str, list[Rule]] = {}
    files: dict[str, None] = {}
    inferred: list[Inference] = []
    raw_findings: list[tuple[Finding, Any]] = []
    documents = 0
    refused: list[PolicyEngineError] = []  # documents over a cap of options.limits
    # A file that is not JSON or YAML is a finding about that file, not an input error.
    for error in errors:
        if _is_syntax_finding(error):
            files.setdefault(error.file or "<input>", None)
            raw_findings.append((_error_finding(error, _FileOnly(error.file), None, None), None))
    for target in targets:
        documents += 1
        files.setdefault(target.file, None)
        policy_type = options.policy_type or target.policy_type or "identity"
        note = _inference_note(target, options, policy_type)
        if note:
            inferred.append(note)
        rules = rules_by_type.get(policy_type)
        if rules is None:
            rules = rules_by_type[policy_type] = [r for r in all_rules() if r.applies_to(policy_type)]
        try:
            found = lint_target(target, policy_type, rules, options.limits)
        except LimitExceededError as exc:
            refused.append(exc)
            continue
        raw_findings.extend((finding, target) for finding in found)
    findings, suppressed, hidden = _filter(raw_findings, options)
    skipped = [e for e in errors if e.code == NO_POLICY_FOUND and getattr(e, "walked", False)]
    failed = [e for e in errors if e not in skipped and not _is_syntax_finding(e)] + refused
    return LintResult(findings=findings, files=list(files), documents=documents, inferred=inferred,
                      errors=failed, skipped=skipped,
                      suppressed=suppressed, hidden=hidden, fail_on=options.fail_on)


def _is_syntax_finding(error: PolicyEngineError) -> bool:
    """A file that is not JSON or YAML is reported as a finding; one over a cap is not linted."""
    return isinstance(error, PolicySyntaxError) and not isinstance(error, LimitExceededError)


def lint_target(target: LintTarget, policy_type: str, rules: Sequence[Rule],
                limits: Limits = DEFAULT_LIMITS) -> list[Finding]:
    """Every finding for one document (before de-duplication and suppression).

    Raises `LimitExceededError` for a document over a cap of `limits`: it is not linted.
    """
    root = _root_location(target)
    parsed = _parse(target, limits)
    if isinstance(parsed, list):
        return [_error_finding(err, target, policy_type, root) for err in parsed]
    policy, raw, size = parsed
    root = root or policy.location_of(())
    document = LintDocument(policy=policy, raw=raw, policy_type=policy_type, file=target.file,
                            document_path=tuple(target.document_path),
                            resource_kind=target.resource_kind, size=size)
    out: list[Finding] = []
    for rule in rules:
        try:
            out.extend(rule.check(document))
        except Exception as exc:  # noqa: BLE001 - a broken rule must not stop the run
            out.append(_rule_error(rule, exc, target, policy_type, root))
    if root is not None:
        out = [f if f.line is not None else replace(f, line=root[0], column=root[1]) for f in out]
    return out


def _parse(target: LintTarget, limits: Limits) -> tuple[PolicyDocument, dict[str, Any], int] | list[PolicyEngineError]:
    """The policy, its JSON value and its size, or the parser's errors (`LimitExceededError`
    raised, placed at the document when positions inside its text are not the file's)."""
    value = target.value
    try:
        if isinstance(value, (str, bytes, bytearray)):
            text = policy_text(value, file=target.file)
            check_document_size(text, limits, file=target.file)
            # Positions inside the text are the file's only when the text is given alone
            # (`lint_policy`); a policy stored as a string in a file is located at the string.
            if _text_positions(target):
                raw, where = parse_json_with_locations(text, file=target.file, limits=limits)
            else:
                raw, where = parse_json(text, file=target.file, limits=limits), None
            check_document(raw, limits, file=target.file, locations=where)
            policy = build_policy(raw, locations=where, file=target.file)
            size = _minified_length(text)
        else:
            raw = value
            minified = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
            size = len(minified)
            check_minified_size(minified, limits, file=target.file, where=_root_location(target))
            check_document(value, limits, file=target.file, locations=target.locations)
            policy = build_policy(value, locations=target.locations, file=target.file)
    except LimitExceededError as exc:
        if isinstance(value, (str, bytes, bytearray)) and not _text_positions(target):
            exc.line, exc.column = _root_location(target) or (None, None)
        raise
    except PolicyValidationError as exc:
        return list(exc.errors)
    except PolicySyntaxError as exc:
        if not _text_positions(target):
            exc.line = exc.column = None  # a position inside a string of the file, not in the file
        return [exc]
    return policy, raw, size


def _text_positions(target: LintTarget) -> bool:
    return bool(getattr(target, "text_positions", False))


def _minified_length(text: str) -> int:
    """Characters of a JSON text without the whitespace outside strings (how AWS counts size)."""
    count = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            count += 1
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch in " \t\n\r":
            continue
        else:
            count += 1
            in_string = ch == '"'
    return count


def _root_location(target: LintTarget) -> tuple[int, int] | None:
    locations = target.locations
    return locations.get(()) if locations else None


@dataclass
class _FileOnly:
    """Where a whole-file error is: the file, no document inside it."""

    file: str | None
    document_path: JsonPath = ()


def _error_finding(err: PolicyEngineError, target: Any, policy_type: str | None,
                   root: tuple[int, int] | None) -> Finding:
    rule = rule_for(err.code)
    message = err.message
    if err.help:
        message = f"{message}; {err.help}"
    line, column = (err.line, err.column) if err.line is not None else (root or (None, None))
    return Finding(
        code=err.code,
        severity=Severity.ERROR,
        message=message,
        learn_more=rule.learn_more if rule else "",
        file=target.file,
        document=tuple(target.document_path),
        path=tuple(err.path),
        line=line,
        column=column,
        policy_type=policy_type,
    )


def _rule_error(rule: Rule, exc: Exception, target: LintTarget, policy_type: str,
                root: tuple[int, int] | None) -> Finding:
    return Finding(
        code=LINT_RULE_ERROR,
        severity=Severity.ERROR,
        message=f"the {rule.code} check crashed on this document ({exc or type(exc).__name__}); "
        "the other checks ran",
        learn_more=INTERNAL_RULES[0].learn_more,
        file=target.file,
        document=tuple(target.document_path),
        path=(),
        line=root[0] if root else None,
        column=root[1] if root else None,
        policy_type=policy_type,
        extra={"rule": rule.code, "exception": f"{type(exc).__name__}: {exc}"},
    )


def _inference_note(target: LintTarget, options: LintOptions, policy_type: str) -> Inference | None:
    """What to tell about the type of a document the user did not type (None: nothing to tell)."""
    if options.policy_type is not None:
        return None
    reason = getattr(target, "policy_type_reason", "") or ""
    label = getattr(target, "label", None) or "policy"
    if target.policy_type is None:
        return Inference(target.file or "<input>", label, None, reason)
    if not reason:
        return None
    return Inference(target.file or "<input>", label, policy_type, reason)


def _type_name(policy_type: str) -> str:
    return {"scp": "an SCP", "rcp": "an RCP", "boundary": "a permissions boundary",
            "identity": "an identity policy"}.get(policy_type, f"a {policy_type} policy")


def _filter(pairs: list[tuple[Finding, Any]], options: LintOptions) -> tuple[list[Finding], int, int]:
    seen: set[tuple[Any, ...]] = set()
    kept: list[Finding] = []
    suppressed = hidden = 0
    file_ignores: dict[str | None, frozenset[str]] = {}
    for finding, target in pairs:
        key = (finding.file, finding.document, finding.path, finding.code)
        if key in seen:
            continue
        seen.add(key)
        if finding.file not in file_ignores:
            file_ignores[finding.file] = _per_file_codes(finding.file, options)
        ignores = (getattr(target, "ignores", None) or {}) if target is not None else {}
        inline = ignores.get(finding.line, ()) if finding.line is not None else ()
        if (finding.code in options.ignore or finding.code in file_ignores[finding.file]
                or finding.code in inline or "ALL" in inline):
            suppressed += 1
            continue
        if options.min_severity is not None and not finding.severity.at_least(options.min_severity):
            hidden += 1
            continue
        kept.append(finding)
    kept.sort(key=_sort_key)
    return kept, suppressed, hidden


def _per_file_codes(file: str | None, options: LintOptions) -> frozenset[str]:
    if not options.per_file_ignores or not file:
        return frozenset()
    names = _match_names(file, options.root)
    out: set[str] = set()
    for glob, codes in options.per_file_ignores.items():
        if any(fnmatch.fnmatchcase(name, glob) for name in names):
            out |= codes
    return frozenset(out)


def _match_names(file: str, root: str | None) -> set[str]:
    """The spellings of a file a per-file glob may use: as given, relative to the config, base name."""
    path = PurePath(file)
    names = {path.as_posix(), path.name}
    if root is not None:
        try:
            names.add(Path(file).resolve().relative_to(Path(root).resolve()).as_posix())
        except (ValueError, OSError):
            pass
    if path.as_posix().startswith("./"):
        names.add(path.as_posix()[2:])
    return names


def _sort_key(finding: Finding) -> tuple[Any, ...]:
    return (finding.file or "", finding.line or 0, finding.column or 0, _path_key(finding.document),
            finding.severity.rank, finding.code, _path_key(finding.path))


def _path_key(path: Sequence[str | int]) -> tuple[tuple[int, Any], ...]:
    return tuple((0, p) if isinstance(p, int) else (1, str(p)) for p in path)


__all__ = [
    "INTERNAL_RULES",
    "Inference",
    "LINT_RULE_ERROR",
    "LintConfigError",
    "LintOptions",
    "LintResult",
    "lint_paths",
    "lint_policy",
    "lint_targets",
    "load_options",
    "reported_rules",
]


@dataclass
class _Document:
    """One document given directly (the fields of `inputs.LintTarget` the runner reads)."""

    value: Any
    file: str | None = None
    document_path: JsonPath = ()
    locations: dict[JsonPath, tuple[int, int]] | None = None
    policy_type: str | None = None
    policy_type_reason: str = ""
    resource_kind: str | None = None
    ignores: dict[int, set[str]] = field(default_factory=dict)
    label: str = "policy"
    text_positions: bool = True  # a str value is the whole text: its positions are the file's


def lint_policy(value: Any, policy_type: str = "identity", *, file: str | None = None,
                resource_kind: str | None = None, options: LintOptions | None = None) -> LintResult:
    """Lint one policy given as a dict or as JSON text (positions are those of the text)."""
    target = _Document(value=value, file=file, policy_type=_policy_type(policy_type, "policy_type"),
                       resource_kind=resource_kind)
    return lint_targets([target], options)  # type: ignore[list-item]
