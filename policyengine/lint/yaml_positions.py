"""YAML text -> Python values plus the (line, column) of every key and value.

The lint inputs read policies written in YAML (CloudFormation templates above all) and must
point findings at the right line, so values are built here from PyYAML's event stream
(`yaml.parse`, libyaml when available) instead of `yaml.safe_load`, which keeps no
positions. Building from events needs no recursion, so nesting is bounded by an explicit
limit (`Limits.max_yaml_depth`) and never by Python's stack.

Positions follow the JSON reader's convention: 1-based (line, column), the key's position
for a mapping member, the value's for a sequence item, the value's for the root.

Values are JSON's: dicts, lists, str, int, float, bool, None. Where YAML 1.1 would build
something else, the text is kept as written:

- mapping keys are always the key's text (`Null:`, the condition operator, stays `"Null"`;
  `123456789012:` stays a string);
- timestamps stay strings (`Version: 2012-10-17` is the string a policy needs);
- integers are built only from plain decimal text; octal, hexadecimal, binary, sexagesimal
  and underscored forms stay strings (`012345670123` is an account ID, not octal);
  floats likewise, and `.inf`/`.nan` stay strings;
- `true`/`false`/`yes`/`no`/`on`/`off` and `null`/`~` are read as YAML 1.1 reads them.

CloudFormation's short-form tags (`!Ref X`, `!GetAtt A.B`, `!Sub ...`, `!If [...]`, any
`!Name`) become the template's long form, `{"Ref": "X"}`, `{"Fn::GetAtt": ["A", "B"]}`,
`{"Fn::Sub": ...}`, `{"Fn::If": [...]}` (`!Condition X` becomes `{"Condition": "X"}`), so
YAML and JSON templates look the same to the code that reads them. Other tags are refused,
except YAML's own `!!str`, `!!int`, `!!float`, `!!bool`, `!!null`, `!!binary`,
`!!timestamp`, `!!map` and `!!seq`.

Anchors and aliases are expanded (the alias shares the anchored object); merge keys
(`<<: *base`) are applied. Every node, alias expansions included, counts towards
`Limits.max_yaml_nodes`, which defeats "billion laughs" documents. Duplicate keys are refused, as IAM
refuses them in JSON. A stream of more than one YAML document is refused.

Inline suppressions: a comment `# policyengine: ignore CODE[,CODE...]` at the end of a line
suppresses those codes on that line; on a line of its own it applies to the next line that
is neither blank nor a comment. `inline_ignores()` finds them.

Every failure is a located `PolicySyntaxError` (for a cap of `Limits`, also a
`LimitExceededError`, code `LIMIT_EXCEEDED`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Sequence

import yaml
from yaml.nodes import ScalarNode

from ..errors import JsonPath, PolicySyntaxError
from ..limits import DEFAULT_LIMITS, Limits, limit_error_class

__all__ = ["YamlDocument", "inline_ignores", "load_yaml"]

Locations = dict[JsonPath, tuple[int, int]]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESOLVER = yaml.resolver.Resolver()
_YAML_TAG = "tag:yaml.org,2002:"
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(
    r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[-+]?[0-9]+[eE][-+]?[0-9]+"
)
_BOOLS = {"yes": True, "no": False, "true": True, "false": False, "on": True, "off": False}
_LOCAL_TAG = re.compile(r"![A-Za-z][A-Za-z0-9]*")
_QUOTED_STYLES = ('"', "'", "|", ">")
_TAG_HELP = "policies and templates use only CloudFormation's `!Ref`-style tags"

_IGNORE = re.compile(
    r"(?:^|(?<=\s))#\s*policyengine\s*:\s*ignore\s+"
    r"(?P<codes>[A-Za-z0-9_]+(?:\s*,\s*[A-Za-z0-9_]+)*)"
)


@dataclass
class YamlDocument:
    value: Any
    locations: Locations
    # CloudFormation short-form tags (`!Ref`, `!Sub`, ...) appear in the text.
    tags: bool = False
    # Inline suppressions: line -> codes.
    ignores: dict[int, set[str]] = field(default_factory=dict)


def intrinsic_for_tag(tag: str, argument: Any) -> dict[str, Any]:
    """The long form of CloudFormation's short-form tag `tag` applied to `argument`."""
    name = tag[1:]
    if name in ("Ref", "Condition"):
        return {name: argument}
    if name == "GetAtt" and isinstance(argument, str):
        resource, _, attribute = argument.partition(".")
        return {"Fn::GetAtt": [resource, attribute]}
    return {f"Fn::{name}": argument}


