"""Execution-role permissions for event source mappings, destinations and dead-letter queues.

lambda-permissions.md §3.6, §3.7, §4 C5, G4, G5, H1. Lambda validates them when the mapping,
destination or DLQ is configured and answers `InvalidParameterValueException` "The provided
execution role does not have permissions to call <Action> on <Service>". The SQS
(ReceiveMessage, SendMessage) and SNS (Publish) forms are documented by usage; the Kinesis,
DynamoDB, Lambda, EventBridge and S3 forms are the same pattern, [unverified].

Each permission is a full evaluation of the role's session (SCPs, boundary, the target's
resource policy and RCPs). §3.6 reports that for DLQs a queue policy alone does not satisfy
Lambda's check ([unverified as an AWS rule]); this library does count it.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..environment import Environment
from .function_can import role_check
from .functions import not_found, resolve
from .result import INVALID_PARAMETER, AwsError, Check, CheckResult, access_denied, decide, denied, result


@dataclass(frozen=True, slots=True)
class Need:
    action: str
    resource: str
    service_label: str  # as Lambda names it in the message: SQS, SNS, EC2, ...

    @property
    def api(self) -> str:
        return self.action.split(":", 1)[1]


def role_lacks(need: Need) -> AwsError:
    return AwsError.of(INVALID_PARAMETER, f"The provided execution role does not have permissions to call "
                                          f"{need.api} on {need.service_label}")


def _service(arn: str) -> str:
    parts = arn.split(":")
    return parts[2] if len(parts) > 5 and parts[0] == "arn" else ""


def _is_fifo(arn: str) -> bool:
    return arn.endswith(".fifo")


def delivery_needs(target_arn: str, *, dead_letter: bool = False, on_failure: bool = True) -> list[Need] | AwsError:
    """What the role needs to deliver to a DLQ or destination, or why the target is refused."""
    service = _service(target_arn)
    if service in ("sqs", "sns") and _is_fifo(target_arn):
        return AwsError.of(INVALID_PARAMETER, f"FIFO {'queues' if service == 'sqs' else 'topics'} are not supported "
                                              f"as {'a dead-letter target' if dead_letter else 'a destination'}: "
                                              f"{target_arn}")  # wording [unverified]
    if service == "sqs":
        return [Need("sqs:SendMessage", target_arn, "SQS")]
    if service == "sns":
        return [Need("sns:Publish", target_arn, "SNS")]
    if not dead_letter:
        if service == "lambda":
            return [Need("lambda:InvokeFunction", target_arn, "Lambda")]
        if service == "events":
            return [Need("events:PutEvents", target_arn, "EventBridge")]
        if service == "s3" and on_failure:
            bucket = target_arn.split("/", 1)[0]
            return [Need("s3:PutObject", f"{bucket}/*", "S3"), Need("s3:ListBucket", bucket, "S3")]
    kinds = "an SQS queue or an SNS topic" if dead_letter else \
        "an SQS queue, an SNS topic, a Lambda function, an EventBridge event bus" + (" or an S3 bucket" if on_failure else "")
    return AwsError.of(INVALID_PARAMETER, f"The target ARN must be {kinds}: {target_arn}")  # wording [unverified]


def source_needs(source_arn: str, *, enhanced_fan_out: bool = False) -> list[Need] | AwsError:
    """The read permissions the role needs for an event source mapping (§3.7)."""
    service = _service(source_arn)
    if service == "sqs":
        return [Need(f"sqs:{a}", source_arn, "SQS") for a in ("ReceiveMessage", "DeleteMessage", "GetQueueAttributes")]
    if service == "kinesis":
        stream = source_arn.split("/consumer/", 1)[0]
        needs = [Need(f"kinesis:{a}", stream, "Kinesis")
                 for a in ("GetRecords", "GetShardIterator", "DescribeStream", "DescribeStreamSummary", "ListShards")]
        needs.append(Need("kinesis:ListStreams", "*", "Kinesis"))
        if enhanced_fan_out or "/consumer/" in source_arn:
            needs.append(Need("kinesis:SubscribeToShard", source_arn, "Kinesis"))
        return needs
    if service == "dynamodb" and "/stream/" in source_arn:
        needs = [Need(f"dynamodb:{a}", source_arn, "DynamoDB") for a in ("GetRecords", "GetShardIterator", "DescribeStream")]
        needs.append(Need("dynamodb:ListStreams", "*", "DynamoDB"))
        return needs
    return AwsError.of(INVALID_PARAMETER, f"Unsupported event source: {source_arn}")  # wording [unverified]


def role_checks(env: Environment, function_arn: str, role_arn: str, needs: list[Need],
                name: str) -> tuple[list[Check], AwsError | None]:
    checks, error = [], None
    for need in needs:
        check = role_check(env, name, function_arn, role_arn, need.action, need.resource)
        checks.append(check)
        if not check.allowed and error is None:
            error = role_lacks(need)
    return checks, error


def check_event_source_mapping(env: Environment, caller: str, function_arn: str, source_arn: str, *,
                               enhanced_fan_out: bool = False, on_failure: str | None = None) -> CheckResult:
    """CreateEventSourceMapping: the caller's `lambda:CreateEventSourceMapping` (resource `*`, key
    `lambda:FunctionArn`), then the role's read permissions on the source and, for streams, its
    permission to deliver to the on-failure destination."""
    fn = resolve(env, function_arn)
    if isinstance(fn, AwsError):
        return denied(fn)
    caller_check = decide(env, "create_event_source_mapping", "lambda:CreateEventSourceMapping", caller, "*",
                          {"lambda:FunctionArn": fn.arn})
    checks = [caller_check]
    if not caller_check.allowed:
        return result(checks, access_denied(caller_check))
    if not fn.exists or fn.record is None:
        return result(checks, not_found(fn))
    needs = source_needs(source_arn, enhanced_fan_out=enhanced_fan_out)
    if isinstance(needs, AwsError):
        return result(checks, needs)
    role_side, error = role_checks(env, fn.arn, fn.record.role, needs, "event_source_read")
    checks += role_side
    if error is None and on_failure is not None:
        if _service(source_arn) == "sqs":
            return result(checks, AwsError.of(INVALID_PARAMETER, "Unsupported DestinationConfig parameter for "
                                                                 "given event source mapping type."))  # [unverified]
        dest = delivery_needs(on_failure)
        if isinstance(dest, AwsError):
            return result(checks, dest)
        more, error = role_checks(env, fn.arn, fn.record.role, dest, "on_failure_destination")
        checks += more
    return result(checks, error)


def check_destination(env: Environment, function_arn: str, target_arn: str, *, on: str = "failure",
                      caller: str | None = None) -> CheckResult:
    """An async destination (`on` = "success" or "failure"): with `caller`, its
    `lambda:PutFunctionEventInvokeConfig` on the function first; then the role's delivery permission."""
    if on not in ("success", "failure"):
        raise ValueError("on must be 'success' or 'failure'")
    fn = resolve(env, function_arn)
    if isinstance(fn, AwsError):
        return denied(fn)
    checks: list[Check] = []
    if caller is not None:
        check = decide(env, "put_function_event_invoke_config", "lambda:PutFunctionEventInvokeConfig", caller, fn.arn)
        checks.append(check)
        if not check.allowed:
            return result(checks, access_denied(check))
    if not fn.exists or fn.record is None:
        return result(checks, not_found(fn))
    needs = delivery_needs(target_arn, on_failure=on == "failure")
    if isinstance(needs, AwsError):
        return result(checks, needs)
    more, error = role_checks(env, fn.base_arn, fn.record.role, needs, f"on_{on}_destination")
    return result(checks + more, error)


