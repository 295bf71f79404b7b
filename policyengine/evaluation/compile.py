"""Compile policy documents once into indexed statement matchers.

Compiling checks what only the evaluator knows how to read (condition operators and
their values, policy variables) and what AWS rejects for a policy type (a Principal
in an identity policy, none in a resource policy, NotPrincipal with Allow), and
raises `PolicyValidationError` with the location of every problem.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import PolicyEngineError, PolicyValidationError
from ..model.decision import StatementRef
from ..model.policy import PolicyDocument, Principal, Statement
from .actions import ActionIndex, ActionMatcher, IndexKeys, compile_actions, index_keys
from .arns import ResourceMatcher, compile_resources
from .conditions import CompiledConditions, ConditionCompileError, compile_conditions
from .variables import TemplateSyntaxError

POLICY_TYPE_NAMES = {
    "identity": "an identity-based policy",
    "resource": "a resource-based policy",
    "permissions_boundary": "a permissions boundary",
    "session": "a session policy",
    "scp": "an SCP",
    "rcp": "an RCP",
    "vpc_endpoint": "a VPC endpoint policy",
}

# Policy types whose statements name principals.
PRINCIPAL_POLICY_TYPES = frozenset({"resource", "vpc_endpoint", "rcp"})


@dataclass(slots=True, eq=False)
class CompiledStatement:
    policy_type: str
    policy_name: str
    document: PolicyDocument
    statement: Statement
    is_deny: bool
    actions: ActionMatcher
    keys: IndexKeys
    resources: ResourceMatcher | None  # None: no Resource element (matches any resource)
    principal: Principal | None
    not_principal: Principal | None
    conditions: CompiledConditions | None
    _ref: StatementRef | None = field(default=None)

    def ref(self, *, deciding: bool = False) -> StatementRef:
        if self._ref is None:
            doc = self.document
            path = doc.statement_path(self.statement.index)
            where = doc.location_of(path)
            self._ref = StatementRef(
                policy_type=self.policy_type,
                policy_name=self.policy_name,
                statement_index=self.statement.index,
                sid=self.statement.sid,
                effect=self.statement.effect,
                file=doc.source,
                line=where[0] if where else None,
                column=where[1] if where else None,
                path=path,
            )
        if deciding:
            ref = self._ref
            return StatementRef(
                ref.policy_type, ref.policy_name, ref.statement_index, ref.sid, ref.effect,
                ref.file, ref.line, ref.column, ref.path, True,
            )
        return self._ref


@dataclass(slots=True)
class PolicyLayer:
    """Statements that are evaluated together: one policy type, or one SCP/RCP level."""

    policy_type: str
    label: str
    statements: list[CompiledStatement]
    index: ActionIndex[CompiledStatement]

    @property
    def needs_principal(self) -> bool:
        return self.policy_type in PRINCIPAL_POLICY_TYPES


def _located(doc: PolicyDocument, exc: PolicyEngineError) -> PolicyEngineError:
    where = doc.location_of(exc.path)
    if where is not None:
        exc.line, exc.column = where
    exc.file = exc.file or doc.source
    return exc


_RCP_HELP = "AWS Organizations refuses to attach such an RCP (RCP syntax)"


def _rcp_grammar(statement: Statement) -> list[tuple[str, str, tuple[str, ...]]]:
    """What AWS Organizations refuses in an RCP statement: a `Principal` other than `"*"`,
    `NotPrincipal`, `NotAction`, and an `Allow` other than RCPFullAWSAccess's."""
    out: list[tuple[str, str, tuple[str, ...]]] = []
    if statement.not_principal is not None:
        out.append(("an RCP statement cannot have `NotPrincipal`; write `\"Principal\": \"*\"` and exempt "
                    "principals with a condition", "RCP_SYNTAX_ERROR_PRINCIPAL", ("NotPrincipal",)))
    elif statement.principal is not None and not statement.principal.wildcard:
        out.append(("an RCP statement names `\"Principal\": \"*\"` and restricts whom it applies to with "
                    "conditions", "RCP_SYNTAX_ERROR_PRINCIPAL", ("Principal",)))
    if statement.not_action is not None:
        out.append(("an RCP statement cannot have `NotAction`; list the actions in `Action`",
                    "RCP_SYNTAX_ERROR_NOTACTION", ("NotAction",)))
    if statement.effect == "Allow" and not (
        statement.action is not None and set(statement.action) == {"*"}
        and statement.resource is not None and set(statement.resource) == {"*"} and not statement.condition
    ):
        out.append(("an RCP can only allow everything (`RCPFullAWSAccess`: `\"Action\": \"*\"` on "
                    "`\"Resource\": \"*\"`, no condition); write restrictions as `Deny` statements",
                    "RCP_SYNTAX_ERROR_ALLOW", ("Effect",)))
    return out


