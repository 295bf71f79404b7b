"""Asynchronous (`Event`) invocations: the internal queue, retries, maximum event age, destinations.

Semantics (lambda-permissions.md §3.6, §4 G):
- an accepted event is queued (the caller got 202) and dispatched by background threads;
- a function error (exception, timeout, runtime exit) is retried up to `maximum_retry_attempts`
  more times (default 2), about 1 and 2 minutes later (`retry_delays`, times `backoff_scale`);
- a throttle is put back with exponential back-off from 1 s to 5 min (times `backoff_scale`) and
  does not use up the retry attempts;
- an event older than `maximum_event_age` seconds when its turn comes is not run again;
- reserved concurrency 0: straight to failure, without retries;
- success -> the on-success destination; retries exhausted or age exceeded -> the on-failure
  destination if configured, else the dead-letter queue, else dropped (counted).
Every event ends in exactly one of `outcomes`' states (also set on the event: `state`, and for a
failure `condition`), and each function in `on_finish` is then called with the event (before the
record is delivered); `wait_idle(timeout)` waits until none is queued or running. The queue is told how to run an attempt (`execute`) and how to deliver a
record (`deliver`): it has no process or policy logic of its own, so it can be tested alone.
"""

from __future__ import annotations

import heapq
import itertools
import json
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable

SUCCESS = "success"
FUNCTION_ERROR = "function_error"
THROTTLED = "throttled"
ZERO_CONCURRENCY = "zero_concurrency"


@dataclass(frozen=True)
class EventInvokeConfig:
    maximum_retry_attempts: int = 2
    maximum_event_age: float = 21600.0  # seconds (AWS accepts 60..21600; any positive value here)
    on_success: str | None = None
    on_failure: str | None = None
    dead_letter_target: str | None = None


@dataclass
class AsyncEvent:
    function_arn: str  # as invoked (qualified or not)
    payload: Any
    request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    enqueued_at: float = 0.0
    invoke_count: int = 0  # attempts that ran the function
    throttles: int = 0
    last: AttemptOutcome | None = None
    state: str | None = None  # when finished: success | on_failure | dead_letter | dropped
    condition: str | None = None  # a failure's: RetriesExhausted | EventAgeExceeded


@dataclass
class AttemptOutcome:
    kind: str  # SUCCESS | FUNCTION_ERROR | THROTTLED | ZERO_CONCURRENCY
    payload: Any = None  # the response payload (the error object for a function error)
    function_error: str | None = None  # "Unhandled"
    executed_version: str = "$LATEST"
    status_code: int = 200


def _now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def invocation_record(event: AsyncEvent, condition: str) -> dict[str, Any]:
    """The record Lambda sends to a destination."""
    last = event.last
    return {
        "version": "1.0",
        "timestamp": _now_iso(),
        "requestContext": {"requestId": event.request_id, "functionArn": event.function_arn,
                           "condition": condition, "approximateInvokeCount": event.invoke_count},
        "requestPayload": event.payload,
        "responseContext": {"statusCode": last.status_code if last else 429,
                            "executedVersion": last.executed_version if last else "$LATEST",
                            "functionError": last.function_error if last else None},
        "responsePayload": last.payload if last else None,
    }


def dead_letter_message(event: AsyncEvent) -> dict[str, Any]:
    """What a DLQ receives: the original event, with RequestID / ErrorCode / ErrorMessage attributes."""
    last = event.last
    error = last.payload if last is not None and isinstance(last.payload, dict) else {}
    return {"body": json.dumps(event.payload),
            "attributes": {"RequestID": event.request_id,
                           "ErrorCode": str(last.status_code if last else 429),
                           "ErrorMessage": str(error.get("errorMessage", "Event age exceeded or throttled"))}}


Execute = Callable[[AsyncEvent], AttemptOutcome]
Deliver = Callable[[AsyncEvent, str, str, dict[str, Any]], bool]  # (event, kind, target, message) -> delivered