def check_dead_letter(env: Environment, function_arn: str, role_arn: str, target_arn: str) -> CheckResult:
    """A DLQ (`DeadLetterConfig.TargetArn`): standard SQS queue or SNS topic the role can write to."""
    needs = delivery_needs(target_arn, dead_letter=True)
    if isinstance(needs, AwsError):
        return denied(needs)
    checks, error = role_checks(env, function_arn, role_arn, needs, "dead_letter_target")
    return result(checks, error)


def check_function_targets(env: Environment, function_arn: str) -> CheckResult:
    """Every delivery target configured on a function record (DLQ and destinations), as the role."""
    fn = resolve(env, function_arn)
    if isinstance(fn, AwsError):
        return denied(fn)
    if fn.record is None:
        return denied(not_found(fn))
    checks: list[Check] = []
    error: AwsError | None = None
    targets = [("dead_letter", fn.record.dead_letter_target)] if fn.record.dead_letter_target else []
    targets += sorted(fn.record.destinations.items())
    for kind, target in targets:
        sub = check_dead_letter(env, fn.base_arn, fn.record.role, target) if kind == "dead_letter" else \
            check_destination(env, fn.base_arn, target, on=kind.removeprefix("on_"))
        checks += sub.checks
        error = error or sub.error
    return result(checks, error)


__all__ = ["Need", "check_dead_letter", "check_destination", "check_event_source_mapping",
           "check_function_targets", "delivery_needs", "role_lacks", "source_needs"]
