"""A minimal in-memory queue and stream, and the event source mappings that poll them.

Queue (SQS semantics, lambda-permissions.md §3.7): a received message stays in the queue,
invisible for the visibility timeout; the mapping deletes the batch when the function succeeds;
on an error (or throttle) it does nothing, so the whole batch becomes visible again after the
visibility timeout and is received again, until it succeeds or the message's retention expires
(or, with a redrive policy, `max_receive_count` receives move it to the queue's DLQ). With
`report_batch_item_failures` only the reported `batchItemFailures` return.

FIFO queue (an ARN ending in `.fifo`): every message has a `MessageGroupId`; a message whose
deduplication ID (given, or the body's SHA-256 with content-based deduplication) was sent in
the last 5 minutes is accepted but not queued again; messages are received in the order they
were sent, and while a message of a group is in flight no later message of that group is
received (other groups go on), so a failing batch blocks its groups, in order, until it
succeeds, expires or is redriven (Amazon SQS developer guide, "FIFO queue delivery logic";
Lambda developer guide, "Using Lambda with Amazon SQS").

Stream (Kinesis semantics): records are ordered per shard by sequence number; the mapping sends
batches in order and, on a function error, retries the same batch, blocking the shard, until it
succeeds, its records exceed `maximum_record_age` (or the stream's retention), or
`maximum_retry_attempts` is used up; a discarded batch's metadata goes to the on-failure
destination and the shard moves on. Throttles are retried without using up attempts.
With `bisect_batch_on_function_error` a failed batch is split in two and each half is sent on
its own, first half first, until the failing record is alone; a split does not use up a retry
(AWS: "Splitting a batch does not count towards the retry quota"), so the retry quota is spent
only on a batch that cannot be split. With `report_batch_item_failures` the function may return
`{"batchItemFailures": [{"itemIdentifier": SEQUENCE_NUMBER}]}`: the shard checkpoints before the
lowest sequence number reported and retries from there (only the remaining records when
bisecting); an empty or null list or response is a success, and an item without a known
sequence number fails the whole batch (Lambda developer guide, "Configuring partial batch
response with Kinesis Data Streams and Lambda").

The mappings are driven explicitly (`poll_once`, `drain(timeout)`): every wait is bounded.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import threading
import time
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from .errors import InvalidParameterValueException, LambdaServiceError, TooManyRequestsException

if TYPE_CHECKING:
    from .runtime import Invoker


class QueueError(LambdaServiceError):
    """An error of the SQS API (`MissingParameter`, `InvalidParameterValue`), as a function's
    client call or a caller of the in-memory queue sees it."""

    status_code = 400

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


DEDUPLICATION_INTERVAL = 300.0  # seconds: SQS FIFO's deduplication interval


@dataclass
class Message:
    message_id: str
    body: str
    sent_at: float
    visible_at: float = 0.0
    receive_count: int = 0
    receipt_handle: str = ""
    group_id: str | None = None  # FIFO only, with the two below
    deduplication_id: str | None = None
    sequence_number: str | None = None


class InMemoryQueue:
    def __init__(self, arn: str, *, visibility_timeout: float = 30.0, retention: float = 345600.0,
                 max_receive_count: int | None = None, dead_letter_queue: InMemoryQueue | None = None,
                 content_based_deduplication: bool = False,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.fifo = arn.endswith(".fifo")
        if content_based_deduplication and not self.fifo:
            raise QueueError("InvalidParameterValue", "ContentBasedDeduplication is only for FIFO queues "
                             "(their name ends in .fifo)")
        if dead_letter_queue is not None and dead_letter_queue.fifo != self.fifo:
            raise QueueError("InvalidParameterValue", "the dead-letter queue of a FIFO queue must be a FIFO "
                             "queue, and that of a standard queue a standard queue")
        self.content_based_deduplication = content_based_deduplication
        self._sent: dict[str, tuple[float, str]] = {}  # FIFO: deduplication ID -> (sent at, message ID)
        self._sequence = itertools.count(1)
        self.arn = arn
        self.visibility_timeout = visibility_timeout
        self.retention = retention
        self.max_receive_count = max_receive_count
        self.dead_letter_queue = dead_letter_queue
        self._clock = clock
        self._lock = threading.Lock()
        self._messages: dict[str, Message] = {}
        self._by_receipt: dict[str, str] = {}
        self.expired: list[Message] = []
        self.deleted = 0

    def send_message(self, body: Any, *, message_group_id: str | None = None,
                     deduplication_id: str | None = None) -> str:
        """Queue a message; its ID. A FIFO queue needs `message_group_id`, and a deduplication
        ID unless it deduplicates by content; a duplicate within 5 minutes is not queued again
        (its first ID is returned)."""
        text = body if isinstance(body, str) else json.dumps(body)
        now = self._clock()
        if not self.fifo:
            if message_group_id is not None or deduplication_id is not None:
                raise QueueError("InvalidParameterValue", "MessageGroupId and MessageDeduplicationId are "
                                 "only for FIFO queues")
            msg = Message(str(uuid.uuid4()), text, now)
            with self._lock:
                self._messages[msg.message_id] = msg
            return msg.message_id
        if not message_group_id:
            raise QueueError("MissingParameter", "The request must contain the parameter MessageGroupId.")
        if deduplication_id is None:
            if not self.content_based_deduplication:
                raise QueueError("InvalidParameterValue", "The queue should either have ContentBasedDeduplication "
                                 "enabled or MessageDeduplicationId provided explicitly")
            deduplication_id = hashlib.sha256(text.encode()).hexdigest()
        with self._lock:
            while self._sent:  # forget IDs past the interval (the oldest come first)
                oldest = next(iter(self._sent))
                if now - self._sent[oldest][0] < DEDUPLICATION_INTERVAL:
                    break
                del self._sent[oldest]
            first = self._sent.get(deduplication_id)
            if first is not None:
                return first[1]
            msg = Message(str(uuid.uuid4()), text, now, group_id=message_group_id,
                          deduplication_id=deduplication_id, sequence_number=f"{next(self._sequence):020d}")
            self._sent[deduplication_id] = (now, msg.message_id)
            self._messages[msg.message_id] = msg
        return msg.message_id

    def receive(self, max_messages: int = 10, visibility_timeout: float | None = None) -> list[Message]:
        now = self._clock()
        hide = self.visibility_timeout if visibility_timeout is None else visibility_timeout
        out: list[Message] = []
        redrive: list[Message] = []
        blocked: set[str | None] = set()  # FIFO: groups with a message in flight (or already skipped)
        with self._lock:
            for msg in list(self._messages.values()):
                if len(out) >= max_messages:
                    break
                if now - msg.sent_at >= self.retention:
                    del self._messages[msg.message_id]
                    self.expired.append(msg)
                    continue
                if self.fifo and msg.group_id in blocked:
                    continue
                if msg.visible_at > now:
                    blocked.add(msg.group_id)  # in flight: later messages of its group wait
                    continue
                if self.max_receive_count is not None and msg.receive_count >= self.max_receive_count \
                        and self.dead_letter_queue is not None:
                    del self._messages[msg.message_id]
                    redrive.append(msg)
                    continue
                msg.receive_count += 1
                msg.visible_at = now + hide
                msg.receipt_handle = str(uuid.uuid4())
                self._by_receipt[msg.receipt_handle] = msg.message_id
                out.append(Message(msg.message_id, msg.body, msg.sent_at, msg.visible_at, msg.receive_count,
                                   msg.receipt_handle, msg.group_id, msg.deduplication_id, msg.sequence_number))
        for msg in redrive:
            assert self.dead_letter_queue is not None
            self.dead_letter_queue.send_message(msg.body, message_group_id=msg.group_id,
                                                deduplication_id=msg.deduplication_id)
        return out

    def delete(self, receipt_handle: str) -> bool:
        with self._lock:
            message_id = self._by_receipt.pop(receipt_handle, None)
            if not message_id:
                return False
            msg = self._messages.get(message_id)
            if msg is None or msg.receipt_handle != receipt_handle:
                return False
            del self._messages[message_id]
            self.deleted += 1
            return True

    def __len__(self) -> int:
        with self._lock:
            return len(self._messages)

    def bodies(self) -> list[str]:
        with self._lock:
            return [m.body for m in self._messages.values()]

    def attributes(self) -> dict[str, str]:
        now = self._clock()
        with self._lock:
            visible = sum(1 for m in self._messages.values() if m.visible_at <= now)
            return {"ApproximateNumberOfMessages": str(visible),
                    "ApproximateNumberOfMessagesNotVisible": str(len(self._messages) - visible),
                    "VisibilityTimeout": str(self.visibility_timeout), "QueueArn": self.arn}


@dataclass(frozen=True)
class StreamRecord:
    sequence_number: str
    data: Any
    partition_key: str
    arrival: float


class InMemoryStream:
    def __init__(self, arn: str, *, shard_count: int = 1, retention: float = 86400.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.arn = arn
        self.retention = retention
        self._clock = clock
        self._lock = threading.Lock()
        self.shards: list[list[StreamRecord]] = [[] for _ in range(shard_count)]
        self._seq = itertools.count(1)

    @staticmethod
    def shard_id(index: int) -> str:
        return f"shardId-{index:012d}"

    def shard_for(self, partition_key: str) -> int:
        return int(hashlib.md5(partition_key.encode()).hexdigest(), 16) % len(self.shards)

    def put_record(self, data: Any, partition_key: str) -> tuple[str, str]:
        index = self.shard_for(partition_key)
        with self._lock:
            seq = f"{next(self._seq):056d}"
            self.shards[index].append(StreamRecord(seq, data, partition_key, self._clock()))
        return self.shard_id(index), seq

    def read(self, shard: int, position: int, limit: int) -> list[StreamRecord]:
        with self._lock:
            return self.shards[shard][position:position + limit]


# -- event source mappings ------------------------------------------------------------------------------


def _is_failure(result: Any) -> bool:
    return result.function_error is not None


def _reported_items(payload: Any) -> list[Any] | None:
    """The `itemIdentifier`s of a partial batch response: [] for a full success (a null or
    empty response or list), None when the response is not one (the whole batch failed)."""
    if payload is None or payload == {}:
        return []
    if not isinstance(payload, dict):
        return None
    items = payload.get("batchItemFailures")
    if not items:
        return [] if items is None or items == [] else None
    if not isinstance(items, list):
        return None
    out = []
    for item in items:
        ident = item.get("itemIdentifier") if isinstance(item, dict) else None
        if not isinstance(ident, str) or not ident:
            return None
        out.append(ident)
    return out


class QueueMapping:
    """An SQS event source mapping: receive a batch, invoke synchronously, delete on success."""

    def __init__(self, invoker: Invoker, function_arn: str, queue: InMemoryQueue, *, batch_size: int = 10,
                 report_batch_item_failures: bool = False) -> None:
        self.invoker = invoker
        self.function_arn = function_arn
        self.queue = queue
        self.batch_size = batch_size
        self.report_batch_item_failures = report_batch_item_failures
        self.stats = {"batches": 0, "succeeded": 0, "failed": 0, "throttled": 0}

    def _event(self, batch: list[Message]) -> dict[str, Any]:
        region = self.queue.arn.split(":")[3] if self.queue.arn.count(":") >= 5 else ""
        return {"Records": [{"messageId": m.message_id, "receiptHandle": m.receipt_handle, "body": m.body,
                             "attributes": self._attributes(m), "messageAttributes": {}, "eventSource": "aws:sqs",
                             "eventSourceARN": self.queue.arn, "awsRegion": region} for m in batch]}

    @staticmethod
    def _attributes(message: Message) -> dict[str, str]:
        out = {"ApproximateReceiveCount": str(message.receive_count)}
        if message.group_id is not None:  # FIFO
            out.update(MessageGroupId=message.group_id, MessageDeduplicationId=message.deduplication_id or "",
                       SequenceNumber=message.sequence_number or "")
        return out

    def poll_once(self) -> int:
        """Receive and process one batch; the number of messages received."""
        batch = self.queue.receive(self.batch_size)
        if not batch:
            return 0
        self.stats["batches"] += 1
        try:
            result = self.invoker.run_for_source(self.function_arn, self._event(batch))
        except TooManyRequestsException:
            self.stats["throttled"] += 1  # the batch returns after the visibility timeout
            return len(batch)
        if _is_failure(result):
            self.stats["failed"] += 1
            return len(batch)
        failed = self._reported_failures(result.payload, batch) if self.report_batch_item_failures else set()
        for m in batch:
            if m.message_id not in failed:
                self.queue.delete(m.receipt_handle)
        self.stats["succeeded"] += 1
        return len(batch)

    @staticmethod
    def _reported_failures(payload: Any, batch: list[Message]) -> set[str]:
        ids = {m.message_id for m in batch}
        items = _reported_items(payload)
        if items is None or not ids.issuperset(items):
            return ids  # an invalid response fails the whole batch
        return set(items)

    def drain(self, timeout: float, idle_sleep: float = 0.005) -> bool:
        """Poll until the queue is empty (True) or `timeout` seconds pass (False)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if len(self.queue) == 0:
                return True
            if self.poll_once() == 0:
                time.sleep(idle_sleep)
        return len(self.queue) == 0


