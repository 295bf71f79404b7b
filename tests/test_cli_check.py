"""`policyengine check ...`: JSON is exactly CheckResult.to_dict(); exit 0 allowed, 1 not, 2 bad input."""

from __future__ import annotations

import json

import pytest

from policyengine.cli.main import main
from policyengine.environment import Environment
from policyengine.lambda_rules import check_create_function, check_invoke, function_can

from test_lambda_rules import A, B, DLQ, FN, NEW, ROLE, BARE_ROLE, env_dict, user


@pytest.fixture
def env_file(tmp_path):
    path = tmp_path / "env.json"
    path.write_text(json.dumps(env_dict()))
    return str(path)


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_invoke_json_is_to_dict(env_file, capsys):
    code, out, _ = run(capsys, "check", "invoke", env_file, "--caller", user("alice"), "--function", FN,
                       "--format", "json")
    assert code == 0
    expected = check_invoke(Environment.load(env_file), user("alice"), FN).to_dict()
    assert json.loads(out) == expected


@pytest.mark.parametrize("argv, code, error", [
    (["--caller", user("bob"), "--function", FN], 1, "AccessDeniedException"),
    (["--caller", user("erin"), "--function", f"{FN}:9"], 1, "ResourceNotFoundException"),
    (["--caller", user("alice"), "--function", f"arn:aws:lambda:us-east-1:{A}:function:nope"], 1,
     "ResourceNotFoundException"),
    (["--caller", user("carol", B), "--function", f"{FN}:live", "--invocation-type", "DryRun"], 0, None),
    (["--caller", "s3.amazonaws.com", "--function", FN, "--source-arn", "arn:aws:s3:::uploads",
      "--source-account", A], 0, None),
    (["--caller", "s3.amazonaws.com", "--function", FN, "--context", "aws:SourceArn=arn:aws:s3:::uploads",
      "--context", f"aws:SourceAccount={A}"], 0, None),
    (["--caller", "s3.amazonaws.com", "--function", FN, "--source-arn", "arn:aws:s3:::other"], 1,
     "AccessDeniedException"),
])
def test_invoke_exit_codes(env_file, capsys, argv, code, error):
    got, out, _ = run(capsys, "check", "invoke", env_file, *argv, "--format", "json")
    result = json.loads(out)
    assert got == code and result["allowed"] is (code == 0)
    assert (result["error"]["code"] if result["error"] else None) == error
    if error:
        assert set(result["error"]) == {"code", "message"}


def test_create_function_json(env_file, capsys):
    argv = ["check", "create-function", env_file, "--caller", user("alice"), "--function", NEW, "--role", BARE_ROLE,
            "--subnet-id", "subnet-1", "--subnet-id", "subnet-2", "--security-group-id", "sg-1", "--format", "json"]
    code, out, _ = run(capsys, *argv)
    assert code == 1
    env = Environment.load(env_file)
    assert json.loads(out) == check_create_function(env, user("alice"), NEW, BARE_ROLE, vpc_config={
        "subnet_ids": ["subnet-1", "subnet-2"], "security_group_ids": ["sg-1"]}).to_dict()
    assert json.loads(out)["error"]["message"] == ("The provided execution role does not have permissions to call "
                                                   "CreateNetworkInterface on EC2")
    code, out, _ = run(capsys, "check", "create-function", env_file, "--caller", user("alice"), "--function", NEW,
                       "--role", ROLE, "--dead-letter-target", DLQ, "--format", "json")
    assert code == 0 and json.loads(out)["error"] is None


def test_update_function_configuration(env_file, capsys):
    code, out, _ = run(capsys, "check", "update-function-configuration", env_file, "--caller", user("alice"),
                       "--function", FN, "--format", "json")
    assert code == 0
    assert json.loads(out)["checks"][0]["action"] == "lambda:UpdateFunctionConfiguration"
    code, _, _ = run(capsys, "check", "update-function-configuration", env_file, "--caller", user("bob"),
                     "--function", FN, "--role", ROLE)
    assert code == 1


def test_function_can(env_file, capsys):
    code, out, _ = run(capsys, "check", "function-can", env_file, "--function", FN, "--action", "sqs:SendMessage",
                       "--resource", DLQ, "--format", "json")
    assert code == 0
    assert json.loads(out) == function_can(Environment.load(env_file), FN, "sqs:SendMessage", DLQ).to_dict()
    table = f"arn:aws:dynamodb:us-east-1:{A}:table/orders"
    code, _, _ = run(capsys, "check", "function-can", env_file, "--function", FN, "--action", "dynamodb:GetItem",
                     "--resource", table, "--context", f"lambda:SourceFunctionArn={FN}x")
    assert code == 1


def test_text_output(env_file, capsys):
    code, out, _ = run(capsys, "check", "invoke", env_file, "--caller", user("bob"), "--function", FN)
    assert code == 1
    assert "AccessDeniedException" in out and "is not authorized to perform: lambda:InvokeFunction" in out
    assert "invoke_function" in out and "implicitDeny" in out
    code, out, _ = run(capsys, "check", "invoke", env_file, "--caller", user("alice"), "--function", FN)
    assert code == 0 and out.startswith("allowed")


@pytest.mark.parametrize("argv", [
    ["check", "invoke", "/nonexistent/env.json", "--caller", "x", "--function", FN],
    ["check", "invoke", "ENV", "--caller", user("alice"), "--function", "not-an-arn"],
    ["check", "invoke", "ENV", "--caller", user("alice"), "--function", FN, "--context", "novalue"],
    ["check", "invoke", "ENV", "--caller", user("alice"), "--function", FN, "--invocation-type", "Sync"],
    ["check", "create-function", "ENV", "--caller", user("alice"), "--function", NEW],  # --role required
    ["check", "invoke", "ENV", "--caller", "not a principal", "--function", FN],
])
def test_bad_input_exits_2(env_file, capsys, argv):
    argv = [env_file if a == "ENV" else a for a in argv]
    code, _, _ = run(capsys, *argv)
    assert code == 2


def test_bad_environment_file(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"functions": [{"arn": 1}]}')
    code, _, err = run(capsys, "check", "invoke", str(bad), "--caller", user("alice"), "--function", FN)
    assert code == 2 and err
