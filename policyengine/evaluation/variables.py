"""Policy variables: `${aws:username}`, defaults, and the `${*}` `${?}` `${$}` escapes.

A string is parsed once (at compile time) into a `Template`; resolving it against a
request context is then a loop over parts. Variables are substituted only under
Version 2012-10-17; under 2008-10-17 or no Version the text is literal.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from lark import Lark, Token, Tree
from lark.exceptions import LarkError

from ..resources import grammar_text
from .context import MISSING, RequestContext


@dataclass(frozen=True, slots=True)
class Literal:
    """Text as written; `*` and `?` in it are wildcards where the element allows them."""

    text: str


@dataclass(frozen=True, slots=True)
class Escaped:
    """A character written as `${*}`, `${?}` or `${$}`: always literal, never a wildcard."""

    char: str


@dataclass(frozen=True, slots=True)
class Variable:
    key: str  # as written
    default: str | None = None

    @property
    def key_lower(self) -> str:
        return self.key.lower()


Part = Literal | Escaped | Variable


class TemplateSyntaxError(ValueError):
    """A `${` that does not form a valid variable or escape."""


class VariableValueError(ValueError):
    """A context value that no text can stand for (a JSON object): the statement cannot be
    evaluated, and the caller fails closed."""


@cache
def _parser() -> Lark:
    return Lark(grammar_text("variables.lark"), parser="lalr", start="start")


@dataclass(frozen=True, slots=True)
class Template:
    parts: tuple[Part, ...]

    @property
    def has_variables(self) -> bool:
        return any(isinstance(p, Variable) for p in self.parts)

    @property
    def variables(self) -> tuple[Variable, ...]:
        return tuple(p for p in self.parts if isinstance(p, Variable))

    def resolve(self, ctx: RequestContext) -> tuple[tuple[str, bool], ...] | None:
        """Substitute variables: a tuple of (text, wildcards_active) pieces.

        Literal text keeps its wildcards; escapes and substituted values are literal.
        None when a variable has no value and no default (AWS: the entry then
        matches nothing, or a negated operator matches); a multi-valued (list, tuple) value
        counts as no value, since only single-valued keys may be variables. A value
        that is not a string, number or boolean (a JSON object) raises
        VariableValueError: it is not substituted as some text of ours.
        """
        out: list[tuple[str, bool]] = []
        for part in self.parts:
            if isinstance(part, Literal):
                out.append((part.text, True))
            elif isinstance(part, Escaped):
                out.append((part.char, False))
            else:
                value = ctx.get(part.key_lower)
                if value is MISSING or value is None or isinstance(value, MULTI_VALUED):
                    if part.default is None:
                        ctx.note_missing(part.key)
                        return None
                    out.append((part.default, False))
                else:
                    out.append((substituted_text(value, part.key), False))
        return tuple(out)


MULTI_VALUED = (list, tuple)


def substituted_text(value: object, key: str) -> str:
    """The text a single context value substitutes for `${key}`: a string as it is, a JSON
    number or boolean as its JSON text (as String conditions compare them); anything else
    raises VariableValueError."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    raise VariableValueError(f"`${{{key}}}`: `{value!r}` is not a string, number or boolean")


@cache
def parse_template(text: str) -> Template:
    """Parse `${...}` variables in `text`; raises TemplateSyntaxError on a malformed one."""
    if "${" not in text:
        return Template((Literal(text),)) if text else Template(())
    try:
        tree = _parser().parse(text)
    except LarkError as exc:
        raise TemplateSyntaxError(
            f"`{text}` has a malformed policy variable; write `${{key}}`, "
            f"`${{key, 'default'}}` or one of the escapes `${{*}}`, `${{?}}`, `${{$}}`"
        ) from exc
    parts: list[Part] = []
    for child in tree.children:
        assert isinstance(child, Tree)
        tokens = [t for t in child.children if isinstance(t, Token)]
        if child.data == "text":
            parts.append(Literal(str(tokens[0])))
        elif child.data == "escape":
            parts.append(Escaped(str(tokens[0])))
        else:
            key = str(tokens[0])
            default = str(tokens[1])[1:-1] if len(tokens) > 1 else None
            parts.append(Variable(key, default))
    return Template(tuple(parts))


def literal_template(text: str) -> Template:
    """The template of a string in a policy without variables (Version 2008-10-17 or none)."""
    return Template((Literal(text),)) if text else Template(())
