"""`policyengine invoke ENV ...`: the handler runs through the Invoker with the environment's
authorization; exit 0 success, 1 function error or AWS error, 2 bad input; JSON keys are stable;
no worker outlives the command. Also runs examples/lambda/run.py as the README does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from policyengine.cli.main import main
from policyengine.environment import Environment
from policyengine.lambda_rules import check_invoke

ROOT = Path(__file__).resolve().parents[1]
ACCOUNT = "111122223333"
FN = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:app"
LIMITED = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:limited"
BARE = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:bare"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/app-exec"
ALICE, BOB = f"arn:aws:iam::{ACCOUNT}:user/alice", f"arn:aws:iam::{ACCOUNT}:user/bob"
OK_QUEUE = f"arn:aws:sqs:us-east-1:{ACCOUNT}:done"
FAIL_QUEUE = f"arn:aws:sqs:us-east-1:{ACCOUNT}:failed"
KEYS = {"ok", "caller", "function", "invocation_type", "status_code", "error", "function_error", "payload",
        "executed_version", "request_id", "cold_start", "init_duration_ms", "duration_ms", "log_tail", "async"}
ASYNC_KEYS = {"state", "condition", "attempts", "throttles", "status_code", "function_error", "payload",
              "executed_version", "destination", "delivered"}

HANDLER = """
import os, pathlib, time
pathlib.Path(__file__).with_name("init-ran").write_text("init ran")

def handler(event, context):
    print("got", event)
    if event.get("fail"):
        raise ValueError("bad input " + str(event.get("id")))
    if event.get("sleep"):
        time.sleep(event["sleep"])
    if event.get("publish"):
        context.client.sns.publish(TopicArn=event["publish"], Message="hi")
    return {"pid": os.getpid(), "ppid": os.getppid(), "version": context.function_version, "id": event.get("id")}
