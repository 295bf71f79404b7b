"""Lambda's outputs -> function records.

- `aws lambda get-function-configuration` (or `get-function`, whose `Configuration` and
  `Tags` are read): ARN, execution role, VPC config, memory, timeout, handler, layers, DLQ;
  configurations of published versions (`Version` other than `$LATEST`) add to `versions`;
- `aws lambda get-policy` (`{"Policy": "<json text>", "RevisionId": ...}`), keyed by the
  function ARN it was read for. A function has one document in the environment: the
  statements of every qualifier's policy are merged into it; each keeps its `Resource`
  (qualified for an alias or version), so ARN matching keeps them apart as Lambda does;
- `aws lambda list-aliases` (`{"Aliases": [{"Name", "FunctionVersion", ...}]}`) -> `aliases`.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from ..environment import function_base_arn
from ..errors import EnvironmentError
from .common import document, required, tags


def import_functions(configurations: Iterable[Mapping[str, Any]],
                     policies: Mapping[str, Mapping[str, Any]] | Iterable[Mapping[str, Any]],
                     aliases: Mapping[str, Mapping[str, Any]]) -> list[dict[str, Any]]:
    functions: dict[str, dict[str, Any]] = {}
    for i, value in enumerate(configurations):
        _configuration(value, ("function_configurations", i), functions)
    pairs = policies.items() if isinstance(policies, Mapping) else \
        ((None, p) for p in policies)
    for n, (arn, output) in enumerate(pairs):
        _policy(arn, output, ("function_policies", arn if arn is not None else n), functions)
    for arn, output in aliases.items():
        fn = _function(functions, arn, ("function_aliases", arn))
        for k, alias in enumerate(output.get("Aliases") or []):
            where = ("function_aliases", arn, "Aliases", k)
            fn["aliases"][required(alias, "Name", where)] = required(alias, "FunctionVersion", where)
    for fn in functions.values():
        fn.pop("_from_latest", None)
    return list(functions.values())


def _function(functions: dict[str, dict[str, Any]], arn: str, path: tuple[str | int, ...]) -> dict[str, Any]:
    fn = functions.get(function_base_arn(arn)[0])
    if fn is None:
        raise EnvironmentError(f"`{arn}` at `{path[0]}` is not a function of `function_configurations`", path=path)
    return fn


def _configuration(value: Mapping[str, Any], path: tuple[str | int, ...], functions: dict[str, dict[str, Any]]) -> None:
    config = value.get("Configuration", value) if isinstance(value, Mapping) else value
    if "Configuration" in value:
        path = path + ("Configuration",)
    arn, qualifier = function_base_arn(required(config, "FunctionArn", path))
    version = config.get("Version")
    fn = functions.get(arn)
    if fn is None:
        fn = functions[arn] = {"arn": arn, "role": required(config, "Role", path), "versions": [], "aliases": {}}
    if version and version != "$LATEST":
        if version not in fn["versions"]:
            fn["versions"].append(version)
        if qualifier is not None and fn.get("_from_latest"):
            return  # the unqualified ($LATEST) configuration describes the function
    fn["_from_latest"] = fn.get("_from_latest") or version in (None, "$LATEST")
    fn["role"] = required(config, "Role", path)
    vpc = config.get("VpcConfig") or {}
    if vpc.get("SubnetIds") or vpc.get("SecurityGroupIds"):
        fn["vpc_config"] = {"subnet_ids": list(vpc.get("SubnetIds") or []),
                            "security_group_ids": list(vpc.get("SecurityGroupIds") or []),
                            "vpc_id": vpc.get("VpcId") or None}
    if "MemorySize" in config:
        fn["memory_size"] = int(config["MemorySize"])
    if "Timeout" in config:
        fn["timeout"] = float(config["Timeout"])
    if config.get("Handler"):
        fn["handler"] = _handler(config["Handler"])
    fn["layers"] = [layer["Arn"] if isinstance(layer, Mapping) else layer for layer in config.get("Layers") or []]
    dlq = (config.get("DeadLetterConfig") or {}).get("TargetArn")
    if dlq:
        fn["dead_letter_target"] = dlq
    if isinstance(value, Mapping) and value.get("Tags"):
        fn["tags"] = tags(value["Tags"], ("Tags",))


def _handler(text: str) -> str:
    """Lambda's Python `file.function` (or `dir/file.function`) -> the native `module:function`."""
    module, _, function = text.rpartition(".")
    return f"{module.replace('/', '.')}:{function}" if module else text


def _policy(arn: str | None, output: Mapping[str, Any], path: tuple[str | int, ...],
            functions: dict[str, dict[str, Any]]) -> None:
    doc = document(required(output, "Policy", path), path + ("Policy",))
    statements = doc.get("Statement") or []
    if isinstance(statements, Mapping):
        statements = [statements]
    if arn is None:  # a bare get-policy output: the function is in the statements' Resource
        resources = {s.get("Resource") for s in statements if isinstance(s.get("Resource"), str)}
        if not resources:
            raise EnvironmentError(f"cannot tell which function the policy at `{path[0]}[{path[1]}]` is for: "
                                   "give it as {function_arn: get-policy output}", path=path)
        arn = sorted(resources)[0]
    fn = _function(functions, arn, path)
    current = fn.get("resource_policy")
    if current is None:
        fn["resource_policy"] = {**doc, "Statement": list(statements)}
    else:
        current["Statement"] = current["Statement"] + list(statements)
