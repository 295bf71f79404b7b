"""The execution environment's process: the runtime that imports a handler once and serves it.

`worker_main` runs in a child process (start method "forkserver" where available, else "spawn":
never a plain fork of a threaded parent). It:

1. applies the memory limit: `RLIMIT_AS` = the address space the runtime already uses plus the
   function's memory size (so "128 MB" is 128 MB of headroom for the function's own data, not a
   limit the interpreter alone would exceed);
2. runs the Init phase: imports the handler's module from `code_path` and resolves the handler,
   timing it (the cold start's init duration), capturing what it prints;
3. serves invocations over the Pipe until told to stop or the pipe closes. During an invocation
   the function's client calls travel to the parent on the same pipe (`("call", ...)`), where
   they are authorized and carried out.

The parent enforces the timeout (it kills the process); the worker only reports results.

Protocol (tuples; the parent speaks first after "ready"):
  child  -> parent  ("ready", init_ms, log) | ("init_error", error, log, init_ms)
  parent -> child   ("invoke", request_id, event, context_fields) | ("stop",)
  child  -> parent  ("call", action, resource, params)     parent -> child ("call_result", ok, value)
  child  -> parent  ("result", payload_json, log, duration_ms, max_memory_mb)
                  | ("error", error, log, duration_ms, max_memory_mb)
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import os
import resource
import sys
import time
import traceback
from typing import Any

from .client import ResourceClient
from .errors import service_error

MB = 1024 * 1024


def error_dict(exc: BaseException, *, error_type: str | None = None, message: str | None = None,
               skip_frames: int = 1) -> dict[str, Any]:
    """`{"errorMessage", "errorType", "stackTrace"}` as the Python runtime reports an exception."""
    tb = exc.__traceback__
    for _ in range(skip_frames):
        if tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
    frames = traceback.extract_tb(tb) if tb is not None else []
    return {
        "errorMessage": message if message is not None else str(exc),
        "errorType": error_type or type(exc).__name__,
        "requestId": "",
        "stackTrace": traceback.format_list(frames),
    }


class LambdaContext:
    """The `context` argument: what AWS's Python runtime gives, plus `client`."""

    def __init__(self, fields: dict[str, Any], client: ResourceClient | None) -> None:
        self.aws_request_id: str = fields["aws_request_id"]
        self.function_name: str = fields["function_name"]
        self.function_version: str = fields["function_version"]
        self.invoked_function_arn: str = fields["invoked_function_arn"]
        self.memory_limit_in_mb: int = int(fields["memory_limit_in_mb"])
        self.log_group_name: str = f"/aws/lambda/{self.function_name}"
        self.log_stream_name: str = fields.get("log_stream_name", "")
        self.identity = None
        self.client_context = None
        self.client = client
        self._deadline = time.monotonic() + fields["remaining_ms"] / 1000.0

    @property
    def function_arn(self) -> str:
        return self.invoked_function_arn

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def _address_space_bytes() -> int:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _apply_memory_limit(memory_mb: int | None) -> None:
    if not memory_mb:
        return
    limit = _address_space_bytes() + memory_mb * MB
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _max_memory_mb() -> int:
    return max(1, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)


def _load_handler(code_path: str | None, handler: str) -> Any:
    module_name, _, function_name = handler.partition(":")
    if not function_name:  # AWS's own "module.function" spelling
        module_name, _, function_name = handler.rpartition(".")
    if code_path:
        sys.path.insert(0, code_path)
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise _InitError(error_dict(exc, error_type="Runtime.ImportModuleError",
                                    message=f"Unable to import module '{module_name}': {exc}")) from None
    except Exception as exc:  # noqa: BLE001 - whatever the module's init code raised
        raise _InitError(error_dict(exc, skip_frames=0)) from None
    fn = getattr(module, function_name, None)
    if not callable(fn):
        raise _InitError({"errorMessage": f"Handler '{function_name}' missing on module '{module_name}'",
                          "errorType": "Runtime.HandlerNotFound", "requestId": "", "stackTrace": []})
    return fn


class _InitError(Exception):
    def __init__(self, error: dict[str, Any]) -> None:
        super().__init__(error["errorMessage"])
        self.error = error


class _PipeTransport:
    """The worker side of a client call: ask the parent, wait for its answer."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def __call__(self, action: str, resource: str, params: dict[str, Any]) -> Any:
        self.conn.send(("call", action, resource, params))
        message = self.conn.recv()
        _, ok, value = message
        if ok:
            return value
        code, text = value
        raise service_error(code, text)


def worker_main(conn: Any, code_path: str | None, handler: str, memory_mb: int | None) -> None:
    _apply_memory_limit(memory_mb)
    captured = io.StringIO()
    started = time.perf_counter()
    try:
        with contextlib.redirect_stdout(captured), contextlib.redirect_stderr(captured):
            fn = _load_handler(code_path, handler)
    except _InitError as exc:
        conn.send(("init_error", exc.error, captured.getvalue(), (time.perf_counter() - started) * 1000))
        conn.close()
        return
    conn.send(("ready", (time.perf_counter() - started) * 1000, captured.getvalue()))
    client = ResourceClient(_PipeTransport(conn))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message[0] != "invoke":
            return
        _, request_id, event, fields = message
        context = LambdaContext(fields, client)
        log = io.StringIO()
        begin = time.perf_counter()
        try:
            with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
                value = fn(event, context)
            try:
                body = json.dumps(value)
            except (TypeError, ValueError) as exc:
                err = {"errorMessage": f"Unable to marshal response: {exc}", "errorType": "Runtime.MarshalError",
                       "requestId": request_id, "stackTrace": []}
                reply: tuple[Any, ...] = ("error", err)
            else:
                reply = ("result", body)
        except MemoryError as exc:
            err = error_dict(exc, error_type="Runtime.OutOfMemory",
                             message=f"RequestId: {request_id} Error: Runtime exited with error: MemoryError")
            reply = ("error", err)
        except Exception as exc:  # noqa: BLE001 - the function's error, reported as Lambda does
            err = error_dict(exc)
            err["requestId"] = request_id
            reply = ("error", err)
        duration = (time.perf_counter() - begin) * 1000
        try:
            conn.send((*reply, log.getvalue(), duration, _max_memory_mb()))
        except (OSError, ValueError):
            return
        if reply[0] == "error" and reply[1]["errorType"] == "Runtime.OutOfMemory":
            os._exit(1)  # Lambda resets the environment after running out of memory