class _Frame:
    __slots__ = ("kind", "value", "path", "node", "node_path", "key", "key_marks", "anchor",
                 "log_start", "count_start", "merge")

    def __init__(self, kind: str, value: Any, path: JsonPath, node: Any, node_path: JsonPath,
                 anchor: str | None, log_start: int, count_start: int) -> None:
        self.kind = kind  # "map" or "seq"
        self.value = value
        self.path = path  # where this container's members go (inside the intrinsic if tagged)
        self.node = node  # what the parent holds: the container, or the intrinsic around it
        self.node_path = node_path
        self.key: str | None = None  # a mapping's key waiting for its value
        self.key_marks: dict[str, tuple[int, int]] = {}
        self.anchor = anchor
        self.log_start = log_start
        self.count_start = count_start
        self.merge = False  # a `<<` merge key appeared


def _position(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


class _Builder:
    def __init__(self, text: str, file: str | None, limits: Limits) -> None:
        self.text = text
        self.file = file
        self.limits = limits
        self.log: list[tuple[JsonPath, tuple[int, int]]] = []
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, list[tuple[JsonPath, tuple[int, int]]], int]] = {}
        self.count = 0
        self.root: Any = None
        self.documents = 0
        self.tags = False
        self.quoted_spans: list[tuple[tuple[int, int], tuple[int, int]]] = []

    # -- errors ----------------------------------------------------------------------------

    def error(self, message: str, mark: Any, help: str | None = None, *,
              cls: type[PolicySyntaxError] = PolicySyntaxError) -> PolicySyntaxError:
        line, column = _position(mark) if mark is not None else (None, None)
        path: JsonPath = ()
        if self.stack:
            frame = self.stack[-1]
            path = frame.path + ((frame.key,) if frame.key is not None else ())
        return cls(message, file=self.file, line=line, column=column, path=path, help=help)

    def over_limit(self, message: str, mark: Any) -> PolicySyntaxError:
        return self.error(message, mark, "raise the cap with policyengine.limits.Limits(...) if the "
                          "file is trusted", cls=limit_error_class(PolicySyntaxError))

    # -- the event loop --------------------------------------------------------------------

    def run(self) -> None:
        for event in yaml.parse(self.text, Loader=_Loader):
            kind = type(event)
            if kind is yaml.ScalarEvent:
                self.scalar(event)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                self.start(event, "map" if kind is yaml.MappingStartEvent else "seq")
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                self.end()
            elif kind is yaml.AliasEvent:
                self.alias(event)
            elif kind is yaml.DocumentStartEvent:
                self.documents += 1
                if self.documents > 1:
                    raise self.error(
                        "the file holds more than one YAML document (`---`)", event.start_mark,
                        help="put each policy or template in a file of its own",
                    )

    def counted(self, mark: Any, extra: int = 1) -> None:
        self.count += extra
        cap = self.limits.max_yaml_nodes
        if self.count > cap:
            raise self.over_limit(
                f"the YAML document has more than {cap:,} nodes (aliases counted as "
                "often as they are used; max_yaml_nodes)", mark,
            )

    def place(self, mark: Any) -> JsonPath | None:
        """Where the next node goes: its path, after logging its position. None for a key."""
        if not self.stack:
            self.log.append(((), _position(mark)))
            return ()
        frame = self.stack[-1]
        if frame.kind == "seq":
            path = frame.path + (len(frame.value),)
            self.log.append((path, _position(mark)))
            return path
        if frame.key is None:
            return None
        return frame.path + (frame.key,)

    def attach(self, value: Any) -> None:
        if not self.stack:
            self.root = value
            return
        frame = self.stack[-1]
        if frame.kind == "seq":
            frame.value.append(value)
        else:
            frame.value[frame.key] = value
            frame.key = None

    def key(self, event: Any) -> None:
        frame = self.stack[-1]
        if type(event) is not yaml.ScalarEvent:
            raise self.error(
                "a mapping key must be a plain scalar, not a mapping, sequence or alias",
                event.start_mark,
            )
        key = event.value
        where = _position(event.start_mark)
        if key == "<<" and event.tag is None and event.implicit[0]:
            frame.merge = True
        if key in frame.key_marks:
            line, column = frame.key_marks[key]
            raise self.error(
                f"duplicate key `{key}`; it already appears at line {line}, column {column}",
                event.start_mark,
            )
        frame.key_marks[key] = where
        frame.key = key
        if event.anchor is not None:
            self.anchors[event.anchor] = (key, [], 1)
        self.log.append((frame.path + (key,), where))

    def scalar(self, event: Any) -> None:
        self.counted(event.start_mark)
        if self.stack and self.stack[-1].kind == "map" and self.stack[-1].key is None:
            self.key(event)
            return
        if event.style in _QUOTED_STYLES and "#" in event.value:
            self.quoted_spans.append((_position(event.start_mark), _position(event.end_mark)))
        path = self.place(event.start_mark)
        assert path is not None
        log_start = len(self.log)
        value = self.scalar_value(event)
        if event.tag is not None and _LOCAL_TAG.fullmatch(event.tag):
            value = intrinsic_for_tag(event.tag, value)
            self.tags = True
            (name,) = value
            where = _position(event.start_mark)
            self.log.append((path + (name,), where))
            if isinstance(value[name], list):
                self.log.extend((path + (name, i), where) for i in range(len(value[name])))
        if event.anchor is not None:
            relative = [(p[len(path):], w) for p, w in self.log[log_start:]]
            self.anchors[event.anchor] = (value, relative, 1)
        self.attach(value)

    def scalar_value(self, event: Any) -> Any:
        text: str = event.value
        tag = event.tag
        if tag is None:
            if not event.implicit[0]:
                return text  # quoted or block scalar
            tag = _RESOLVER.resolve(ScalarNode, text, (True, False))
        elif tag == "!" or _LOCAL_TAG.fullmatch(tag):
            return text
        if not tag.startswith(_YAML_TAG):
            raise self.error(f"unsupported YAML tag `{tag}`", event.start_mark, help=_TAG_HELP)
        kind = tag[len(_YAML_TAG):]
        if kind in ("str", "timestamp", "binary"):
            return text
        if kind == "null":
            return None
        if kind == "bool":
            lowered = text.lower()
            if lowered in _BOOLS:
                return _BOOLS[lowered]
        elif kind == "int":
            if _DECIMAL.fullmatch(text):
                try:
                    return int(text)
                except ValueError:  # more digits than sys.get_int_max_str_digits()
                    raise self.error(f"the number `{text[:20]}...` has too many digits ({len(text)})",
                                     event.start_mark) from None
            if event.tag is None:
                return text  # 0o17, 0x1F, 1_000, 1:30: kept as written
        elif kind == "float":
            if _FLOAT.fullmatch(text) or (event.tag is not None and _DECIMAL.fullmatch(text)):
                return float(text)
            if event.tag is None:
                return text
        elif kind == "merge":
            return text
        raise self.error(f"`{text}` cannot be read as YAML `!!{kind}`", event.start_mark)

    def start(self, event: Any, kind: str) -> None:
        self.counted(event.start_mark)
        if self.stack and self.stack[-1].kind == "map" and self.stack[-1].key is None:
            self.key(event)
        depth = self.limits.max_yaml_depth
        if len(self.stack) >= depth:
            raise self.over_limit(f"the document nests mappings and sequences deeper than {depth} "
                                  "levels (max_yaml_depth)", event.start_mark)
        path = self.place(event.start_mark)
        assert path is not None
        container: Any = {} if kind == "map" else []
        node: Any = container
        tag = event.tag
        inner = path
        log_start = len(self.log)
        if tag is not None and _LOCAL_TAG.fullmatch(tag):
            node = intrinsic_for_tag(tag, container)
            self.tags = True
            (name,) = node
            inner = path + (name,)
            self.log.append((inner, _position(event.start_mark)))
        elif tag is not None and tag not in (_YAML_TAG + "map", _YAML_TAG + "seq", "!"):
            raise self.error(f"unsupported YAML tag `{tag}`", event.start_mark, help=_TAG_HELP)
        self.attach(node)
        self.stack.append(_Frame(kind, container, inner, node, path, event.anchor, log_start,
                                 self.count))

    def end(self) -> None:
        frame = self.stack.pop()
        if frame.merge:
            self.merge(frame)
        if frame.anchor is not None:
            size = len(frame.node_path)
            relative = [(p[size:], w) for p, w in self.log[frame.log_start:]]
            self.anchors[frame.anchor] = (frame.node, relative, self.count - frame.count_start + 1)

    def alias(self, event: Any) -> None:
        if self.stack and self.stack[-1].kind == "map" and self.stack[-1].key is None:
            raise self.error("a mapping key must be a plain scalar, not an alias", event.start_mark)
        found = self.anchors.get(event.anchor)
        if found is None:
            raise self.error(f"the alias `*{event.anchor}` names no anchor defined before it",
                             event.start_mark)
        value, relative, count = found
        self.counted(event.start_mark, count)
        path = self.place(event.start_mark)
        assert path is not None
        self.log.extend((path + p, w) for p, w in relative)
        self.attach(value)

    def merge(self, frame: _Frame) -> None:
        """Apply `<<: *base` (or `<<: [*a, *b]`) to the mapping just finished."""
        sources = frame.value.pop("<<")
        if isinstance(sources, dict):
            sources_with_paths = [(sources, frame.path + ("<<",))]
        elif isinstance(sources, list) and all(isinstance(s, dict) for s in sources):
            sources_with_paths = [(s, frame.path + ("<<", i)) for i, s in enumerate(sources)]
        else:
            where = frame.key_marks["<<"]
            raise PolicySyntaxError(
                "a merge key `<<` must name a mapping or a list of mappings",
                file=self.file, line=where[0], column=where[1], path=frame.path + ("<<",),
            )
        taken: dict[str, JsonPath] = {}
        for source, source_path in sources_with_paths:
            for key, item in source.items():
                if key not in frame.value:
                    frame.value[key] = item
                    taken[key] = source_path
        merge_path = frame.path + ("<<",)
        size = len(frame.path)
        moved: list[tuple[JsonPath, tuple[int, int]]] = []
        for p, w in self.log[frame.log_start:]:
            if p[:size + 1] != merge_path:
                moved.append((p, w))
                continue
            for key, source_path in taken.items():
                n = len(source_path)
                if p[:n] == source_path and len(p) > n and p[n] == key:
                    moved.append((frame.path + p[n:], w))
        self.log[frame.log_start:] = moved


