"""CloudFormation intrinsic functions (`!Ref`, `!Sub`, `Fn::If`, ...) turned into values a policy
can hold, so a template's documents can be linted before CloudFormation resolves them.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ...errors import JsonPath
from .documents import Locations

__all__ = [
    "NO_VALUE",
    "Intrinsic",
    "is_intrinsic",
    "is_placeholder",
    "normalize_intrinsics",
    "template_placeholders",
]


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


def is_placeholder(value: object) -> bool:
    """Whether `value` is an intrinsic whose text says nothing of its value (`!Ref X`).

    Templates (`Fn::Sub`, simple `Fn::Join`) are not: their literal parts are the value's.
    """
    return is_intrinsic(value) and not (isinstance(value, Intrinsic) and value.template)


class _NoValue:
    def __repr__(self) -> str:
        return "AWS::NoValue"


NO_VALUE: Any = _NoValue()


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

    Returns the new value (`NO_VALUE` when it is `Ref: AWS::NoValue`), the positions of its
    nodes relative to it, and, for each object and list of the new value, its path in the
    file (they differ under a resolved `Fn::If` or a removed item).

    `Fn::Sub` becomes its template string (`${!Literal}` unescaped to `${Literal}`, as
    CloudFormation writes it, so IAM policy variables read as IAM sees them; `${Param}` and
    `${AWS::Region}` placeholders stay), and `Fn::Join` of literal text, `Ref`, `Fn::GetAtt`
    and `Fn::Sub` parts becomes the same kind of template (`${Name}`,
    `${Resource.Attribute}`; a join of literal text only is just its text). Both are
    `Intrinsic` strings whose `template` is true. `Fn::If` whose branches are objects or
    lists is replaced by the first branch that is one (a statement under a condition is
    linted as if the condition held), and `Ref: AWS::NoValue` removes the member or item
    that holds it. Every other intrinsic becomes an `Intrinsic` placeholder string written
    like the YAML short form (`!Ref Bucket`, `!GetAtt Role.Arn`, `!ImportValue ...`), which
    the policy parser accepts where a string goes and which checks recognise with
    `is_intrinsic()` (a pydantic model keeps the text but not the subclass, so `is_intrinsic`
    also recognises the text) and should skip.
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
                    return NO_VALUE
                if name == "Fn::If" and isinstance(argument, list) and len(argument) == 3:
                    branches = [(argument[i], source + (name, i)) for i in (1, 2)
                                if not _is_no_value(argument[i])]
                    if not branches:
                        return NO_VALUE
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
                if new is not NO_VALUE:
                    result[key] = new
            return result
        if where is not None:
            out_locations[target] = where
        if isinstance(node, list):
            origins[target] = source
            items: list[Any] = []
            for index, child in enumerate(node):
                new = walk(child, source + (index,), target + (len(items),), None)
                if new is not NO_VALUE:
                    items.append(new)
            return items
        return node

    result = walk(value, prefix, (), None)
    return result, out_locations, origins
