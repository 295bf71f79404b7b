"""CreateFunction / UpdateFunctionConfiguration (lambda-permissions.md §3.1-§3.3, §4 C1-C5, C7).

Checks, in AWS's order; every one is evaluated (so the result shows them all) and the error is
the first failure's:
1. the caller's `lambda:CreateFunction` / `lambda:UpdateFunctionConfiguration` on the function
   ARN, with `lambda:VpcIds` (single; only when the VPC ID is known), `lambda:SubnetIds`,
   `lambda:SecurityGroupIds`, `lambda:Layer` (multi-valued), `lambda:CodeSigningConfigArn`,
   `aws:RequestTag/*`, `aws:TagKeys` from the request -> AccessDeniedException;
   then existence: create of an existing function -> ResourceConflictException
   "Function already exist: NAME"; update of a missing one -> ResourceNotFoundException;
2. with a role: the caller's `iam:PassRole` on it with `iam:PassedToService=lambda.amazonaws.com`;
   a role of another account cannot be passed -> AccessDeniedException (no reason tail then);
3. the role's trust policy lets `lambda.amazonaws.com` `sts:AssumeRole` (with
   `aws:SourceAccount`/`aws:SourceArn` = the function's account and unqualified ARN when
   `lambda_sets_source_keys_on_assume_role`); a missing role fails the same way ->
   InvalidParameterValueException "The role defined for the function cannot be assumed by Lambda.";
4. with a VPC config: the caller's `ec2:DescribeSecurityGroups`, `ec2:DescribeSubnets`,
   `ec2:DescribeVpcs` (AccessDeniedException), then the role's `ec2:CreateNetworkInterface` on
   the network interface, each subnet and each security group -> InvalidParameterValueException
   "The provided execution role does not have permissions to call CreateNetworkInterface on EC2".
   With `strict_vpc=True` also the other actions of §3.3 (DescribeNetworkInterfaces,
   DeleteNetworkInterface, AssignPrivateIpAddresses, UnassignPrivateIpAddresses, DescribeSubnets),
   reported in the same form ([unverified] whether Lambda checks them);
5. a dead-letter target: the role's `sqs:SendMessage` / `sns:Publish` ("... call SendMessage on
   SQS" / "... call Publish on SNS").
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from ..environment import Environment
from ..environment.model import VpcConfig
from ..model.decision import IMPLICIT_DENY, Decision, DecisionCode
from .event_sources import Need, check_dead_letter, role_checks
from .functions import account_of, resolve
from .result import (INVALID_PARAMETER, RESOURCE_CONFLICT, AwsError, Check, CheckResult, access_denied,
                     access_denied_message, decide, denied, function_not_found, result)

LAMBDA_SERVICE = "lambda.amazonaws.com"
CANNOT_ASSUME = "The role defined for the function cannot be assumed by Lambda."
STRICT_VPC_ROLE_ACTIONS = ("DescribeNetworkInterfaces", "DeleteNetworkInterface", "AssignPrivateIpAddresses",
                           "UnassignPrivateIpAddresses", "DescribeSubnets")


def _vpc(vpc_config: VpcConfig | Mapping[str, Any] | None) -> VpcConfig | None:
    if vpc_config is None:
        return None
    vpc = vpc_config if isinstance(vpc_config, VpcConfig) else VpcConfig.model_validate(dict(vpc_config))
    return vpc if (vpc.subnet_ids or vpc.security_group_ids) else None


def request_context(vpc: VpcConfig | None, layers: Sequence[str], code_signing_config_arn: str | None,
                    tags: Mapping[str, str] | None) -> dict[str, Any]:
    ctx: dict[str, Any] = {}
    if vpc is not None:
        if vpc.vpc_id:
            ctx["lambda:VpcIds"] = vpc.vpc_id
        ctx["lambda:SubnetIds"] = list(vpc.subnet_ids)
        ctx["lambda:SecurityGroupIds"] = list(vpc.security_group_ids)
    if layers:
        ctx["lambda:Layer"] = list(layers)
    if code_signing_config_arn:
        ctx["lambda:CodeSigningConfigArn"] = code_signing_config_arn
    if tags:
        for k, v in tags.items():
            ctx[f"aws:RequestTag/{k}"] = v
        ctx["aws:TagKeys"] = list(tags)
    return ctx


def check_create_function(env: Environment, caller: str, function_arn: str, role_arn: str | None, *,
                          vpc_config: VpcConfig | Mapping[str, Any] | None = None, layers: Sequence[str] = (),
                          dead_letter_target: str | None = None, update: bool = False,
                          code_signing_config_arn: str | None = None, tags: Mapping[str, str] | None = None,
                          strict_vpc: bool = False) -> CheckResult:
    """May `caller` create (or, with `update=True`, reconfigure) the function with this role and config?

    On update, `role_arn`/`vpc_config`/`dead_letter_target` left as None mean "unchanged": the
    function's current ones are used for the role-side checks (and the VPC keys, §3.3), and no
    PassRole is needed when the role is not being set.
    """
    fn = resolve(env, function_arn)
    if isinstance(fn, AwsError):
        return denied(fn)
    if fn.qualifier is not None:
        return denied(AwsError.of(INVALID_PARAMETER, "Qualified function ARNs are not supported here: "
                                                     f"{function_arn}"))  # wording [unverified]
    record = fn.record
    vpc = _vpc(vpc_config)
    if update and vpc_config is None and record is not None:
        vpc = _vpc(record.vpc_config)
    action = "lambda:UpdateFunctionConfiguration" if update else "lambda:CreateFunction"
    checks: list[Check] = []
    errors: list[AwsError] = []

    def add(check: Check, error: AwsError | None) -> None:
        checks.append(check)
        if not check.allowed and error is not None:
            errors.append(error)

    ctx = request_context(vpc, layers, code_signing_config_arn, tags)
    first = decide(env, "update_function_configuration" if update else "create_function", action, caller, fn.arn, ctx)
    add(first, access_denied(first))
    if first.allowed:
        if update and record is None:
            errors.append(function_not_found(fn.arn))
        elif not update and record is not None:
            errors.append(AwsError.of(RESOURCE_CONFLICT, f"Function already exist: {fn.name}"))

    if role_arn is not None:
        passed = decide(env, "pass_role", "iam:PassRole", caller, role_arn, {"iam:PassedToService": LAMBDA_SERVICE})
        if account_of(role_arn) != fn.account:
            # Roles of another account cannot be passed, whatever the policies say (§3.2).
            checks.append(passed)
            errors.append(AwsError.of("AccessDeniedException",
                                      access_denied_message(caller, "iam:PassRole", role_arn)))
            if passed.allowed:
                checks[-1] = Check(passed.name, passed.action, passed.principal, passed.resource,
                                   _cross_account_denial(passed))
        else:
            add(passed, access_denied(passed))
    role = role_arn or (record.role if record is not None else None)
    if role is not None:
        trust_ctx: dict[str, Any] = {}
        if env.data.lambda_sets_source_keys_on_assume_role:
            trust_ctx = {"aws:SourceAccount": fn.account, "aws:SourceArn": fn.base_arn}
        trust = decide(env, "trust_policy", "sts:AssumeRole", LAMBDA_SERVICE, role, trust_ctx)
        add(trust, AwsError.of(INVALID_PARAMETER, CANNOT_ASSUME))
        role_known = env.role(role) is not None
    else:
        role_known = False

    if vpc is not None:
        for api in ("DescribeSecurityGroups", "DescribeSubnets", "DescribeVpcs"):
            c = decide(env, "vpc_caller", f"ec2:{api}", caller, "*")
            add(c, access_denied(c))
        if role_known and role is not None:
            region, account = fn.region, account_of(role)
            ec2 = f"arn:aws:ec2:{region}:{account}"
            create_on = [f"{ec2}:network-interface/*", *(f"{ec2}:subnet/{s}" for s in vpc.subnet_ids),
                         *(f"{ec2}:security-group/{g}" for g in vpc.security_group_ids)]
            needs = [Need("ec2:CreateNetworkInterface", r, "EC2") for r in create_on]
            if strict_vpc:
                needs += [Need(f"ec2:{api}", f"{ec2}:network-interface/*" if api == "DeleteNetworkInterface" else "*",
                               "EC2") for api in STRICT_VPC_ROLE_ACTIONS]
            more, error = role_checks(env, fn.base_arn, role, needs, "vpc_execution_role")
            checks += more
            if error is not None:
                errors.append(error)

    dlq = dead_letter_target if dead_letter_target is not None else \
        (record.dead_letter_target if update and record is not None else None)
    if dlq and role_known and role is not None:
        sub = check_dead_letter(env, fn.base_arn, role, dlq)
        checks += sub.checks
        if sub.error is not None:
            errors.append(sub.error)
    return result(checks, errors[0] if errors else None)


def _cross_account_denial(decision_check: Check) -> Decision:
    return Decision(IMPLICIT_DENY, DecisionCode.NO_RESOURCE_POLICY_ALLOW,
                    f"a role of another account cannot be passed ({decision_check.resource})")
