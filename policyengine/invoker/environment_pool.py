"""Execution environments (worker processes) per function version, and the concurrency they allow.

An `ExecutionEnvironment` is one worker process (see `worker.py`) for one function version. It
runs Init when it starts (the cold start) and then serves one invocation at a time (warm starts).
A timeout kills the process and the environment is gone; so is one whose process died (out of
memory, `os._exit`, a crash); the next request makes a new one.

`EnvironmentPool` keeps them per (function ARN, version):
- checkout: a free provisioned environment first, then the most recently used idle on-demand
  one, else a new one (cold start);
- idle on-demand environments are recycled after `idle_timeout` seconds (AWS publishes no value:
  it is a parameter); provisioned ones are kept, N per version, initialized ahead of time;
- concurrency slots: a function's in-flight invocations (all versions) may not exceed its
  reserved concurrency (0 throttles everything), and the account's total may not exceed
  `account_concurrency`; beyond either the caller gets `TooManyRequestsException` with AWS's
  `Reason`.
Every wait is bounded: Init by `init_timeout`, an invocation by the function's timeout.
As in AWS (Lambda developer guide, "Understanding the Lambda execution environment lifecycle"):
an on-demand Init has `init_timeout` (10 s); when it times out, Init is run again for the
invocation that needed it, bounded by the function's timeout, and that re-run counts towards the
invocation's duration and timeout (no separate Init Duration is reported). A provisioned
environment's Init may take up to `provisioned_init_timeout` (130 s) or the function's timeout,
whichever is higher.
"""

from __future__ import annotations

import atexit
import json
import multiprocessing
import threading
import time
import weakref
from dataclasses import dataclass, field
from typing import Any, Callable

from .errors import TooManyRequestsException
from .worker import worker_main

CallHandler = Callable[[str, str, dict[str, Any]], tuple[bool, Any]]


@dataclass(frozen=True)
class FunctionSpec:
    """What an environment needs to run one function version."""

    function_arn: str  # unqualified
    version: str
    handler: str
    code_path: str | None
    memory_size: int = 128
    timeout: float = 3.0

    @property
    def key(self) -> tuple[str, str]:
        return (self.function_arn, self.version)


@dataclass
class RunOutcome:
    ok: bool
    payload: Any = None
    error: dict[str, Any] | None = None
    log: str = ""
    duration_ms: float = 0.0
    max_memory_mb: int = 0
    init_ms: float | None = None
    cold_start: bool = False
    timed_out: bool = False


class InitFailure(Exception):
    def __init__(self, error: dict[str, Any], log: str, init_ms: float) -> None:
        super().__init__(error.get("errorMessage", "init failed"))
        self.error = error
        self.log = log
        self.init_ms = init_ms


def default_start_method() -> str:
    methods = multiprocessing.get_all_start_methods()
    return "forkserver" if "forkserver" in methods else "spawn"


_start_lock = threading.Lock()


