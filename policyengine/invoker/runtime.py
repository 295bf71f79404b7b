"""`Invoker`: register functions, publish versions and aliases, and invoke them with every step checked.

    inv = Invoker(env)                       # authorizer defaults to EnvironmentAuthorizer(env)
    inv.register(fn_arn, caller)             # the CreateFunction checks, when the authorizer has them
    inv.invoke(caller, fn_arn, {"x": 1})     # -> InvokeResult(status_code=200, payload=..., cold_start=True)

Invocation (lambda-permissions.md §4 E): ask `authorizer.check_invoke` (denied -> the check's
error, e.g. `AccessDeniedException` with AWS's message, raised), then resolve the function and
qualifier (unknown -> `ResourceNotFoundException`), then by type: `DryRun` -> 204, nothing run;
`Event` -> queued, 202; `RequestResponse` -> a concurrency slot (beyond reserved concurrency ->
`TooManyRequestsException`), an execution environment (cold or warm), the handler, and 200 with
the payload, or with `function_error="Unhandled"` and the error object as payload.

Versions share the function's code (the handler module at `code_path`); publishing snapshots the
configuration (memory, timeout, handler). `update_function_configuration` changes `$LATEST` and
retires its environments, as AWS does.
"""

from __future__ import annotations

import base64
import json
import math
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..environment import Environment, FunctionRecord, function_base_arn
from .async_queue import (FUNCTION_ERROR, SUCCESS, THROTTLED, ZERO_CONCURRENCY, AsyncEvent, AsyncQueue,
                          AttemptOutcome, EventInvokeConfig)
from .authorizer import default_authorizer
from .client import ClientBackend
from .environment_pool import EnvironmentPool, FunctionSpec, InitFailure, RunOutcome
from .errors import (InvalidParameterValueException, InvalidRequestContentException, RequestTooLargeException,
                     ResourceConflictException, ResourceNotFoundException, TooManyRequestsException, check_error,
                     service_error)
from .sources import InMemoryQueue, InMemoryStream, QueueMapping, StreamMapping

INVOCATION_TYPES = ("RequestResponse", "Event", "DryRun")
SYNC_PAYLOAD_LIMIT = 6 * 1024 * 1024
ASYNC_PAYLOAD_LIMIT = 256 * 1024


@dataclass
class InvokeResult:
    status_code: int
    payload: Any = None
    function_error: str | None = None  # "Unhandled" (the X-Amz-Function-Error header)
    executed_version: str | None = None
    request_id: str = ""
    cold_start: bool = False
    init_duration_ms: float | None = None
    duration_ms: float = 0.0
    log: str = ""
    log_result: str | None = None  # base64 of the last 4 KB of the log, with log_type="Tail"

    def to_dict(self) -> dict[str, Any]:
        return {"StatusCode": self.status_code, "Payload": self.payload, "FunctionError": self.function_error,
                "ExecutedVersion": self.executed_version, "RequestId": self.request_id,
                "ColdStart": self.cold_start, "InitDurationMs": self.init_duration_ms, "LogResult": self.log_result}


@dataclass
class _Function:
    latest: FunctionRecord
    versions: dict[str, FunctionRecord] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    event_configs: dict[str | None, EventInvokeConfig] = field(default_factory=dict)

    def record(self, version: str) -> FunctionRecord:
        return self.latest if version == "$LATEST" else self.versions[version]


def _target_action(target: str) -> str:
    service = target.split(":")[2] if target.count(":") >= 5 else ""
    return {"sqs": "sqs:SendMessage", "sns": "sns:Publish", "lambda": "lambda:InvokeFunction",
            "events": "events:PutEvents", "s3": "s3:PutObject"}.get(service, "sqs:SendMessage")


