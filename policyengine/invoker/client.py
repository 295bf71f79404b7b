"""The AWS client a function gets as `context.client`: every call authorized as the execution role.

`ResourceClient` is the function-side API: `client.call(action, resource, **params)` or a small
boto-like facade (`client.sqs.send_message(QueueUrl=..., MessageBody=...)`,
`client.kinesis.put_record(...)`, `client.sns.publish(...)`, `client.s3.put_object(...)`,
`client.lambda_.invoke(...)`). It only forwards: in a worker process the call crosses the pipe to
the parent; in-process it goes straight to a `ClientBackend`.

`ClientBackend` (parent side) asks the authorizer `function_can(function, action, resource)`
(the role session `assumed-role/ROLE/FUNCTION`, with `lambda:SourceFunctionArn`); a deny comes back
as `AccessDeniedException` with AWS's message. Allowed calls on the invoker's in-memory queues and
streams act on them; a `lambda:InvokeFunction` invokes through the invoker (with its own checks);
any other allowed call is recorded in `invoker.external_calls` and answers `{}`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Callable

from .errors import check_error, service_error

if TYPE_CHECKING:
    from .runtime import Invoker

Transport = Callable[[str, str, dict[str, Any]], Any]


class ResourceClient:
    def __init__(self, transport: Transport) -> None:
        self._transport = transport
        self.sqs = _Sqs(self)
        self.sns = _Sns(self)
        self.kinesis = _Kinesis(self)
        self.s3 = _S3(self)
        self.lambda_ = _Lambda(self)

    def call(self, action: str, resource: str, **params: Any) -> Any:
        return self._transport(action, resource, params)


class _Service:
    def __init__(self, client: ResourceClient) -> None:
        self._client = client


class _Sqs(_Service):
    def send_message(self, QueueUrl: str, MessageBody: str, **kw: Any) -> Any:  # noqa: N803 - boto's names
        return self._client.call("sqs:SendMessage", QueueUrl, MessageBody=MessageBody, **kw)

    def receive_message(self, QueueUrl: str, MaxNumberOfMessages: int = 1, **kw: Any) -> Any:  # noqa: N803
        return self._client.call("sqs:ReceiveMessage", QueueUrl, MaxNumberOfMessages=MaxNumberOfMessages, **kw)

    def delete_message(self, QueueUrl: str, ReceiptHandle: str) -> Any:  # noqa: N803
        return self._client.call("sqs:DeleteMessage", QueueUrl, ReceiptHandle=ReceiptHandle)


class _Sns(_Service):
    def publish(self, TopicArn: str, Message: str, **kw: Any) -> Any:  # noqa: N803
        return self._client.call("sns:Publish", TopicArn, Message=Message, **kw)


class _Kinesis(_Service):
    def put_record(self, StreamARN: str, Data: Any, PartitionKey: str) -> Any:  # noqa: N803
        return self._client.call("kinesis:PutRecord", StreamARN, Data=Data, PartitionKey=PartitionKey)


class _S3(_Service):
    def put_object(self, Bucket: str, Key: str, Body: Any = b"") -> Any:  # noqa: N803
        return self._client.call("s3:PutObject", f"arn:aws:s3:::{Bucket}/{Key}", Body=Body)

    def get_object(self, Bucket: str, Key: str) -> Any:  # noqa: N803
        return self._client.call("s3:GetObject", f"arn:aws:s3:::{Bucket}/{Key}")


class _Lambda(_Service):
    def invoke(self, FunctionName: str, Payload: Any = None,  # noqa: N803
               InvocationType: str = "RequestResponse") -> Any:  # noqa: N803
        return self._client.call("lambda:InvokeFunction", FunctionName, Payload=Payload,
                                 InvocationType=InvocationType)


class ClientBackend:
    """Carries out one function's calls in the parent process."""

    def __init__(self, invoker: Invoker, function_arn: str) -> None:
        self.invoker = invoker
        self.function_arn = function_arn

    def handle(self, action: str, resource: str, params: dict[str, Any]) -> tuple[bool, Any]:
        """(True, value) or (False, (error code, message))."""
        check = self.invoker.authorizer.function_can(self.function_arn, action, resource, {})
        if not check.allowed:
            return False, check_error(check.error)
        try:
            return True, self._act(action, resource, params)
        except Exception as exc:  # noqa: BLE001 - becomes the AWS error the function sees
            return False, (getattr(exc, "code", type(exc).__name__), str(exc))

    def __call__(self, action: str, resource: str, params: dict[str, Any]) -> Any:
        """The in-process transport: raise as the worker-side transport does."""
        ok, value = self.handle(action, resource, params)
        if ok:
            return value
        raise service_error(*value)

    def _act(self, action: str, resource: str, params: dict[str, Any]) -> Any:
        inv = self.invoker
        lowered = action.lower()
        queue = inv.queues.get(resource)
        if queue is not None:
            if lowered == "sqs:sendmessage":
                return {"MessageId": queue.send_message(params.get("MessageBody", ""),
                                                        message_group_id=params.get("MessageGroupId"),
                                                        deduplication_id=params.get("MessageDeduplicationId"))}
            if lowered == "sqs:receivemessage":
                got = queue.receive(int(params.get("MaxNumberOfMessages", 1)))
                return {"Messages": [{"MessageId": m.message_id, "ReceiptHandle": m.receipt_handle,
                                      "Body": m.body} for m in got]}
            if lowered == "sqs:deletemessage":
                queue.delete(params["ReceiptHandle"])
                return {}
            if lowered == "sqs:getqueueattributes":
                return {"Attributes": queue.attributes()}
        stream = inv.streams.get(resource)
        if stream is not None and lowered == "kinesis:putrecord":
            shard, seq = stream.put_record(params.get("Data"), params.get("PartitionKey", ""))
            return {"ShardId": shard, "SequenceNumber": seq}
        if lowered == "lambda:invokefunction":
            from .authorizer import role_session_arn

            fn = inv.function_record(self.function_arn)
            result = inv.invoke(role_session_arn(fn.role, self.function_arn), resource, params.get("Payload"),
                                params.get("InvocationType", "RequestResponse"))
            return {"StatusCode": result.status_code, "FunctionError": result.function_error,
                    "Payload": json.dumps(result.payload) if result.payload is not None else None}
        inv.external_calls.append((self.function_arn, action, resource, params))
        return {}