class ExecutionEnvironment:
    def __init__(self, spec: FunctionSpec, mp_context: Any, *, provisioned: bool = False,
                 memory_limit: bool = True) -> None:
        self.spec = spec
        self.provisioned = provisioned
        self._ctx = mp_context
        self._memory_limit = memory_limit
        self.process: Any = None
        self.conn: Any = None
        self.init_ms: float | None = None
        self.init_log = ""
        # Seconds of a re-run Init that the first invocation pays for (a "suppressed" Init).
        self.init_charged = 0.0
        self.last_used = time.monotonic()
        self.invocations = 0
        self.alive = False

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self, init_timeout: float) -> None:
        """Start the process and run Init; raise `InitFailure` (the environment is then closed)."""
        parent, child = self._ctx.Pipe()
        self.process = self._ctx.Process(
            target=worker_main,
            args=(child, self.spec.code_path, self.spec.handler, self.spec.memory_size if self._memory_limit else None),
            daemon=True, name=f"lambda-env:{self.spec.function_arn.rsplit(':', 1)[-1]}:{self.spec.version}",
        )
        with _start_lock:
            self.process.start()
        child.close()
        self.conn = parent
        try:
            if not parent.poll(init_timeout):
                self.close()
                raise InitFailure({"errorMessage": f"Init timed out after {init_timeout:.2f} seconds",
                                   "errorType": "Runtime.InitTimeout", "stackTrace": []}, "", init_timeout * 1000)
            message = parent.recv()
        except (EOFError, OSError):
            self.close()
            raise InitFailure({"errorMessage": "Runtime exited during Init", "errorType": "Runtime.ExitError",
                               "stackTrace": []}, "", 0.0) from None
        if message[0] == "init_error":
            _, error, log, init_ms = message
            self.close()
            raise InitFailure(error, log, init_ms)
        _, self.init_ms, self.init_log = message
        self.alive = True
        self.last_used = time.monotonic()

    def close(self) -> None:
        self.alive = False
        conn, process = self.conn, self.process
        if conn is not None:
            try:
                conn.send(("stop",))
            except (OSError, ValueError, BrokenPipeError):
                pass
            conn.close()
            self.conn = None
        if process is not None:
            process.join(0.5)
            if process.is_alive():
                process.kill()
                process.join(1.0)
            self.process = None

    def kill(self) -> None:
        self.alive = False
        if self.process is not None:
            self.process.kill()
            self.process.join(1.0)
            self.process = None
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    # -- one invocation -----------------------------------------------------------------------------

    def run(self, request_id: str, event: Any, fields: dict[str, Any], on_call: CallHandler) -> RunOutcome:
        timeout = self.spec.timeout
        charged, self.init_charged = self.init_charged, 0.0
        budget = max(timeout - charged, 0.0)
        deadline = time.monotonic() + budget
        conn = self.conn
        self.invocations += 1
        try:
            conn.send(("invoke", request_id, event, {**fields, "remaining_ms": budget * 1000}))
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not conn.poll(remaining):
                    self.kill()
                    return RunOutcome(False, error={
                        "errorMessage": f"{request_id} Task timed out after {timeout:.2f} seconds",
                        "errorType": "Sandbox.Timedout", "stackTrace": []},
                        duration_ms=timeout * 1000, timed_out=True)
                message = conn.recv()
                if message[0] == "call":
                    _, action, resource, params = message
                    conn.send(("call_result", *on_call(action, resource, params)))
                    continue
                break
        except (EOFError, OSError, BrokenPipeError):
            code = self.process.exitcode if self.process is not None else None
            self.kill()
            signal = "signal: killed" if code is not None and code < 0 else f"exit status {code}"
            return RunOutcome(False, error={
                "errorMessage": f"RequestId: {request_id} Error: Runtime exited with error: {signal}",
                "errorType": "Runtime.ExitError", "stackTrace": []})
        kind, body, log, duration, max_mem = message
        duration += charged * 1000
        self.last_used = time.monotonic()
        if kind == "result":
            return RunOutcome(True, payload=json.loads(body), log=log, duration_ms=duration, max_memory_mb=max_mem)
        if body.get("errorType") == "Runtime.OutOfMemory":
            self.kill()
        return RunOutcome(False, error=body, log=log, duration_ms=duration, max_memory_mb=max_mem)


@dataclass
class _VersionEnvs:
    idle: list[ExecutionEnvironment] = field(default_factory=list)
    provisioned_idle: list[ExecutionEnvironment] = field(default_factory=list)
    busy: set[ExecutionEnvironment] = field(default_factory=set)
    provisioned_target: int = 0


_pools: weakref.WeakSet[EnvironmentPool] = weakref.WeakSet()


@atexit.register
def _close_all_pools() -> None:
    for pool in list(_pools):
        pool.close()