class AsyncQueue:
    def __init__(self, execute: Execute, deliver: Deliver, config_for: Callable[[str], EventInvokeConfig], *,
                 workers: int = 2, backoff_scale: float = 1.0, retry_delays: tuple[float, ...] = (60.0, 120.0),
                 throttle_backoff: tuple[float, float] = (1.0, 300.0), clock: Callable[[], float] = time.monotonic,
                 keep_outcomes: bool = True) -> None:
        self._execute = execute
        self._deliver = deliver
        self._config_for = config_for
        self.backoff_scale = backoff_scale
        self.retry_delays = retry_delays
        self.throttle_backoff = throttle_backoff
        self._clock = clock
        self._heap: list[tuple[float, int, AsyncEvent]] = []
        self._seq = itertools.count()
        self._cond = threading.Condition()
        self._running = 0
        self._closed = False
        self.counts: Counter[str] = Counter()
        self.outcomes: dict[str, str] | None = {} if keep_outcomes else None
        self.on_finish: list[Callable[[AsyncEvent], None]] = []
        self._threads = [threading.Thread(target=self._loop, name=f"lambda-async-{i}", daemon=True)
                         for i in range(max(1, workers))]
        for t in self._threads:
            t.start()

    # -- public -----------------------------------------------------------------------------------

    def put(self, event: AsyncEvent) -> AsyncEvent:
        event.enqueued_at = self._clock()
        with self._cond:
            if self._closed:
                raise RuntimeError("the async queue is closed")
            self.counts["accepted"] += 1
            heapq.heappush(self._heap, (event.enqueued_at, next(self._seq), event))
            self._cond.notify()
        return event

    def pending(self) -> int:
        with self._cond:
            return len(self._heap) + self._running

    def wait_idle(self, timeout: float) -> bool:
        """Wait (at most `timeout` seconds) until no event is queued or running."""
        end = time.monotonic() + timeout
        with self._cond:
            while self._heap or self._running:
                left = end - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(min(left, 0.05))
            return True

    def close(self, timeout: float = 2.0) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        end = time.monotonic() + timeout
        for t in self._threads:
            t.join(max(0.0, end - time.monotonic()))

    # -- dispatch -------------------------------------------------------------------------------------

    def _loop(self) -> None:
        while True:
            with self._cond:
                while True:
                    if self._closed:
                        return
                    if self._heap:
                        wait = self._heap[0][0] - self._clock()
                        if wait <= 0:
                            _, _, event = heapq.heappop(self._heap)
                            self._running += 1
                            break
                        self._cond.wait(min(wait, 0.05))
                    else:
                        self._cond.wait(0.05)
            try:
                self._attempt(event)
            except Exception as exc:  # noqa: BLE001 - a bug must not lose the event
                self.counts["internal_errors"] += 1
                event.last = AttemptOutcome(FUNCTION_ERROR, {"errorMessage": str(exc), "errorType": type(exc).__name__},
                                            "Unhandled", status_code=500)
                self._finish_failure(event, "RetriesExhausted")
            finally:
                with self._cond:
                    self._running -= 1
                    self._cond.notify_all()

    def _schedule(self, event: AsyncEvent, delay: float, config: EventInvokeConfig) -> None:
        due = self._clock() + delay
        expiry = event.enqueued_at + config.maximum_event_age
        with self._cond:
            heapq.heappush(self._heap, (min(due, expiry), next(self._seq), event))
            self._cond.notify()

    def _attempt(self, event: AsyncEvent) -> None:
        config = self._config_for(event.function_arn)
        if self._clock() - event.enqueued_at >= config.maximum_event_age:
            self._finish_failure(event, "EventAgeExceeded")
            return
        outcome = self._execute(event)
        if outcome.kind == THROTTLED:
            event.throttles += 1
            self.counts["throttles"] += 1
            low, high = self.throttle_backoff
            self._schedule(event, min(high, low * 2 ** (event.throttles - 1)) * self.backoff_scale, config)
            return
        if outcome.kind == ZERO_CONCURRENCY:
            event.last = outcome
            self._finish_failure(event, "RetriesExhausted")
            return
        event.invoke_count += 1
        event.last = outcome
        if outcome.kind == SUCCESS:
            self._record(event, "success")
            if config.on_success:
                self._send(event, "destination", config.on_success, invocation_record(event, "Success"))
            return
        self.counts["function_errors"] += 1
        retries_done = event.invoke_count - 1
        if retries_done < config.maximum_retry_attempts:
            delay = self.retry_delays[min(retries_done, len(self.retry_delays) - 1)] * self.backoff_scale
            self._schedule(event, delay, config)
            return
        self._finish_failure(event, "RetriesExhausted")

    def _finish_failure(self, event: AsyncEvent, condition: str) -> None:
        config = self._config_for(event.function_arn)
        self.counts[condition] += 1
        event.condition = condition
        if config.on_failure:
            self._record(event, "on_failure")
            self._send(event, "destination", config.on_failure, invocation_record(event, condition))
        elif config.dead_letter_target:
            self._record(event, "dead_letter")
            self._send(event, "dlq", config.dead_letter_target, dead_letter_message(event))
        else:
            self._record(event, "dropped")

    def _record(self, event: AsyncEvent, state: str) -> None:
        self.counts[state] += 1
        event.state = state
        if self.outcomes is not None:
            self.outcomes[event.request_id] = state
        for listener in self.on_finish:
            try:
                listener(event)
            except Exception:  # noqa: BLE001 - an observer must not change the event's fate
                self.counts["listener_errors"] += 1

    def _send(self, event: AsyncEvent, kind: str, target: str, message: dict[str, Any]) -> None:
        try:
            delivered = self._deliver(event, kind, target, message)
        except Exception:  # noqa: BLE001 - AWS only counts a failed delivery
            delivered = False
        if not delivered:
            self.counts["DestinationDeliveryFailures"] += 1
