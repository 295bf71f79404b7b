"""The function policy Lambda writes for an AddPermission call, built so that CloudFormation's
`AWS::Lambda::Permission` and Terraform's `aws_lambda_permission` can be linted as policies.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .documents import Locations
from .intrinsics import Intrinsic, is_intrinsic, is_placeholder

__all__ = ["lambda_permission_policy"]


def lambda_permission_policy(
    properties: dict[str, Any], locations: Locations, sid: str, names: Mapping[str, str | None]
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
    if not isinstance(function, str) or is_placeholder(function):
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