class EnvironmentPool:
    def __init__(self, *, start_method: str | None = None, idle_timeout: float = 300.0,
                 init_timeout: float = 10.0, provisioned_init_timeout: float = 130.0,
                 account_concurrency: int = 1000, memory_limit: bool = True) -> None:
        method = start_method or default_start_method()
        self._ctx = multiprocessing.get_context(method)
        if method == "forkserver":
            self._ctx.set_forkserver_preload(["policyengine.invoker.worker"])
        self.idle_timeout = idle_timeout
        self.init_timeout = init_timeout
        self.provisioned_init_timeout = provisioned_init_timeout
        self.account_concurrency = account_concurrency
        self.memory_limit = memory_limit
        self._lock = threading.Lock()
        self._versions: dict[tuple[str, str], _VersionEnvs] = {}
        self._inflight: dict[str, int] = {}
        self._inflight_total = 0
        self.recycled = 0
        self.closed = False
        _pools.add(self)

    # -- concurrency ------------------------------------------------------------------------------

    def acquire_slot(self, function_arn: str, reserved: int | None) -> None:
        with self._lock:
            running = self._inflight.get(function_arn, 0)
            if reserved is not None and running >= reserved:
                raise TooManyRequestsException("Rate Exceeded.",
                                               reason="ReservedFunctionConcurrentInvocationLimitExceeded")
            if reserved is None and self._inflight_total >= self.account_concurrency:
                raise TooManyRequestsException("Rate Exceeded.", reason="ConcurrentInvocationLimitExceeded")
            self._inflight[function_arn] = running + 1
            self._inflight_total += 1

    def release_slot(self, function_arn: str) -> None:
        with self._lock:
            self._inflight[function_arn] -= 1
            self._inflight_total -= 1

    def in_flight(self, function_arn: str) -> int:
        with self._lock:
            return self._inflight.get(function_arn, 0)

    # -- environments -------------------------------------------------------------------------------

    def _envs(self, key: tuple[str, str]) -> _VersionEnvs:
        envs = self._versions.get(key)
        if envs is None:
            envs = self._versions[key] = _VersionEnvs()
        return envs

    def checkout(self, spec: FunctionSpec) -> tuple[ExecutionEnvironment, bool]:
        """(environment, cold_start). A new environment is started (Init run) before returning."""
        self.reap_idle()
        with self._lock:
            envs = self._envs(spec.key)
            for source in (envs.provisioned_idle, envs.idle):
                while source:
                    env = source.pop()
                    if env.alive:
                        envs.busy.add(env)
                        return env, False
        env = self._start_on_demand(spec)  # InitFailure propagates: nothing to give back
        with self._lock:
            envs.busy.add(env)
        return env, True

    def _start_on_demand(self, spec: FunctionSpec) -> ExecutionEnvironment:
        """A new environment, Init run; a timed-out Init is run again within the function's timeout."""
        env = ExecutionEnvironment(spec, self._ctx, memory_limit=self.memory_limit)
        try:
            env.start(self.init_timeout)
            return env
        except InitFailure as failure:
            if failure.error.get("errorType") != "Runtime.InitTimeout":
                raise
        env = ExecutionEnvironment(spec, self._ctx, memory_limit=self.memory_limit)
        env.start(spec.timeout)
        env.init_charged = (env.init_ms or 0.0) / 1000
        env.init_ms = None  # reported inside the invocation's duration
        return env

    def checkin(self, env: ExecutionEnvironment) -> None:
        with self._lock:
            envs = self._envs(env.spec.key)
            envs.busy.discard(env)
            dead = not env.alive or self.closed
            if not dead:
                (envs.provisioned_idle if env.provisioned else envs.idle).append(env)
        if dead:
            env.close()
            if env.provisioned and not self.closed:
                self._top_up(env.spec)

    def set_provisioned(self, spec: FunctionSpec, count: int) -> None:
        """Keep `count` initialized environments for this version (started now, never idle-recycled)."""
        with self._lock:
            envs = self._envs(spec.key)
            envs.provisioned_target = count
            extra = envs.provisioned_idle[count:]
            del envs.provisioned_idle[count:]
        for env in extra:
            env.close()
        self._top_up(spec)

    def _top_up(self, spec: FunctionSpec) -> None:
        while True:
            with self._lock:
                envs = self._envs(spec.key)
                have = len(envs.provisioned_idle) + sum(1 for e in envs.busy if e.provisioned)
                if have >= envs.provisioned_target or self.closed:
                    return
            env = ExecutionEnvironment(spec, self._ctx, provisioned=True, memory_limit=self.memory_limit)
            env.start(max(self.provisioned_init_timeout, spec.timeout))
            with self._lock:
                envs.provisioned_idle.append(env)

    def reap_idle(self, now: float | None = None) -> int:
        """Close on-demand environments idle for longer than `idle_timeout`; how many were closed."""
        now = time.monotonic() if now is None else now
        stale: list[ExecutionEnvironment] = []
        with self._lock:
            for envs in self._versions.values():
                keep = [e for e in envs.idle if e.alive and now - e.last_used < self.idle_timeout]
                stale += [e for e in envs.idle if e not in keep]
                envs.idle = keep
        for env in stale:
            env.close()
        self.recycled += len(stale)
        return len(stale)

    def retire_version(self, key: tuple[str, str]) -> None:
        """Drop every idle environment of a version (after a code or configuration change)."""
        with self._lock:
            envs = self._versions.pop(key, None)
        if envs is not None:
            for env in envs.idle + envs.provisioned_idle:
                env.close()

    def stats(self, function_arn: str, version: str = "$LATEST") -> dict[str, int]:
        with self._lock:
            envs = self._envs((function_arn, version))
            return {"idle": len(envs.idle), "provisioned_idle": len(envs.provisioned_idle), "busy": len(envs.busy),
                    "in_flight": self._inflight.get(function_arn, 0)}

    def worker_pids(self) -> list[int]:
        with self._lock:
            envs = [e for v in self._versions.values() for e in (*v.idle, *v.provisioned_idle, *v.busy)]
        return [e.pid for e in envs if e.pid is not None]

    def close(self) -> None:
        with self._lock:
            self.closed = True
            envs = [e for v in self._versions.values() for e in (*v.idle, *v.provisioned_idle, *v.busy)]
            self._versions.clear()
        for env in envs:
            env.close()
