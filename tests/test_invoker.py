"""The invoker: worker-process environments, async retries and destinations, concurrency, event
sources and the function's client. Handlers are tiny modules written to tmp_path."""

from __future__ import annotations

import base64
import json
import os
import random
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from policyengine.environment import Environment
from policyengine.invoker import (AccessDeniedException, AsyncEvent, AsyncQueue, AttemptOutcome,
                                  EventInvokeConfig, InMemoryQueue, InvalidParameterValueException, Invoker,
                                  QueueError, ResourceNotFoundException, TooManyRequestsException)
from policyengine.invoker.authorizer import CheckError, EnvironmentAuthorizer, SimpleCheck

ACCOUNT = "111122223333"
FN = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:f"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/fn-exec"
CALLER = f"arn:aws:iam::{ACCOUNT}:user/alice"
QUEUE = f"arn:aws:sqs:us-east-1:{ACCOUNT}:q"
OK_DEST = f"arn:aws:sqs:us-east-1:{ACCOUNT}:ok"
FAIL_DEST = f"arn:aws:sqs:us-east-1:{ACCOUNT}:failed"
DLQ = f"arn:aws:sqs:us-east-1:{ACCOUNT}:dlq"
STREAM = f"arn:aws:kinesis:us-east-1:{ACCOUNT}:stream/s"

HANDLER = """
import os, time
INITS = globals().get("INITS", 0) + 1
COUNT = 0

def handler(event, context):
    global COUNT
    COUNT += 1
    event = event or {}
    if event.get("sleep"):
        time.sleep(event["sleep"])
    if event.get("fail"):
        raise ValueError("bad input: " + str(event.get("id")))
    if event.get("alloc_mb"):
        block = bytearray(event["alloc_mb"] * 1024 * 1024)
        return {"allocated": len(block)}
    if event.get("put"):
        return context.client.s3.put_object(Bucket="b", Key="k", Body="x")
    return {"count": COUNT, "inits": INITS, "pid": os.getpid(), "id": event.get("id"),
            "request_id": context.aws_request_id, "function_name": context.function_name,
            "function_arn": context.function_arn, "invoked_function_arn": context.invoked_function_arn,
            "version": context.function_version, "memory": context.memory_limit_in_mb,
            "remaining": context.get_remaining_time_in_millis()}
"""


class FakeAuthorizer:
    """Allows everything except the listed callers / role actions; records what it was asked."""

    def __init__(self, deny_callers: tuple[str, ...] = (), deny_actions: tuple[str, ...] = ()) -> None:
        self.deny_callers = deny_callers
        self.deny_actions = deny_actions
        self.invoke_checks: list[tuple[str, str, str]] = []

    def check_invoke(self, caller: str, function_arn: str, invocation_type: str) -> SimpleCheck:
        self.invoke_checks.append((caller, function_arn, invocation_type))
        if caller in self.deny_callers:
            return SimpleCheck(False, CheckError("AccessDeniedException", f"User: {caller} is not authorized to "
                                                 f"perform: lambda:InvokeFunction on resource: {function_arn}"))
        return SimpleCheck(True)

    def function_can(self, function_arn: str, action: str, resource: str, context: Any = None) -> SimpleCheck:
        if action in self.deny_actions:
            who = f"arn:aws:sts::{ACCOUNT}:assumed-role/fn-exec/{function_arn.rsplit(':', 1)[-1]}"
            return SimpleCheck(False, CheckError("AccessDeniedException", f"User: {who} is not authorized to "
                                                 f"perform: {action} on resource: {resource}"))
        return SimpleCheck(True)


def write_code(tmp_path: Path, name: str = "app", source: str = HANDLER) -> None:
    (tmp_path / "code").mkdir(exist_ok=True)
    (tmp_path / "code" / f"{name}.py").write_text(textwrap.dedent(source))


def environment(tmp_path: Path, **fn: Any) -> Environment:
    record = {"arn": FN, "role": ROLE, "handler": "app:handler", "code_path": "code", "timeout": 2.0, **fn}
    return Environment.from_dict({"functions": [record]}, base_dir=tmp_path)


@pytest.fixture
def make(tmp_path: Path):
    made: list[Invoker] = []

    def build(authorizer: Any = None, source: str = HANDLER, invoker_options: dict[str, Any] | None = None,
              **fn: Any) -> Invoker:
        write_code(tmp_path, source=source)
        inv = Invoker(environment(tmp_path, **fn), authorizer or FakeAuthorizer(), **(invoker_options or {}))
        made.append(inv)
        return inv

    yield build
    for inv in made:
        inv.close()


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie still answers kill(0); read its state
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


# -- execution environments ----------------------------------------------------------------------------