"""


def allow(action: str, resource: Any) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}]}


@pytest.fixture
def env_file(tmp_path: Path) -> str:
    (tmp_path / "code").mkdir()
    (tmp_path / "code" / "app.py").write_text(textwrap.dedent(HANDLER))  # its Init writes code/init-ran
    fn = {"role": ROLE, "handler": "app:handler", "code_path": "code", "timeout": 5}
    env = {
        "users": [{"arn": ALICE, "policies": [allow("lambda:InvokeFunction", "*")]}, {"arn": BOB}],
        "roles": [{"arn": ROLE, "policies": [allow("sqs:SendMessage", OK_QUEUE)]}],
        "functions": [
            {"arn": FN, **fn, "versions": ["1"], "aliases": {"live": "1"},
             "destinations": {"on_success": OK_QUEUE, "on_failure": FAIL_QUEUE},
             "resource_policy": {"Version": "2012-10-17", "Statement": [
                 {"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "lambda:InvokeFunction",
                  "Resource": FN, "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:s3:::uploads"}}}]}},
            {"arn": LIMITED, **fn, "reserved_concurrency": 0},
            {"arn": BARE, "role": ROLE},
        ],
    }
    path = tmp_path / "env.json"
    path.write_text(json.dumps(env, indent=2))
    return str(path)


def invoke(capsys: pytest.CaptureFixture[str], env_file: str, *argv: str, fmt: str = "json") -> tuple[int, Any, str]:
    code = main(["invoke", env_file, *argv, "--format", fmt])
    out = capsys.readouterr()
    return code, (json.loads(out.out) if fmt == "json" and out.out else out.out), out.err


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie still answers kill(0)
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def gone(pid: int, within: float = 5.0) -> bool:
    end = time.monotonic() + within
    while alive(pid):
        if time.monotonic() > end:
            return False
        time.sleep(0.05)
    return True


# -- RequestResponse ---------------------------------------------------------------------------------


def test_sync_success(env_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = invoke(capsys, env_file, "--caller", ALICE, "--function", FN, "--payload", '{"id": 7}')
    assert code == 0 and set(out) == KEYS
    assert out["ok"] is True and out["status_code"] == 200 and out["error"] is None
    assert out["function_error"] is None and out["payload"]["id"] == 7
    assert out["executed_version"] == "$LATEST" and out["payload"]["version"] == "$LATEST"
    assert out["cold_start"] is True and out["init_duration_ms"] >= 0 and out["duration_ms"] >= 0
    assert out["request_id"] and f"START RequestId: {out['request_id']}" in out["log_tail"]
    assert "got {'id': 7}" in out["log_tail"] and "Init Duration" in out["log_tail"]
    assert out["async"] is None
    assert (Path(env_file).parent / "code" / "init-ran").exists()


def test_sync_alias_runs_its_version(env_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = invoke(capsys, env_file, "--caller", ALICE, "--function", f"{FN}:live")
    assert code == 0 and out["executed_version"] == "1" and out["payload"]["version"] == "1"


def test_sync_text(env_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, text, _ = invoke(capsys, env_file, "--caller", ALICE, "--function", FN, "--payload", '{"id": 1}',
                           fmt="text")
    assert code == 0
    assert "StatusCode: 200" in text and "ExecutedVersion: $LATEST" in text and "cold start (init" in text
    assert 'Payload: {"pid": ' in text and "Log tail:" in text and "REPORT RequestId:" in text


def test_function_error_exits_1_with_type_and_stack(env_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = invoke(capsys, env_file, "--caller", ALICE, "--function", FN, "--payload", '{"fail": true, "id": 3}')
    assert code == 1 and set(out) == KEYS and out["ok"] is False
    assert out["status_code"] == 200 and out["function_error"] == "Unhandled" and out["error"] is None
    assert out["payload"]["errorType"] == "ValueError" and out["payload"]["errorMessage"] == "bad input 3"
    assert any("app.py" in frame for frame in out["payload"]["stackTrace"])
    code, text, _ = invoke(capsys, env_file, "--caller", ALICE, "--function", FN, "--payload", '{"fail": true}',
                           fmt="text")
    assert code == 1
    assert "FunctionError: Unhandled" in text and "ValueError: bad input None" in text and "app.py" in text


def test_denied_client_call_is_a_function_error(env_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    topic = f"arn:aws:sns:us-east-1:{ACCOUNT}:alerts"
    code, out, _ = invoke(capsys, env_file, "--caller", ALICE, "--function", FN, "--payload",
                          json.dumps({"publish": topic}))
    assert code == 1 and out["function_error"] == "Unhandled"
    assert out["payload"]["errorType"] == "AccessDeniedException"
    assert out["payload"]["errorMessage"] == (
        f"User: arn:aws:sts::{ACCOUNT}:assumed-role/app-exec/app is not authorized to perform: sns:Publish on "
        f"resource: {topic} because no identity-based policy allows the sns:Publish action")


def test_access_denied_exits_1_with_aws_code_and_message(env_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    expected = check_invoke(Environment.load(env_file), BOB, FN).error
    code, out, _ = invoke(capsys, env_file, "--caller", BOB, "--function", FN)
    assert code == 1 and set(out) == KEYS and out["ok"] is False
    assert out["status_code"] == 403
    assert out["error"] == {"code": "AccessDeniedException", "message": expected.message, "reason": None}
    assert expected.message.startswith(f"User: {BOB} is not authorized to perform: lambda:InvokeFunction")
    assert out["payload"] is None and out["request_id"] is None
    code, text, _ = invoke(capsys, env_file, "--caller", BOB, "--function", FN, fmt="text")
    assert code == 1 and "AccessDeniedException (HTTP 403)" in text and expected.message in text.replace("\n", "")
    assert not (Path(env_file).parent / "code" / "init-ran").exists()  # nothing ran


def test_service_principal_with_source_arn(env_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    ok = ["--caller", "s3.amazonaws.com", "--function", FN, "--source-arn", "arn:aws:s3:::uploads"]
    assert invoke(capsys, env_file, *ok)[0] == 0
    code, out, _ = invoke(capsys, env_file, *ok[:4], "--source-arn", "arn:aws:s3:::other")
    assert code == 1 and "no resource-based policy allows" in out["error"]["message"]


def test_throttle_and_not_found_exit_1(env_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = invoke(capsys, env_file, "--caller", ALICE, "--function", LIMITED)
    assert code == 1 and out["status_code"] == 429
    assert out["error"] == {"code": "TooManyRequestsException", "message": "Rate Exceeded.",
                            "reason": "ReservedFunctionConcurrentInvocationLimitExceeded"}
    code, out, _ = invoke(capsys, env_file, "--caller", ALICE, "--function", f"{FN}:9")
    assert code == 1 and out["error"]["code"] == "ResourceNotFoundException"


# -- DryRun and Event ------------------------------------------------------------------------------------


def test_dry_run_checks_only(env_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = invoke(capsys, env_file, "--caller", ALICE, "--function", FN, "--invocation-type", "DryRun")
    assert code == 0 and set(out) == KEYS and out["ok"] is True and out["status_code"] == 204
    assert out["payload"] is None and out["cold_start"] is None
    assert not (Path(env_file).parent / "code" / "init-ran").exists()
    code, out, _ = invoke(capsys, env_file, "--caller", BOB, "--function", FN, "--invocation-type", "DryRun")
    assert code == 1 and out["error"]["code"] == "AccessDeniedException"
    # DryRun needs no handler
    assert invoke(capsys, env_file, "--caller", ALICE, "--function", BARE, "--invocation-type", "DryRun")[0] == 0


def test_event_success_reaches_the_destination(env_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = invoke(capsys, env_file, "--caller", ALICE, "--function", FN, "--invocation-type", "Event",
                          "--payload", '{"id": 5}')
    assert code == 0 and set(out) == KEYS and out["status_code"] == 202 and out["request_id"]
    outcome = out["async"]
    assert set(outcome) == ASYNC_KEYS
    assert outcome["state"] == "success" and outcome["attempts"] == 1 and outcome["payload"]["id"] == 5
    assert outcome["destination"] == OK_QUEUE and outcome["delivered"] is True
    assert outcome["executed_version"] == "$LATEST" and outcome["condition"] is None


def test_event_failure_is_retried_then_goes_to_on_failure(env_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = invoke(capsys, env_file, "--caller", ALICE, "--function", FN, "--invocation-type", "Event",
                          "--payload", '{"fail": true, "id": 6}', "--backoff-scale", "0.001")
    assert code == 1 and out["ok"] is False and out["status_code"] == 202
    outcome = out["async"]
    assert outcome["state"] == "on_failure" and outcome["condition"] == "RetriesExhausted"
    assert outcome["attempts"] == 3 and outcome["function_error"] == "Unhandled"
    assert outcome["payload"]["errorType"] == "ValueError"
    # the execution role may not send to the failure queue: the record is not delivered
    assert outcome["destination"] == FAIL_QUEUE and outcome["delivered"] is False
    code, text, _ = invoke(capsys, env_file, "--caller", ALICE, "--function", FN, "--invocation-type", "Event",
                           "--payload", '{"fail": true}', "--backoff-scale", "0.001", fmt="text")
    assert code == 1 and "StatusCode: 202" in text and "after 3 attempts (RetriesExhausted)" in text
    assert "ValueError: bad input None" in text and "not delivered" in text


def test_event_still_pending_after_wait(env_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    started = time.monotonic()
    code, out, _ = invoke(capsys, env_file, "--caller", ALICE, "--function", FN, "--invocation-type", "Event",
                          "--payload", '{"sleep": 1.5}', "--wait", "0.2")
    assert code == 1 and out["async"]["state"] == "pending" and set(out["async"]) == ASYNC_KEYS
    assert time.monotonic() - started < 10


# -- bad input -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("argv, message", [
    (["--function", FN, "--payload", "{not json"], "--payload is not JSON"),
    (["--function", "app"], "is not a Lambda function ARN"),
    (["--function", BARE], "has no `handler`"),
    (["--function", FN, "--wait", "-1"], "must not be negative"),
])
def test_bad_input_exits_2(env_file: str, capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    code, out, err = invoke(capsys, env_file, "--caller", ALICE, *argv)
    assert code == 2 and out == "" and message in err


def test_bad_environment_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = invoke(capsys, str(tmp_path / "missing.json"), "--caller", ALICE, "--function", FN)
    assert code == 2 and "cannot read environment file" in err
    broken = tmp_path / "broken.json"
    broken.write_text('{"functions": [{"arn": 1}]')
    code, _, err = invoke(capsys, str(broken), "--caller", ALICE, "--function", FN)
    assert code == 2 and "broken.json:" in err
    unknown = tmp_path / "unknown.json"
    unknown.write_text('{"functions": [{"arn": "%s", "role": "%s", "handlr": "x:y"}]}' % (FN, ROLE))
    code, _, err = invoke(capsys, str(unknown), "--caller", ALICE, "--function", FN)
    assert code == 2 and "handlr" in err
    assert main(["invoke", str(unknown), "--caller", ALICE]) == 2  # --function missing: argparse's exit 2
    capsys.readouterr()


# -- no leftover processes ------------------------------------------------------------------------------------


def test_no_worker_outlives_the_command(env_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = invoke(capsys, env_file, "--caller", ALICE, "--function", FN)
    assert gone(out["payload"]["pid"])
    _, out, _ = invoke(capsys, env_file, "--caller", ALICE, "--function", FN, "--invocation-type", "Event")
    assert gone(out["async"]["payload"]["pid"])


def test_no_process_outlives_the_command_run_as_a_program(env_file: str) -> None:
    """As a separate program: the worker and the process it was forked from end with it."""
    cmd = [sys.executable, "-m", "policyengine", "invoke", env_file, "--caller", ALICE, "--function", FN,
           "--format", "json"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)["payload"]
    assert gone(payload["pid"]) and gone(payload["ppid"])


# -- the bundled example -----------------------------------------------------------------------------------------


def test_lambda_example_runs_from_any_directory(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "examples" / "lambda" / "run.py")], capture_output=True,
                          text=True, timeout=120, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stdout + done.stderr
    assert "every outcome as expected" in done.stdout and "FAIL" not in done.stdout


def test_readme_quick_start_and_ci_run_the_lambda_example() -> None:
    command = "pip install . && policyengine simulate examples/*.json && python examples/lambda/run.py"
    quick_start = (ROOT / "README.md").read_text().split("## Quick start", 1)[1].split("```sh\n", 1)[1].split("```")[0]
    assert quick_start.splitlines() == [command, "pip install -e '.[test]' && pytest"]
    ci = (ROOT / ".ci" / "run").read_text()
    assert ('pip install --quiet "$root" && policyengine simulate examples/*.json && python examples/lambda/run.py'
            in ci.split("quick start 2")[0])