def compile_statement(
    doc: PolicyDocument, statement: Statement, *, policy_type: str | None, policy_name: str
) -> tuple[CompiledStatement | None, list[PolicyEngineError]]:
    base = doc.statement_path(statement.index)
    problems: list[PolicyEngineError] = []

    def problem(message: str, code: str, *path: str | int) -> None:
        problems.append(_located(doc, PolicyEngineError(message, code=code, path=base + path)))

    has_principal = statement.principal is not None or statement.not_principal is not None
    if policy_type is None:
        pass  # type unknown (load_policy): only what every policy type must satisfy
    elif policy_type in PRINCIPAL_POLICY_TYPES and not has_principal:
        problem(f"a statement of {POLICY_TYPE_NAMES[policy_type]} needs a `Principal`",
                "MISSING_PRINCIPAL")
    elif policy_type not in PRINCIPAL_POLICY_TYPES and has_principal:
        element = "Principal" if statement.principal is not None else "NotPrincipal"
        problem(f"{POLICY_TYPE_NAMES[policy_type]} cannot have `{element}`; "
                "only resource-based policies name principals", "UNSUPPORTED_PRINCIPAL", element)
    if statement.not_principal is not None and statement.effect == "Allow":
        problem("`NotPrincipal` is supported only with `\"Effect\": \"Deny\"`", "NOT_PRINCIPAL_WITH_ALLOW",
                "NotPrincipal")
    if policy_type == "rcp":
        problems.extend(_located(doc, PolicyEngineError(message, code=code, path=base + path))
                        for message, code, path in _rcp_grammar(statement))

    patterns, negated = statement.actions
    actions = compile_actions(patterns, negated=negated)
    keys = index_keys(patterns, negated=negated)

    resources: ResourceMatcher | None = None
    found = statement.resources
    if found is not None:
        element = "NotResource" if found[1] else "Resource"
        try:
            resources = compile_resources(found[0], negated=found[1], variables_enabled=doc.variables_enabled)
        except TemplateSyntaxError as exc:
            problem(str(exc), "INVALID_POLICY_VARIABLE", element)

    conditions: CompiledConditions | None = None
    if statement.condition:
        try:
            conditions = compile_conditions(statement.condition, variables_enabled=doc.variables_enabled)
        except ConditionCompileError as exc:
            for err in getattr(exc, "errors", None) or [exc]:
                problems.append(_located(doc, PolicyEngineError(
                    err.message, code=err.code, path=base + tuple(err.path), help=err.help)))

    if problems:
        return None, problems
    return (
        CompiledStatement(
            policy_type=policy_type or "unknown",
            policy_name=policy_name,
            document=doc,
            statement=statement,
            is_deny=statement.effect == "Deny",
            actions=actions,
            keys=keys,
            resources=resources,
            principal=statement.principal,
            not_principal=statement.not_principal,
            conditions=conditions,
        ),
        [],
    )


def compile_layer(
    policy_type: str, label: str, documents: list[tuple[str, PolicyDocument]]
) -> PolicyLayer:
    """Compile named documents into one indexed layer; all problems raised together."""
    statements: list[CompiledStatement] = []
    problems: list[PolicyEngineError] = []
    index: ActionIndex[CompiledStatement] = ActionIndex()
    for name, doc in documents:
        for statement in doc.statements:
            compiled, found = compile_statement(doc, statement, policy_type=policy_type, policy_name=name)
            problems.extend(found)
            if compiled is not None:
                statements.append(compiled)
                index.add(compiled, compiled.keys)
    if problems:
        raise PolicyValidationError(problems)
    return PolicyLayer(policy_type, label, statements, index)


def check_document(doc: PolicyDocument) -> None:
    """Raise PolicyValidationError for what any policy type must satisfy (operators, variables...)."""
    problems: list[PolicyEngineError] = []
    for statement in doc.statements:
        problems.extend(compile_statement(doc, statement, policy_type=None, policy_name="")[1])
    if problems:
        raise PolicyValidationError(problems)