def test_cold_then_warm_start_runs_init_once(make) -> None:
    inv = make()
    first = inv.invoke(CALLER, FN, {"id": 1})
    second = inv.invoke(CALLER, FN, {"id": 2})
    assert first.status_code == 200 and first.function_error is None
    assert first.cold_start and first.init_duration_ms is not None and "Init Duration" in first.log
    assert not second.cold_start and second.init_duration_ms is None
    assert second.payload["pid"] == first.payload["pid"]
    assert (first.payload["count"], second.payload["count"]) == (1, 2)
    assert second.payload["inits"] == 1


def test_context_fields(make) -> None:
    inv = make(memory_size=256, versions=["1"], aliases={"live": "1"})
    result = inv.invoke(CALLER, FN + ":live", {})
    p = result.payload
    assert p["request_id"] == result.request_id
    assert p["function_name"] == "f"
    assert p["function_arn"] == p["invoked_function_arn"] == FN + ":live"
    assert p["version"] == "1" and result.executed_version == "1"
    assert p["memory"] == 256
    assert 0 < p["remaining"] <= 2000


def test_function_error_type_message_and_stack(make, tmp_path: Path) -> None:
    inv = make()
    result = inv.invoke(CALLER, FN, {"fail": True, "id": 7}, log_type="Tail")
    assert result.status_code == 200 and result.function_error == "Unhandled"
    assert result.payload["errorType"] == "ValueError"
    assert result.payload["errorMessage"] == "bad input: 7"
    assert any("app.py" in line and "in handler" in line for line in result.payload["stackTrace"])
    assert result.log_result  # base64 tail of the log


def test_timeout_kills_the_worker(make) -> None:
    inv = make(timeout=0.3)
    warm = inv.invoke(CALLER, FN, {})
    started = time.monotonic()
    result = inv.invoke(CALLER, FN, {"sleep": 30})
    assert time.monotonic() - started < 2
    assert result.function_error == "Unhandled"
    assert result.payload["errorType"] == "Sandbox.Timedout"
    assert "Task timed out after 0.30 seconds" in result.payload["errorMessage"]
    assert not alive(warm.payload["pid"])
    again = inv.invoke(CALLER, FN, {})
    assert again.cold_start and again.payload["pid"] != warm.payload["pid"]


def test_memory_limit(make) -> None:
    inv = make(memory_size=64)
    assert inv.invoke(CALLER, FN, {"alloc_mb": 8}).payload == {"allocated": 8 * 1024 * 1024}
    result = inv.invoke(CALLER, FN, {"alloc_mb": 512})
    assert result.function_error == "Unhandled"
    assert result.payload["errorType"] == "Runtime.OutOfMemory"
    assert inv.invoke(CALLER, FN, {}).cold_start  # the environment was reset


def test_init_errors(make) -> None:
    inv = make(source="import no_such_module_here\n")
    result = inv.invoke(CALLER, FN, {})
    assert result.payload["errorType"] == "Runtime.ImportModuleError"
    assert "Unable to import module 'app'" in result.payload["errorMessage"]
    inv2 = make(source="def other(e, c):\n    return 1\n")
    assert inv2.invoke(CALLER, FN, {}).payload["errorType"] == "Runtime.HandlerNotFound"


SLOW_INIT = """
import time
time.sleep(0.3)

def handler(event, context):
    return {"remaining_ms": context.get_remaining_time_in_millis()}
"""


def test_a_timed_out_init_is_run_again_within_the_function_timeout(make) -> None:
    """AWS: Init is limited to 10 s; when it times out, Lambda re-runs it at the first invocation
    with the function's timeout, and the invocation pays for it (no separate Init Duration)."""
    inv = make(source=SLOW_INIT, timeout=2.0, invoker_options={"init_timeout": 0.1})
    result = inv.invoke(CALLER, FN, {}, log_type="Tail")
    assert result.function_error is None and result.cold_start
    assert result.init_duration_ms is None and result.duration_ms >= 300
    assert result.payload["remaining_ms"] <= 2000 - 300  # the re-run Init used part of the timeout
    log = base64.b64decode(result.log_result).decode()
    assert "Init Duration" not in log
    warm = inv.invoke(CALLER, FN, {})
    assert not warm.cold_start and warm.payload["remaining_ms"] > 1800  # later invocations: the full timeout


def test_a_re_run_init_longer_than_the_function_timeout_fails(make) -> None:
    inv = make(source=SLOW_INIT, timeout=0.2, invoker_options={"init_timeout": 0.1})
    result = inv.invoke(CALLER, FN, {})
    assert result.function_error == "Unhandled" and result.payload["errorType"] == "Runtime.InitTimeout"


