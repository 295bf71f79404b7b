"""The Lambda example: every decision and invocation checked by policyengine, against env.json.

    python examples/lambda/run.py        # from any directory; exit 0 when every outcome is as expected

It decides who may invoke and deploy the functions, what the execution role may do, and then
runs the two handlers (handlers/resize.py, handlers/notify.py) in worker processes: a sync
invoke (cold, then warm), an async invoke whose record reaches the on-success destination
queue, and a client call the execution role may not make, which raises AccessDeniedException
inside the function.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from policyengine.environment import Environment
from policyengine.invoker import AccessDeniedException, Invoker

HERE = Path(__file__).resolve().parent  # paths resolve from this file, not the working directory
ACCOUNT = "111122223333"
FUNCTIONS = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function"
RESIZE, NOTIFY = f"{FUNCTIONS}:resize", f"{FUNCTIONS}:notify"
ALICE, BOB = f"arn:aws:iam::{ACCOUNT}:user/alice", f"arn:aws:iam::{ACCOUNT}:user/bob"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/thumbnail-exec"
EVENTS_QUEUE = f"arn:aws:sqs:us-east-1:{ACCOUNT}:thumbnail-events"
PAGER_TOPIC = f"arn:aws:sns:us-east-1:{ACCOUNT}:on-call"

failures: list[str] = []


def expect(label: str, got: Any, want: Any) -> None:
    """Print one outcome; remember it if it is not the expected one."""
    ok = got == want
    print(f"{'ok  ' if ok else 'FAIL'} {label}: {got}" + ("" if ok else f" (expected {want})"))
    if not ok:
        failures.append(label)


def outcome(check: Any) -> str:
    """`allowed` or the AWS error code a real call would get."""
    return "allowed" if check.allowed else check.error.code


def decisions(env: Environment) -> None:
    expect("check invoke: alice -> resize", outcome(env.check_invoke(ALICE, RESIZE)), "allowed")
    denied = env.check_invoke(BOB, RESIZE)
    expect("check invoke: bob -> resize", outcome(denied), "AccessDeniedException")
    print(f"       {denied.error.message}")
    expect("check invoke: s3 (bucket uploads) -> resize",
           outcome(env.check_invoke("s3.amazonaws.com", RESIZE, source_arn="arn:aws:s3:::uploads",
                                    source_account=ACCOUNT)), "allowed")
    expect("check invoke: s3 (bucket other) -> resize",
           outcome(env.check_invoke("s3.amazonaws.com", RESIZE, source_arn="arn:aws:s3:::other",
                                    source_account=ACCOUNT)), "AccessDeniedException")
    expect("check invoke: s3 (bucket uploads) -> resize:live (the policy names the unqualified ARN)",
           outcome(env.check_invoke("s3.amazonaws.com", f"{RESIZE}:live", source_arn="arn:aws:s3:::uploads",
                                    source_account=ACCOUNT)), "AccessDeniedException")
    expect("check create-function: alice creates thumbnail-v2 with the execution role",
           outcome(env.check_create_function(ALICE, f"{FUNCTIONS}:thumbnail-v2", ROLE)), "allowed")
    expect("check create-function: bob creates thumbnail-v2",
           outcome(env.check_create_function(BOB, f"{FUNCTIONS}:thumbnail-v2", ROLE)), "AccessDeniedException")
    expect("function_can: resize sqs:SendMessage thumbnail-events",
           outcome(env.function_can(RESIZE, "sqs:SendMessage", EVENTS_QUEUE)), "allowed")
    expect("function_can: notify sns:Publish on-call",
           outcome(env.function_can(NOTIFY, "sns:Publish", PAGER_TOPIC)), "AccessDeniedException")


def invocations(env: Environment) -> None:
    # backoff_scale shortens AWS's 1- and 2-minute async retry delays; `with` stops every worker.
    with Invoker(env, backoff_scale=0.001) as invoker:
        queue = invoker.create_queue(EVENTS_QUEUE)  # the on-success destination and notify's queue

        first = invoker.invoke(ALICE, RESIZE, {"key": "cat.jpg", "width": 256})
        second = invoker.invoke(ALICE, RESIZE, {"key": "dog.jpg"})
        expect("invoke resize (sync): payload", first.payload["thumbnails"], ["thumbnails/256/cat.jpg"])
        expect("invoke resize (sync): cold start, then warm", (first.cold_start, second.cold_start), (True, False))
        print(f"       init {first.init_duration_ms:.2f} ms, durations {first.duration_ms:.2f} / "
              f"{second.duration_ms:.2f} ms, version {first.executed_version}")

        failed = invoker.invoke(ALICE, RESIZE, {"width": -1})
        expect("invoke resize with width -1: function error",
               (failed.function_error, failed.payload["errorType"]), ("Unhandled", "ValueError"))

        try:
            invoker.invoke(BOB, RESIZE, {})
            expect("invoke resize as bob", "allowed", "AccessDeniedException")
        except AccessDeniedException as exc:
            expect("invoke resize as bob", exc.code, "AccessDeniedException")

        queued = invoker.invoke(ALICE, f"{RESIZE}:live", {"key": "bird.jpg"}, "Event")
        expect("invoke resize:live (Event): status", queued.status_code, 202)
        expect("invoke resize:live (Event): finished", invoker.wait_for_async(30), True)
        records = [json.loads(body) for body in queue.bodies()]
        record = next((r for r in records if r["requestContext"]["requestId"] == queued.request_id), None)
        expect("invoke resize:live (Event): on-success destination record",
               record and (record["requestContext"]["condition"], record["responseContext"]["executedVersion"],
                           record["responsePayload"]["thumbnails"]),
               ("Success", "1", ["thumbnails/128/bird.jpg"]))

        sent = invoker.invoke(ALICE, NOTIFY, {"thumbnail": "thumbnails/128/bird.jpg"})
        expect("invoke notify: allowed sqs:SendMessage", (sent.function_error, queue.bodies()[-1]),
               (None, '{"thumbnail": "thumbnails/128/bird.jpg"}'))
        paged = invoker.invoke(ALICE, NOTIFY, {"thumbnail": "thumbnails/128/bird.jpg", "page": True})
        expect("invoke notify with page: denied sns:Publish inside the function",
               (paged.function_error, paged.payload["errorType"]), ("Unhandled", "AccessDeniedException"))
        print(f"       {paged.payload['errorMessage']}")


def main() -> int:
    env = Environment.load(HERE / "env.json")
    decisions(env)
    invocations(env)
    if failures:
        print(f"{len(failures)} unexpected outcome(s): {', '.join(failures)}")
        return 1
    print("every outcome as expected")
    return 0


if __name__ == "__main__":  # the invoker's worker processes import this file: keep the guard
    sys.exit(main())