class Invoker:
    def __init__(self, env: Environment | None = None, authorizer: Any = None, *, idle_timeout: float = 300.0,
                 init_timeout: float = 10.0, provisioned_init_timeout: float = 130.0,
                 start_method: str | None = None, account_concurrency: int = 1000,
                 memory_limit: bool = True, backoff_scale: float = 1.0, async_workers: int = 2,
                 retry_delays: tuple[float, ...] = (60.0, 120.0), async_payload_limit: int = ASYNC_PAYLOAD_LIMIT) -> None:
        self.env = env
        self.authorizer = authorizer if authorizer is not None else default_authorizer(env)
        self.pool = EnvironmentPool(start_method=start_method, idle_timeout=idle_timeout, init_timeout=init_timeout,
                                    provisioned_init_timeout=provisioned_init_timeout,
                                    account_concurrency=account_concurrency, memory_limit=memory_limit)
        self.async_payload_limit = async_payload_limit
        self._functions: dict[str, _Function] = {}
        self._specs: dict[tuple[str, str], tuple[FunctionRecord, FunctionSpec]] = {}  # see _spec
        self._lock = threading.RLock()
        self.queues: dict[str, InMemoryQueue] = {}
        self.streams: dict[str, InMemoryStream] = {}
        self.mappings: list[QueueMapping | StreamMapping] = []
        self.deliveries: list[tuple[str, str, Any]] = []  # (source function, target, message)
        self.external_calls: list[tuple[str, str, str, dict[str, Any]]] = []
        self.async_queue = AsyncQueue(self._execute_async, self._deliver_async, self.event_invoke_config,
                                      workers=async_workers, backoff_scale=backoff_scale, retry_delays=retry_delays)
        self._stop = threading.Event()
        self._reaper = threading.Thread(target=self._reap_loop, name="lambda-env-reaper", daemon=True)
        self._reaper.start()

    # -- lifecycle ------------------------------------------------------------------------------------

    def close(self) -> None:
        self._stop.set()
        self.async_queue.close()
        self.pool.close()
        self._reaper.join(1.0)

    def __enter__(self) -> Invoker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _reap_loop(self) -> None:
        interval = min(max(self.pool.idle_timeout / 2, 0.05), 5.0)
        while not self._stop.wait(interval):
            self.pool.reap_idle()

    # -- functions, versions, aliases ---------------------------------------------------------------------

    def add_function(self, record: FunctionRecord) -> None:
        """Make a function known without an environment file (no checks)."""
        with self._lock:
            self._functions[record.arn] = _Function(record, {v: record for v in record.versions},
                                                    dict(record.aliases))

    def register(self, function_arn: str, caller: str | None = None, **create_params: Any) -> FunctionRecord:
        """Register a function of the environment, running the CreateFunction checks for `caller`."""
        base, _ = function_base_arn(function_arn)
        record = self.env.function(base) if self.env is not None else None
        if record is None:
            raise ResourceNotFoundException(f"Function not found: {base}")
        check_create = getattr(self.authorizer, "check_create_function", None)
        if caller is not None and check_create is not None:
            result = check_create(caller, base, record.role, **create_params)
            if not result.allowed:
                raise service_error(result.error.code, result.error.message)
        self.add_function(record)
        if record.provisioned_concurrency and record.versions:
            latest_version = max(record.versions, key=lambda v: int(v) if v.isdigit() else -1)
            self.set_provisioned_concurrency(f"{base}:{latest_version}", record.provisioned_concurrency)
        return record

    def _function(self, base: str) -> _Function:
        with self._lock:
            fn = self._functions.get(base)
        if fn is None and self.env is not None and (record := self.env.function(base)) is not None:
            self.add_function(record)
            fn = self._functions[base]
        if fn is None:
            raise ResourceNotFoundException(f"Function not found: {base}")
        return fn

    def function_record(self, function_arn: str) -> FunctionRecord:
        base, qualifier = function_base_arn(function_arn)
        fn = self._function(base)
        return fn.record(self._version_of(fn, base, qualifier))

    def publish_version(self, function_arn: str) -> str:
        base, _ = function_base_arn(function_arn)
        fn = self._function(base)
        with self._lock:
            numbers = [int(v) for v in fn.versions if v.isdigit()]
            version = str(max(numbers, default=0) + 1)
            fn.versions[version] = fn.latest
        return version

    def create_alias(self, function_arn: str, name: str, version: str) -> None:
        base, _ = function_base_arn(function_arn)
        fn = self._function(base)
        with self._lock:
            if name in fn.aliases:
                raise ResourceConflictException(f"Alias already exists: {base}:{name}")
            if version != "$LATEST" and version not in fn.versions:
                raise ResourceNotFoundException(f"Function not found: {base}:{version}")
            fn.aliases[name] = version

    def update_function_configuration(self, function_arn: str, **changes: Any) -> FunctionRecord:
        base, _ = function_base_arn(function_arn)
        fn = self._function(base)
        with self._lock:
            fn.latest = fn.latest.model_copy(update=changes)
        self.pool.retire_version((base, "$LATEST"))
        return fn.latest

    def _version_of(self, fn: _Function, base: str, qualifier: str | None) -> str:
        if qualifier is None or qualifier == "$LATEST":
            return "$LATEST"
        if qualifier in fn.versions:
            return qualifier
        if qualifier in fn.aliases:
            return fn.aliases[qualifier]
        raise ResourceNotFoundException(f"Function not found: {base}:{qualifier}")

    def _spec(self, fn: _Function, base: str, version: str) -> FunctionSpec:
        """What the pool runs for this version, built once per record (resolving the code path
        reads the disk: not on every warm invoke)."""
        record = fn.record(version)
        cached = self._specs.get((base, version))
        if cached is not None and cached[0] is record:
            return cached[1]
        if not record.handler:
            raise InvalidParameterValueException(f"The function {base} has no handler to run")
        code_path = record.code_path
        if code_path is not None and self.env is not None and self.env.base_dir is not None:
            code_path = str((Path(self.env.base_dir) / code_path).resolve())
        spec = FunctionSpec(base, version, record.handler, code_path, record.memory_size, record.timeout)
        self._specs[(base, version)] = (record, spec)
        return spec

    # -- configuration ----------------------------------------------------------------------------------

    def put_function_event_invoke_config(self, function_arn: str, *, maximum_retry_attempts: int = 2,
                                         maximum_event_age: float = 21600.0, on_success: str | None = None,
                                         on_failure: str | None = None) -> EventInvokeConfig:
        if not 0 <= maximum_retry_attempts <= 2:
            raise InvalidParameterValueException("MaximumRetryAttempts must be between 0 and 2")
        if maximum_event_age <= 0:
            raise InvalidParameterValueException("MaximumEventAgeInSeconds must be positive")
        base, qualifier = function_base_arn(function_arn)
        fn = self._function(base)
        config = EventInvokeConfig(maximum_retry_attempts, maximum_event_age, on_success, on_failure,
                                   fn.latest.dead_letter_target)
        with self._lock:
            fn.event_configs[qualifier] = config
        return config

    def event_invoke_config(self, function_arn: str) -> EventInvokeConfig:
        base, qualifier = function_base_arn(function_arn)
        fn = self._function(base)
        config = fn.event_configs.get(qualifier) or fn.event_configs.get(None)
        if config is not None:
            return config
        record = fn.latest
        return EventInvokeConfig(on_success=record.destinations.get("on_success"),
                                 on_failure=record.destinations.get("on_failure"),
                                 dead_letter_target=record.dead_letter_target)

    def set_provisioned_concurrency(self, function_arn: str, count: int) -> None:
        base, qualifier = function_base_arn(function_arn)
        if qualifier is None or qualifier == "$LATEST":
            raise InvalidParameterValueException("Provisioned concurrency needs a version or an alias, not $LATEST")
        fn = self._function(base)
        reserved = fn.latest.reserved_concurrency
        if reserved is not None and count > reserved:
            raise InvalidParameterValueException(
                f"Requested provisioned concurrency {count} exceeds the function's reserved concurrency {reserved}")
        version = self._version_of(fn, base, qualifier)
        self.pool.set_provisioned(self._spec(fn, base, version), count)

    # -- invoke ---------------------------------------------------------------------------------------

    def invoke(self, caller: str, function_arn: str, payload: Any = None, invocation_type: str = "RequestResponse",
               *, log_type: str | None = None) -> InvokeResult:
        if invocation_type not in INVOCATION_TYPES:
            raise InvalidParameterValueException(f"Invalid InvocationType: {invocation_type}")
        base, qualifier = function_base_arn(function_arn)
        # Authorization first, as lambda_rules.invoke orders it: an unauthorized caller learns
        # nothing about whether the function or qualifier exists.
        check = self.authorizer.check_invoke(caller, function_arn, invocation_type)
        if not check.allowed:
            raise service_error(*check_error(check.error))
        fn = self._function(base)
        version = self._version_of(fn, base, qualifier)
        event = self._parse_payload(payload, invocation_type)
        if invocation_type == "DryRun":
            return InvokeResult(204, executed_version=version)
        if invocation_type == "Event":
            queued = self.async_queue.put(AsyncEvent(function_arn, event))
            return InvokeResult(202, request_id=queued.request_id)
        return self._run(fn, base, version, function_arn, event, log_type=log_type)

    def _parse_payload(self, payload: Any, invocation_type: str) -> Any:
        if isinstance(payload, (bytes, str)):
            raw = payload.encode() if isinstance(payload, str) else payload
            try:
                event = json.loads(raw) if raw else None
            except ValueError:
                raise InvalidRequestContentException("Could not parse request body into json") from None
        else:
            event = payload
            raw = json.dumps(payload).encode()
        limit = self.async_payload_limit if invocation_type == "Event" else SYNC_PAYLOAD_LIMIT
        if len(raw) > limit:
            raise RequestTooLargeException(f"Request must be smaller than {limit} bytes for the InvokeFunction operation")
        return event

    def run_for_source(self, function_arn: str, event: Any) -> InvokeResult:
        """A synchronous invoke by an event source mapping's poller (no caller to authorize)."""
        base, qualifier = function_base_arn(function_arn)
        fn = self._function(base)
        return self._run(fn, base, self._version_of(fn, base, qualifier), function_arn, event)

    def _run(self, fn: _Function, base: str, version: str, invoked: str, event: Any, *,
             log_type: str | None = None) -> InvokeResult:
        spec = self._spec(fn, base, version)
        self.pool.acquire_slot(base, fn.latest.reserved_concurrency)  # TooManyRequestsException
        request_id = str(uuid.uuid4())
        try:
            try:
                env, cold = self.pool.checkout(spec)
            except InitFailure as failure:
                outcome = RunOutcome(False, error={**failure.error, "requestId": request_id}, log=failure.log,
                                     init_ms=failure.init_ms, cold_start=True)
                return self._result(spec, request_id, outcome, log_type)
            try:
                fields = {"aws_request_id": request_id, "function_name": base.rsplit(":", 1)[-1],
                          "function_version": version, "invoked_function_arn": invoked,
                          "memory_limit_in_mb": spec.memory_size,
                          "log_stream_name": uuid.uuid4().hex}
                outcome = env.run(request_id, event, fields, ClientBackend(self, base).handle)
                outcome.cold_start = cold
                if cold:
                    outcome.init_ms = env.init_ms
                    outcome.log = env.init_log + outcome.log
            finally:
                self.pool.checkin(env)
            return self._result(spec, request_id, outcome, log_type)
        finally:
            self.pool.release_slot(base)

    @staticmethod
    def _result(spec: FunctionSpec, request_id: str, outcome: RunOutcome, log_type: str | None) -> InvokeResult:
        report = (f"REPORT RequestId: {request_id}\tDuration: {outcome.duration_ms:.2f} ms\t"
                  f"Billed Duration: {math.ceil(outcome.duration_ms)} ms\tMemory Size: {spec.memory_size} MB\t"
                  f"Max Memory Used: {outcome.max_memory_mb} MB")
        if outcome.init_ms is not None:
            report += f"\tInit Duration: {outcome.init_ms:.2f} ms"
        if outcome.timed_out:
            report += "\tStatus: timeout"
        log = (f"START RequestId: {request_id} Version: {spec.version}\n{outcome.log}"
               f"END RequestId: {request_id}\n{report}\n")
        tail = base64.b64encode(log.encode()[-4096:]).decode() if log_type == "Tail" else None
        return InvokeResult(200, payload=outcome.payload if outcome.ok else outcome.error,
                            function_error=None if outcome.ok else "Unhandled", executed_version=spec.version,
                            request_id=request_id, cold_start=outcome.cold_start, init_duration_ms=outcome.init_ms,
                            duration_ms=outcome.duration_ms, log=log, log_result=tail)

    # -- async ------------------------------------------------------------------------------------------

    def _execute_async(self, event: AsyncEvent) -> AttemptOutcome:
        base, qualifier = function_base_arn(event.function_arn)
        fn = self._function(base)
        version = self._version_of(fn, base, qualifier)
        if fn.latest.reserved_concurrency == 0:
            return AttemptOutcome(ZERO_CONCURRENCY, status_code=429, executed_version=version)
        try:
            result = self._run(fn, base, version, event.function_arn, event.payload)
        except TooManyRequestsException:
            return AttemptOutcome(THROTTLED, status_code=429, executed_version=version)
        kind = SUCCESS if result.function_error is None else FUNCTION_ERROR
        return AttemptOutcome(kind, result.payload, result.function_error, version, 200)

    def wait_for_async(self, timeout: float) -> bool:
        return self.async_queue.wait_idle(timeout)

    def _deliver_async(self, event: AsyncEvent, kind: str, target: str, message: dict[str, Any]) -> bool:
        return self.deliver_from(function_base_arn(event.function_arn)[0], target, message)

    def deliver_from(self, function_arn: str, target: str, message: dict[str, Any]) -> bool:
        """Send a destination / DLQ record as the function's execution role; False if not allowed,
        or when the target is a FIFO queue (AWS accepts one in the configuration, but every delivery
        to it fails: Lambda developer guide, "Capturing records of Lambda asynchronous invocations")."""
        action = _target_action(target)
        if not self.authorizer.function_can(function_arn, action, target, {}).allowed:
            return False
        queue = self.queues.get(target)
        if queue is not None and queue.fifo:
            return False
        with self._lock:
            self.deliveries.append((function_arn, target, message))
        if queue is not None:
            queue.send_message(message.get("body") if "attributes" in message and "body" in message
                               else json.dumps(message))
        elif action == "lambda:InvokeFunction":
            self.async_queue.put(AsyncEvent(target, message))
        return True

    # -- event sources ------------------------------------------------------------------------------------

    def create_queue(self, arn: str, **options: Any) -> InMemoryQueue:
        queue = self.queues[arn] = InMemoryQueue(arn, **options)
        return queue

    def create_stream(self, arn: str, **options: Any) -> InMemoryStream:
        stream = self.streams[arn] = InMemoryStream(arn, **options)
        return stream

    def create_event_source_mapping(self, function_arn: str, source_arn: str, **options: Any) -> QueueMapping | StreamMapping:
        """Check the execution role can read the source (InvalidParameterValueException if not), then map."""
        base, _ = function_base_arn(function_arn)
        self._function(base)
        if source_arn in self.queues:
            needed = [("sqs:ReceiveMessage", "ReceiveMessage on SQS"), ("sqs:DeleteMessage", "DeleteMessage on SQS"),
                      ("sqs:GetQueueAttributes", "GetQueueAttributes on SQS")]
        elif source_arn in self.streams:
            needed = [("kinesis:GetRecords", "GetRecords on Kinesis"),
                      ("kinesis:GetShardIterator", "GetShardIterator on Kinesis"),
                      ("kinesis:DescribeStream", "DescribeStream on Kinesis"),
                      ("kinesis:ListShards", "ListShards on Kinesis")]
        else:
            raise InvalidParameterValueException(f"Unknown event source: {source_arn}")
        for action, words in needed:
            if not self.authorizer.function_can(base, action, source_arn, {}).allowed:
                raise InvalidParameterValueException(
                    f"The provided execution role does not have permissions to call {words}")
        mapping: QueueMapping | StreamMapping
        if source_arn in self.queues:
            mapping = QueueMapping(self, function_arn, self.queues[source_arn], **options)
        else:
            mapping = StreamMapping(self, function_arn, self.streams[source_arn], **options)
        self.mappings.append(mapping)
        return mapping