def test_provisioned_init_may_take_longer_than_ten_seconds(make) -> None:
    """Provisioned environments' Init: up to 130 s or the function timeout, whichever is higher."""
    inv = make(source=SLOW_INIT, versions=["1"], invoker_options={"init_timeout": 0.1,
                                                                  "provisioned_init_timeout": 5.0})
    inv.set_provisioned_concurrency(FN + ":1", 1)
    result = inv.invoke(CALLER, FN + ":1", {})
    assert result.function_error is None and not result.cold_start


def test_dry_run_access_denied_and_unknown_qualifier(make) -> None:
    auth = FakeAuthorizer(deny_callers=("arn:aws:iam::111122223333:user/bob",))
    inv = make(auth)
    dry = inv.invoke(CALLER, FN, {}, "DryRun")
    assert dry.status_code == 204 and dry.payload is None
    assert inv.pool.worker_pids() == []  # nothing ran
    assert auth.invoke_checks[-1] == (CALLER, FN, "DryRun")
    with pytest.raises(AccessDeniedException) as denied:
        inv.invoke("arn:aws:iam::111122223333:user/bob", FN, {})
    assert denied.value.status_code == 403
    assert "is not authorized to perform: lambda:InvokeFunction" in denied.value.message
    with pytest.raises(ResourceNotFoundException):
        inv.invoke(CALLER, FN + ":nope", {})


def test_versions_and_aliases(make) -> None:
    inv = make()
    version = inv.publish_version(FN)
    inv.create_alias(FN, "prod", version)
    assert inv.invoke(CALLER, FN + ":prod", {}).executed_version == "1"
    inv.update_function_configuration(FN, memory_size=512)
    assert inv.invoke(CALLER, FN, {}).payload["memory"] == 512
    assert inv.invoke(CALLER, FN + ":1", {}).payload["memory"] == 128  # published config kept


# -- concurrency ------------------------------------------------------------------------------------------