def load_yaml(text: str, *, file: str | None = None, limits: Limits = DEFAULT_LIMITS) -> YamlDocument:
    """Read YAML `text` into JSON values with the (line, column) of every node.

    An empty stream (or one of comments only) gives the value None. Nesting and the number
    of nodes are capped by `limits` (`max_yaml_depth`, `max_yaml_nodes`).
    """
    builder = _Builder(text, file, limits)
    try:
        builder.run()
    except PolicySyntaxError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        message = f"the YAML is not valid: {problem}"
        if exc.context and exc.problem and exc.context_mark is not None:
            message += (f" ({exc.context.strip()} at line {exc.context_mark.line + 1}, "
                        f"column {exc.context_mark.column + 1})")
        if "maximum nesting depth" in problem:  # libyaml's own cap, met before ours in flow style
            raise builder.over_limit(f"the document nests mappings and sequences deeper than "
                                     f"{limits.max_yaml_depth} levels (max_yaml_depth)", mark) from None
        raise builder.error(message, mark) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise PolicySyntaxError(
            f"the YAML is not valid: character {exc.character!r} is not allowed in YAML",
            file=file, line=line, column=column,
        ) from None
    except yaml.YAMLError as exc:
        raise PolicySyntaxError(f"the YAML is not valid: {exc}", file=file) from None
    locations: Locations = {}
    for path, where in builder.log:
        locations.setdefault(path, where)
    return YamlDocument(
        value=builder.root,
        locations=locations,
        tags=builder.tags,
        ignores=inline_ignores(text, builder.quoted_spans),
    )


Span = tuple[tuple[int, int], tuple[int, int]]


def inline_ignores(text: str, quoted_spans: Sequence[Span] = ()) -> dict[int, set[str]]:
    """`# policyengine: ignore CODE,...` comments in `text`: line -> codes.

    `quoted_spans` are the (start, end) positions of quoted and block scalars that contain
    `#`; a match inside one of them is text, not a comment.
    """
    if "policyengine" not in text:
        return {}
    lines = text.splitlines()
    ignores: dict[int, set[str]] = {}
    for index, line in enumerate(lines):
        if "policyengine" not in line:
            continue
        match = _IGNORE.search(line)
        if match is None:
            continue
        here = (index + 1, match.start() + 1)
        if any(start <= here < end for start, end in quoted_spans):
            continue
        codes = {code.strip().upper() for code in match.group("codes").split(",") if code.strip()}
        target = index
        if not line[: match.start()].strip():
            # A comment on a line of its own: the next line that is neither blank nor a comment.
            target = index + 1
            while target < len(lines) and (not lines[target].strip()
                                           or lines[target].lstrip().startswith("#")):
                target += 1
            if target >= len(lines):
                continue
        ignores.setdefault(target + 1, set()).update(codes)
    return ignores