class StreamMapping:
    """A Kinesis-style mapping: per shard, in order, blocking on a failing batch."""

    def __init__(self, invoker: Invoker, function_arn: str, stream: InMemoryStream, *, batch_size: int = 100,
                 maximum_retry_attempts: int = -1, maximum_record_age: float = -1,
                 on_failure: str | None = None, bisect_batch_on_function_error: bool = False,
                 report_batch_item_failures: bool = False) -> None:
        if maximum_retry_attempts < -1:
            raise InvalidParameterValueException("MaximumRetryAttempts must be between -1 and 10000")
        self.invoker = invoker
        self.function_arn = function_arn
        self.stream = stream
        self.batch_size = batch_size
        self.maximum_retry_attempts = maximum_retry_attempts
        self.maximum_record_age = maximum_record_age
        self.on_failure = on_failure
        self.bisect_batch_on_function_error = bisect_batch_on_function_error
        self.report_batch_item_failures = report_batch_item_failures
        self.positions = [0] * len(stream.shards)
        self.retries = [0] * len(stream.shards)
        # Per shard, the sizes of the batches to send next (halves of a bisected batch); empty: batch_size.
        self.pending: list[list[int]] = [[] for _ in stream.shards]
        self.discarded: list[dict[str, Any]] = []
        self.stats = {"batches": 0, "succeeded": 0, "failed": 0, "throttled": 0, "discarded_records": 0,
                      "partial": 0, "bisected": 0}

    def _event(self, shard: int, batch: list[StreamRecord]) -> dict[str, Any]:
        shard_id = self.stream.shard_id(shard)
        return {"Records": [{
            "kinesis": {"kinesisSchemaVersion": "1.0", "partitionKey": r.partition_key,
                        "sequenceNumber": r.sequence_number,
                        "data": base64.b64encode(r.data if isinstance(r.data, bytes)
                                                 else json.dumps(r.data).encode()).decode(),
                        "approximateArrivalTimestamp": r.arrival},
            "eventSource": "aws:kinesis", "eventVersion": "1.0", "eventID": f"{shard_id}:{r.sequence_number}",
            "eventName": "aws:kinesis:record", "eventSourceARN": self.stream.arn} for r in batch]}

    def _expired(self, record: StreamRecord) -> bool:
        age = time.monotonic() - record.arrival
        if age >= self.stream.retention:
            return True
        return self.maximum_record_age >= 0 and age >= self.maximum_record_age

    def _discard(self, shard: int, batch: list[StreamRecord], reason: str) -> None:
        info = {"requestContext": {"requestId": str(uuid.uuid4()), "functionArn": self.function_arn,
                                   "condition": reason, "approximateInvokeCount": self.retries[shard] + 1},
                "KinesisBatchInfo": {"shardId": self.stream.shard_id(shard),
                                     "startSequenceNumber": batch[0].sequence_number,
                                     "endSequenceNumber": batch[-1].sequence_number,
                                     "batchSize": len(batch), "streamArn": self.stream.arn}}
        self.discarded.append(info)
        self.stats["discarded_records"] += len(batch)
        if self.on_failure:
            self.invoker.deliver_from(self.function_arn, self.on_failure, info)
        self._advance(shard, len(batch))

    def _advance(self, shard: int, count: int) -> None:
        """Checkpoint past `count` records (processed or discarded): a fresh retry budget."""
        self.positions[shard] += count
        self.retries[shard] = 0
        pending = self.pending[shard]
        while count and pending:
            used = min(count, pending[0])
            pending[0] -= used
            count -= used
            if pending[0] == 0:
                pending.pop(0)

    def _failed_from(self, result: Any, batch: list[StreamRecord]) -> int | None:
        """Index of the first record to retry (0: the whole batch), or None when all succeeded."""
        if _is_failure(result):
            return 0
        if not self.report_batch_item_failures:
            return None
        items = _reported_items(result.payload)
        if items is None:
            return 0
        if not items:
            return None
        index = {r.sequence_number: i for i, r in enumerate(batch)}
        if any(item not in index for item in items):
            return 0  # an unknown sequence number fails the whole batch
        return min(index[item] for item in items)

    def poll_once(self) -> int:
        """One batch per shard; the number of records sent to the function."""
        sent = 0
        for shard in range(len(self.stream.shards)):
            size = self.pending[shard][0] if self.pending[shard] else self.batch_size
            batch = self.stream.read(shard, self.positions[shard], size)
            if not batch:
                continue
            # records past their age leave the front of the batch (the shard moves on)
            stale = 0
            while stale < len(batch) and self._expired(batch[stale]):
                stale += 1
            if stale:
                self._discard(shard, batch[:stale], "RecordAgeExceeded")
                batch = batch[stale:]
                if not batch:
                    continue
            self.stats["batches"] += 1
            sent += len(batch)
            try:
                result = self.invoker.run_for_source(self.function_arn, self._event(shard, batch))
            except TooManyRequestsException:
                self.stats["throttled"] += 1  # not counted as a retry
                continue
            failed_from = self._failed_from(result, batch)
            if failed_from is None:
                self.stats["succeeded"] += 1
                self._advance(shard, len(batch))
                continue
            self.stats["failed"] += 1
            if failed_from:  # a partial batch response: checkpoint before the first failed record
                self.stats["partial"] += 1
                self._advance(shard, failed_from)
                batch = batch[failed_from:]
                if self.bisect_batch_on_function_error:  # retry only the remaining records
                    self.pending[shard][:1] = [len(batch)]
            elif self.bisect_batch_on_function_error and _is_failure(result) and len(batch) > 1:
                half = (len(batch) + 1) // 2
                self.pending[shard][:1] = [half, len(batch) - half]
                self.stats["bisected"] += 1
                continue  # a split does not use up a retry
            self.retries[shard] += 1
            if 0 <= self.maximum_retry_attempts < self.retries[shard]:
                self.retries[shard] -= 1
                self._discard(shard, batch, "RetryAttemptsExhausted")
        return sent

    def caught_up(self) -> bool:
        return all(p >= len(s) for p, s in zip(self.positions, self.stream.shards))

    def drain(self, timeout: float, idle_sleep: float = 0.002) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.caught_up():
                return True
            if self.poll_once() == 0:
                time.sleep(idle_sleep)
        return self.caught_up()