def test_reserved_concurrency_throttles_sync(make) -> None:
    inv = make(reserved_concurrency=1)
    results: list[Any] = []

    def call() -> None:
        try:
            results.append(inv.invoke(CALLER, FN, {"sleep": 0.4}))
        except TooManyRequestsException as exc:
            results.append(exc)

    inv.invoke(CALLER, FN, {})  # warm one environment
    threads = [threading.Thread(target=call) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(5)
    throttled = [r for r in results if isinstance(r, TooManyRequestsException)]
    assert len(throttled) == 2 and len(results) == 3
    assert throttled[0].reason == "ReservedFunctionConcurrentInvocationLimitExceeded"
    assert throttled[0].status_code == 429


def test_reserved_zero_async_goes_to_failure_without_retries(make) -> None:
    inv = make(reserved_concurrency=0, destinations={"on_failure": FAIL_DEST})
    with pytest.raises(TooManyRequestsException):
        inv.invoke(CALLER, FN, {})
    assert inv.invoke(CALLER, FN, {"id": 1}, "Event").status_code == 202
    assert inv.wait_for_async(5)
    [(_, target, record)] = inv.deliveries
    assert target == FAIL_DEST and record["requestContext"]["approximateInvokeCount"] == 0


def test_provisioned_concurrency_keeps_warm_environments(make) -> None:
    inv = make(versions=["1"], aliases={"live": "1"}, reserved_concurrency=5)
    with pytest.raises(InvalidParameterValueException):
        inv.set_provisioned_concurrency(FN, 1)
    with pytest.raises(InvalidParameterValueException):
        inv.set_provisioned_concurrency(FN + ":live", 6)
    inv.set_provisioned_concurrency(FN + ":live", 2)
    assert inv.pool.stats(FN, "1")["provisioned_idle"] == 2
    result = inv.invoke(CALLER, FN + ":live", {})
    assert not result.cold_start and result.payload["inits"] == 1
    assert inv.invoke(CALLER, FN, {}).cold_start  # $LATEST has none


def test_idle_environments_are_recycled(make) -> None:
    inv = make(invoker_options={"idle_timeout": 0.2})
    first = inv.invoke(CALLER, FN, {})
    deadline = time.monotonic() + 3
    while alive(first.payload["pid"]) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(first.payload["pid"])
    assert inv.pool.recycled >= 1
    assert inv.invoke(CALLER, FN, {}).cold_start


def test_close_stops_every_worker(make) -> None:
    inv = make()
    pid = inv.invoke(CALLER, FN, {}).payload["pid"]
    inv.close()
    assert not alive(pid)


# -- async invocations ---------------------------------------------------------------------------------------


def test_async_retries_then_destinations(make) -> None:
    inv = make(destinations={"on_success": OK_DEST, "on_failure": FAIL_DEST},
               invoker_options={"backoff_scale": 0.001})
    assert inv.invoke(CALLER, FN, {"fail": True, "id": 1}, "Event").status_code == 202
    assert inv.invoke(CALLER, FN, {"id": 2}, "Event").status_code == 202
    assert inv.wait_for_async(10)
    by_target = {target: record for _, target, record in inv.deliveries}
    failed, ok = by_target[FAIL_DEST], by_target[OK_DEST]
    assert failed["requestContext"]["condition"] == "RetriesExhausted"
    assert failed["requestContext"]["approximateInvokeCount"] == 3
    assert failed["requestContext"]["functionArn"] == FN
    assert failed["requestPayload"] == {"fail": True, "id": 1}
    assert failed["responseContext"] == {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"}
    assert failed["responsePayload"]["errorType"] == "ValueError"
    assert ok["requestContext"]["condition"] == "Success" and ok["requestContext"]["approximateInvokeCount"] == 1
    assert ok["responsePayload"]["id"] == 2


def test_async_dead_letter_queue_and_denied_delivery(make) -> None:
    inv = make(dead_letter_target=DLQ, invoker_options={"backoff_scale": 0.001})
    dlq = inv.create_queue(DLQ)
    inv.put_function_event_invoke_config(FN, maximum_retry_attempts=0)
    inv.invoke(CALLER, FN, {"fail": True, "id": 9}, "Event")
    assert inv.wait_for_async(10)
    [(_, target, message)] = inv.deliveries
    assert target == DLQ
    assert message["attributes"]["ErrorMessage"] == "bad input: 9"
    assert set(message["attributes"]) == {"RequestID", "ErrorCode", "ErrorMessage"}
    assert dlq.bodies() == ['{"fail": true, "id": 9}']
    denied = make(FakeAuthorizer(deny_actions=("sqs:SendMessage",)), dead_letter_target=DLQ,
                  invoker_options={"backoff_scale": 0.001})
    denied.put_function_event_invoke_config(FN, maximum_retry_attempts=0)
    denied.invoke(CALLER, FN, {"fail": True}, "Event")
    assert denied.wait_for_async(10)
    assert denied.deliveries == [] and denied.async_queue.counts["DestinationDeliveryFailures"] == 1



def test_a_fifo_destination_is_a_delivery_failure(make) -> None:
    """AWS accepts a FIFO queue as a destination, then fails every delivery to it
    (DestinationDeliveryFailures)."""
    fifo = f"arn:aws:sqs:us-east-1:{ACCOUNT}:failed.fifo"
    inv = make(destinations={"on_failure": fifo}, invoker_options={"backoff_scale": 0.001})
    queue = inv.create_queue(fifo, content_based_deduplication=True)
    inv.put_function_event_invoke_config(FN, maximum_retry_attempts=0, on_failure=fifo)
    inv.invoke(CALLER, FN, {"fail": True}, "Event")
    assert inv.wait_for_async(10)
    assert len(queue) == 0 and inv.async_queue.counts["DestinationDeliveryFailures"] == 1


def test_async_real_workers_lose_no_event(make) -> None:
    inv = make(destinations={"on_success": OK_DEST, "on_failure": FAIL_DEST}, reserved_concurrency=2,
               invoker_options={"backoff_scale": 0.0005, "async_workers": 4})
    rng = random.Random(4)
    failing = {i for i in range(150) if rng.random() < 0.3}
    ids = [inv.invoke(CALLER, FN, {"id": i, "fail": i in failing}, "Event").request_id for i in range(150)]
    assert inv.wait_for_async(30)
    records = [r for _, _, r in inv.deliveries]
    assert sorted(r["requestContext"]["requestId"] for r in records) == sorted(ids)
    failed_ids = {r["requestPayload"]["id"] for _, t, r in inv.deliveries if t == FAIL_DEST}
    assert failed_ids == failing
    assert inv.async_queue.counts["throttles"] > 0  # reserved 2 < 4 dispatchers: throttles retried, none lost


def test_event_age_exceeded() -> None:
    delivered: list[tuple[str, dict[str, Any]]] = []
    queue = AsyncQueue(lambda e: AttemptOutcome("throttled", status_code=429),
                       lambda e, kind, target, msg: delivered.append((target, msg)) or True,
                       lambda arn: EventInvokeConfig(maximum_event_age=0.1, on_failure=FAIL_DEST),
                       backoff_scale=0.01)
    try:
        queue.put(AsyncEvent(FN, {"x": 1}))
        assert queue.wait_idle(5)
    finally:
        queue.close()
    [(target, record)] = delivered
    assert record["requestContext"]["condition"] == "EventAgeExceeded"
    assert record["requestContext"]["approximateInvokeCount"] == 0
    assert queue.counts["throttles"] >= 2


def test_ten_thousand_events_with_random_failures_none_lost() -> None:
    rng = random.Random(10_000)
    lock = threading.Lock()
    invoked: dict[str, int] = {}

    def execute(event: AsyncEvent) -> AttemptOutcome:
        with lock:
            roll = rng.random()
        if roll < 0.1:
            return AttemptOutcome("throttled", status_code=429)
        with lock:
            invoked[event.request_id] = invoked.get(event.request_id, 0) + 1
        if roll < 0.45:
            return AttemptOutcome("function_error", {"errorType": "Boom", "errorMessage": "x"}, "Unhandled")
        return AttemptOutcome("success", {"ok": True})

    delivered: dict[str, list[str]] = {}

    def deliver(event: AsyncEvent, kind: str, target: str, message: dict[str, Any]) -> bool:
        with lock:
            delivered.setdefault(event.request_id, []).append(target)
        return True

    def config(arn: str) -> EventInvokeConfig:  # half with destinations, half with a DLQ only
        if arn.endswith(":dest"):
            return EventInvokeConfig(maximum_event_age=30, on_success=OK_DEST, on_failure=FAIL_DEST)
        return EventInvokeConfig(maximum_event_age=30, on_success=OK_DEST, dead_letter_target=DLQ)

    queue = AsyncQueue(execute, deliver, config, workers=4, backoff_scale=1e-5)
    started = time.monotonic()
    try:
        events = [queue.put(AsyncEvent(FN + (":dest" if i % 2 else ":dlq"), {"i": i})) for i in range(10_000)]
        assert queue.wait_idle(60)
    finally:
        queue.close()
    assert time.monotonic() - started < 30
    assert len(delivered) == 10_000  # every event ended somewhere, exactly once
    assert all(len(targets) == 1 for targets in delivered.values())
    assert queue.outcomes is not None and len(queue.outcomes) == 10_000
    assert queue.counts["dropped"] == 0
    for event in events:
        state = queue.outcomes[event.request_id]
        target = delivered[event.request_id][0]
        assert target == {"success": OK_DEST, "on_failure": FAIL_DEST, "dead_letter": DLQ}[state]
        assert invoked[event.request_id] <= 3  # 1 try + 2 retries; throttles do not count
        if state != "success":
            assert invoked[event.request_id] == 3
    assert queue.counts["throttles"] > 0 and queue.counts["success"] > 0 and queue.counts["RetriesExhausted"] > 0


# -- event sources ----------------------------------------------------------------------------------------------

QUEUE_HANDLER = """
def handler(event, context):
    for record in event["Records"]:
        if record["body"] == "flaky" and record["attributes"]["ApproximateReceiveCount"] == "1":
            raise RuntimeError("first delivery fails")
        if record["body"] == "poison":
            raise RuntimeError("always fails")
    return None
"""


def test_queue_message_returns_after_visibility_timeout(make) -> None:
    inv = make(source=QUEUE_HANDLER)
    queue = inv.create_queue(QUEUE, visibility_timeout=0.15)
    mapping = inv.create_event_source_mapping(FN, QUEUE, batch_size=1)
    queue.send_message("flaky")
    assert mapping.poll_once() == 1 and len(queue) == 1  # failed: still there, invisible
    assert mapping.poll_once() == 0  # not visible yet
    assert mapping.drain(5)
    assert mapping.stats["failed"] == 1 and mapping.stats["succeeded"] == 1 and queue.deleted == 1


def test_queue_message_retried_until_it_expires(make) -> None:
    inv = make(source=QUEUE_HANDLER)
    queue = inv.create_queue(QUEUE, visibility_timeout=0.05, retention=0.4)
    mapping = inv.create_event_source_mapping(FN, QUEUE)
    queue.send_message("poison")
    assert mapping.drain(5)
    assert mapping.stats["failed"] >= 3 and mapping.stats["succeeded"] == 0
    assert [m.body for m in queue.expired] == ["poison"]


def test_event_source_mapping_needs_role_permissions(make) -> None:
    inv = make(FakeAuthorizer(deny_actions=("sqs:ReceiveMessage",)), source=QUEUE_HANDLER)
    inv.create_queue(QUEUE)
    with pytest.raises(InvalidParameterValueException, match="does not have permissions to call ReceiveMessage on SQS"):
        inv.create_event_source_mapping(FN, QUEUE)


FIFO = f"arn:aws:sqs:us-east-1:{ACCOUNT}:orders.fifo"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize("arn,options,send,code", [
    (FIFO, {}, {}, "MissingParameter"),  # a FIFO message needs a group
    (FIFO, {}, {"message_group_id": "g"}, "InvalidParameterValue"),  # and a deduplication ID
    (QUEUE, {}, {"message_group_id": "g"}, "InvalidParameterValue"),  # a standard queue has no groups
])
def test_fifo_send_parameters(arn: str, options: dict[str, Any], send: dict[str, Any], code: str) -> None:
    with pytest.raises(QueueError) as info:
        InMemoryQueue(arn, **options).send_message("m", **send)
    assert info.value.code == code


def test_fifo_queue_options_are_checked() -> None:
    with pytest.raises(QueueError, match="only for FIFO queues"):
        InMemoryQueue(QUEUE, content_based_deduplication=True)
    with pytest.raises(QueueError, match="dead-letter queue of a FIFO queue"):
        InMemoryQueue(FIFO, dead_letter_queue=InMemoryQueue(QUEUE))


def test_fifo_deduplicates_for_five_minutes() -> None:
    clock = Clock()
    queue = InMemoryQueue(FIFO, content_based_deduplication=True, clock=clock)
    first = queue.send_message("same", message_group_id="g")
    assert queue.send_message("same", message_group_id="g") == first and len(queue) == 1
    assert queue.send_message("other", message_group_id="g", deduplication_id="d1") != first
    clock.now = 299.0
    assert queue.send_message("same", message_group_id="h") == first and len(queue) == 2
    clock.now = 300.0  # the interval has passed: a new message
    assert queue.send_message("same", message_group_id="g") != first and len(queue) == 3


def test_fifo_in_flight_message_blocks_its_group_only() -> None:
    """FIFO delivery: in order; while a group's message is in flight, no later one of that group
    is received, other groups go on; after the visibility timeout the same message comes first."""
    clock = Clock()
    queue = InMemoryQueue(FIFO, content_based_deduplication=True, visibility_timeout=30, clock=clock)
    for body, group in [("a1", "a"), ("a2", "a"), ("b1", "b"), ("a3", "a"), ("b2", "b")]:
        queue.send_message(body, message_group_id=group)
    (first,) = queue.receive(1)
    assert first.body == "a1" and first.group_id == "a" and first.sequence_number
    assert [m.body for m in queue.receive(10)] == ["b1", "b2"]  # group a waits behind a1
    assert queue.receive(10) == []
    clock.now = 30.0  # a1 was not deleted: it returns, still first, and a batch keeps group order
    assert [m.body for m in queue.receive(10)] == ["a1", "a2", "b1", "a3", "b2"]  # sent order


FIFO_HANDLER = """
import json

def handler(event, context):
    for record in event["Records"]:
        if record["body"] == "flaky" and record["attributes"]["ApproximateReceiveCount"] == "1":
            raise RuntimeError("first delivery fails")
        context.client.sqs.send_message(QueueUrl=%r, MessageBody=record["body"],
                                        MessageGroupId=record["attributes"]["MessageGroupId"])
""" % (f"arn:aws:sqs:us-east-1:{ACCOUNT}:out.fifo",)


def test_fifo_mapping_retries_a_failed_group_in_order(make) -> None:
    inv = make(source=FIFO_HANDLER)
    out = inv.create_queue(f"arn:aws:sqs:us-east-1:{ACCOUNT}:out.fifo", content_based_deduplication=True)
    queue = inv.create_queue(FIFO, visibility_timeout=0.1, content_based_deduplication=True)
    mapping = inv.create_event_source_mapping(FN, FIFO, batch_size=1)
    for body, group in [("flaky", "a"), ("after", "a"), ("other", "b")]:
        queue.send_message(body, message_group_id=group)
    assert mapping.drain(5)
    assert out.bodies() == ["other", "flaky", "after"]  # group a waited for its failed message
    assert mapping.stats["failed"] == 1


STREAM_HANDLER = """
import base64, json
FAILURES = 0

def handler(event, context):
    global FAILURES
    items = [json.loads(base64.b64decode(r["kinesis"]["data"])) for r in event["Records"]]
    if "poison" in items and (FAILURES < 2 or "forever" in items):
        FAILURES += 1
        raise RuntimeError("bad batch")
    for item in items:
        context.client.sqs.send_message(QueueUrl=%r, MessageBody=json.dumps(item))
""" % OK_DEST


def test_stream_shard_blocks_on_failing_batch_and_keeps_order(make) -> None:
    inv = make(source=STREAM_HANDLER)
    out = inv.create_queue(OK_DEST)
    stream = inv.create_stream(STREAM)
    mapping = inv.create_event_source_mapping(FN, STREAM, batch_size=3)
    items = ["a", "b", "c", "d", "poison", "e", "f", "g"]
    for item in items:
        stream.put_record(item, "key")
    mapping.poll_once()  # a b c
    mapping.poll_once()  # d poison e: fails
    assert [b.strip('"') for b in out.bodies()] == ["a", "b", "c"]
    mapping.poll_once()  # the same batch again: fails, nothing after it ran
    assert len(out) == 3 and mapping.positions == [3]
    assert mapping.drain(5)
    assert [b.strip('"') for b in out.bodies()] == items
    assert mapping.stats["failed"] == 2


def test_stream_batch_discarded_after_max_retries(make) -> None:
    inv = make(source=STREAM_HANDLER)
    out = inv.create_queue(OK_DEST)
    failures = inv.create_queue(FAIL_DEST)
    stream = inv.create_stream(STREAM)
    mapping = inv.create_event_source_mapping(FN, STREAM, batch_size=2, maximum_retry_attempts=1,
                                              on_failure=FAIL_DEST)
    for item in ["a", "b", "poison", "forever", "c"]:
        stream.put_record(item, "key")
    assert mapping.drain(5)
    assert [b.strip('"') for b in out.bodies()] == ["a", "b", "c"]
    assert mapping.stats["failed"] == 2  # the first try and one retry
    assert mapping.stats["discarded_records"] == 2
    info = mapping.discarded[0]
    assert info["KinesisBatchInfo"]["batchSize"] == 2
    assert info["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert len(failures) == 1  # the discarded batch's metadata, not its records


BISECT_HANDLER = """
import base64, json

def handler(event, context):
    items = [json.loads(base64.b64decode(r["kinesis"]["data"])) for r in event["Records"]]
    context.client.sqs.send_message(QueueUrl=%r, MessageBody=json.dumps(items))
    if "poison" in items:
        raise RuntimeError("bad record")
""" % OK_DEST


def batches_sent(queue) -> list[list[str]]:
    return [json.loads(body) for body in queue.bodies()]


def test_stream_bisect_isolates_the_failing_record_without_using_retries(make) -> None:
    """BisectBatchOnFunctionError: a failed batch is split in two, first half first, down to the
    failing record; the splits do not count towards MaximumRetryAttempts (AWS Lambda guide,
    Kinesis on-failure destinations), so only the lone record uses the retries, then is discarded."""
    inv = make(source=BISECT_HANDLER)
    sent = inv.create_queue(OK_DEST)
    inv.create_queue(FAIL_DEST)
    stream = inv.create_stream(STREAM)
    mapping = inv.create_event_source_mapping(FN, STREAM, batch_size=4, maximum_retry_attempts=1,
                                              on_failure=FAIL_DEST, bisect_batch_on_function_error=True)
    for item in ["a", "b", "poison", "c", "d"]:
        stream.put_record(item, "key")
    assert mapping.drain(5)
    assert batches_sent(sent) == [["a", "b", "poison", "c"], ["a", "b"], ["poison", "c"], ["poison"],
                                  ["poison"], ["c"], ["d"]]
    assert mapping.stats["bisected"] == 2 and mapping.stats["discarded_records"] == 1
    info = mapping.discarded[0]
    assert info["KinesisBatchInfo"]["batchSize"] == 1
    assert info["requestContext"] == {**info["requestContext"], "condition": "RetryAttemptsExhausted",
                                      "approximateInvokeCount": 2}  # the first try and one retry


PARTIAL_HANDLER = """
import base64, json

def handler(event, context):
    records = [(r["kinesis"]["sequenceNumber"], json.loads(base64.b64decode(r["kinesis"]["data"])))
               for r in event["Records"]]
    context.client.sqs.send_message(QueueUrl=%r, MessageBody=json.dumps([item for _, item in records]))
    answer = {"batchItemFailures": [{"itemIdentifier": seq} for seq, item in records if item.startswith("bad")]}
    for seq, item in records:
        if item == "null-id":
            answer = {"batchItemFailures": [{"itemIdentifier": None}]}
        if item == "unknown-id":
            answer = {"batchItemFailures": [{"itemIdentifier": "49000000000000000000000000000000000000000000000000000000"}]}
        if item == "wrong-key":
            answer = {"batchItemFailures": [{"id": seq}]}
        if item == "empty-list":
            answer = {"batchItemFailures": []}
    return answer
""" % OK_DEST


@pytest.mark.parametrize("bisect,expected", [
    # checkpoint before the lowest failed sequence number, then retry from there, new records too;
    # the retry fails at its first record: the batch from the checkpoint is discarded
    (False, [["a", "bad1", "b"], ["bad1", "b", "bad2"], ["c"]]),
    # with bisect: retry only the remaining records of the batch
    (True, [["a", "bad1", "b"], ["bad1", "b"], ["bad2", "c"], ["bad2", "c"]]),
])
def test_stream_partial_batch_response_checkpoints_at_the_first_failure(make, bisect: bool,
                                                                       expected: list[list[str]]) -> None:
    inv = make(source=PARTIAL_HANDLER)
    sent = inv.create_queue(OK_DEST)
    stream = inv.create_stream(STREAM)
    mapping = inv.create_event_source_mapping(FN, STREAM, batch_size=3, maximum_retry_attempts=1,
                                              report_batch_item_failures=True,
                                              bisect_batch_on_function_error=bisect)
    for item in ["a", "bad1", "b", "bad2", "c"]:
        stream.put_record(item, "key")
    assert mapping.drain(5)
    assert batches_sent(sent) == expected
    assert mapping.stats["partial"] == 1 and mapping.stats["bisected"] == 0  # no function error to bisect


@pytest.mark.parametrize("item,whole_batch_fails", [
    ("empty-list", False),  # an empty list is a full success
    ("null-id", True),      # a null identifier, a wrong key or an unknown sequence number fail it all
    ("wrong-key", True),
    ("unknown-id", True),
])
def test_stream_partial_batch_response_validity(make, item: str, whole_batch_fails: bool) -> None:
    inv = make(source=PARTIAL_HANDLER)
    inv.create_queue(OK_DEST)
    stream = inv.create_stream(STREAM)
    mapping = inv.create_event_source_mapping(FN, STREAM, batch_size=2, report_batch_item_failures=True)
    stream.put_record("a", "key")
    stream.put_record(item, "key")
    mapping.poll_once()
    assert mapping.positions == ([0] if whole_batch_fails else [2])
    assert mapping.stats["failed"] == int(whole_batch_fails) and mapping.stats["partial"] == 0


# -- the function's client ----------------------------------------------------------------------------------------


def test_client_denied_call_raises_access_denied_in_the_function(make) -> None:
    inv = make(FakeAuthorizer(deny_actions=("s3:PutObject",)))
    result = inv.invoke(CALLER, FN, {"put": True})
    assert result.function_error == "Unhandled"
    assert result.payload["errorType"] == "AccessDeniedException"
    assert result.payload["errorMessage"] == (
        "User: arn:aws:sts::111122223333:assumed-role/fn-exec/f is not authorized to perform: "
        "s3:PutObject on resource: arn:aws:s3:::b/k")
    allowed = make(FakeAuthorizer())
    assert allowed.invoke(CALLER, FN, {"put": True}).payload == {}
    assert allowed.external_calls[-1][1:3] == ("s3:PutObject", "arn:aws:s3:::b/k")


REAL_HANDLER = """
def handler(event, context):
    try:
        context.client.sqs.send_message(QueueUrl=event["queue"], MessageBody="hi")
        return "sent"
    except Exception as exc:
        return type(exc).__name__ + ": " + str(exc)
"""


@pytest.mark.parametrize("use_lambda_rules", [True, False], ids=["lambda_rules", "env.authorize"])
def test_real_environment_authorizes_invoke_and_client_calls(tmp_path: Path, use_lambda_rules: bool) -> None:
    write_code(tmp_path, source=REAL_HANDLER)
    allow = lambda action, resource: {"Version": "2012-10-17",  # noqa: E731
                                      "Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}]}
    env = Environment.from_dict({
        "users": [{"arn": CALLER, "policies": [allow("lambda:InvokeFunction", FN)]},
                  {"arn": f"arn:aws:iam::{ACCOUNT}:user/bob", "policies": []}],
        "roles": [{"arn": ROLE, "policies": [allow("sqs:SendMessage", OK_DEST)]}],
        "functions": [{"arn": FN, "role": ROLE, "handler": "app:handler", "code_path": "code"}],
    }, base_dir=tmp_path)
    with Invoker(env, EnvironmentAuthorizer(env, use_lambda_rules=use_lambda_rules)) as inv:
        with pytest.raises(AccessDeniedException, match="lambda:CreateFunction"):
            inv.register(FN, CALLER)
        ok_queue = inv.create_queue(OK_DEST)
        inv.create_queue(FAIL_DEST)
        assert inv.invoke(CALLER, FN, {"queue": OK_DEST}).payload == "sent"
        assert ok_queue.bodies() == ["hi"]
        denied = inv.invoke(CALLER, FN, {"queue": FAIL_DEST}).payload
        assert denied.startswith("AccessDeniedException: User: arn:aws:sts::111122223333:assumed-role/fn-exec/f "
                                 f"is not authorized to perform: sqs:SendMessage on resource: {FAIL_DEST}")
        with pytest.raises(AccessDeniedException, match="user/bob is not authorized to perform: lambda:InvokeFunction"):
            inv.invoke(f"arn:aws:iam::{ACCOUNT}:user/bob", FN, {"queue": OK_DEST})
