"""A minimal, real Lambda runtime for Python handlers, with every step checked by the engine.

Modules: `worker` (the execution environment's process), `environment_pool` (environments,
cold/warm starts, idle recycling, provisioned and reserved concurrency), `runtime` (`Invoker`),
`async_queue` (Event invocations: retries, max age, destinations, DLQ), `sources` (in-memory
queue and stream with event source mappings), `client` (the AWS client a function gets),
`authorizer` (what the invoker asks), `errors` (AWS's error names).
"""

from .async_queue import AsyncEvent, AsyncQueue, AttemptOutcome, EventInvokeConfig
from .authorizer import AllowAll, Authorizer, EnvironmentAuthorizer, SimpleCheck
from .environment_pool import EnvironmentPool, ExecutionEnvironment, FunctionSpec
from .errors import (AccessDeniedException, InvalidParameterValueException, LambdaServiceError,
                     ResourceConflictException, ResourceNotFoundException, TooManyRequestsException)
from .runtime import InvokeResult, Invoker
from .sources import InMemoryQueue, InMemoryStream, QueueError, QueueMapping, StreamMapping

__all__ = [
    "AccessDeniedException", "AllowAll", "AsyncEvent", "AsyncQueue", "AttemptOutcome", "Authorizer",
    "EnvironmentAuthorizer", "EnvironmentPool", "EventInvokeConfig", "ExecutionEnvironment", "FunctionSpec",
    "InMemoryQueue", "InMemoryStream", "InvalidParameterValueException", "InvokeResult", "Invoker",
    "LambdaServiceError", "QueueError", "QueueMapping", "ResourceConflictException", "ResourceNotFoundException",
    "SimpleCheck", "StreamMapping", "TooManyRequestsException",
]
