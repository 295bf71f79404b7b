"""Invoke benchmark: what the authorization checks add to a warm synchronous invoke.

    python benchmarks/invoke.py            # full run (about 20 s)
    python benchmarks/invoke.py --quick    # fewer, shorter repetitions
    python benchmarks/invoke.py --json     # machine-readable output

Builds a small environment in a temporary folder (a no-op Python handler, an invoking IAM user
whose identity policy allows the invoke under two conditions, a function policy), starts one
`Invoker` and warms its execution environment, then measures in one run:

  (a) `invoker.invoke(caller, fn)` with `EnvironmentAuthorizer(env)` (the default),
  (b) the same call on the same warm environment with `AllowAll()` as the authorizer,
  (c) `EnvironmentAuthorizer.check_invoke` alone, as the invoker calls it (warm),
  (d) `lambda_rules.check_invoke` alone: the full rule, nothing reused between calls but the
      environment's compiled policy sets (what the first invoke after a policy change pays).

The check overhead of a warm invoke is (a) - (b); (a) and (b) are measured alternately, repeat
by repeat, so that drift on a shared machine affects both alike. Target: under 50 µs.
Exit status 1 when a check gives a wrong answer (the caller must be allowed, a stranger
denied); nothing asserts on timing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import timing  # noqa: E402

TARGET_US = 50.0
ACCOUNT = "111122223333"
REGION = "us-east-1"
FUNCTION = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:noop"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/noop-exec"
CALLER = f"arn:aws:iam::{ACCOUNT}:user/alice"
STRANGER = f"arn:aws:iam::{ACCOUNT}:user/mallory"

HANDLER = """
def handler(event, context):
    return None
"""

IDENTITY_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "ReadLogs", "Effect": "Allow", "Action": ["logs:Get*", "logs:Describe*"], "Resource": "*"},
        {"Sid": "InvokeTeamFunctions", "Effect": "Allow",
         "Action": ["lambda:InvokeFunction", "lambda:GetFunction"],
         "Resource": f"arn:aws:lambda:*:{ACCOUNT}:function:*",
         "Condition": {"StringEquals": {"aws:ResourceTag/team": "${aws:PrincipalTag/team}",
                                        "aws:RequestedRegion": ["us-east-1", "eu-west-1"]}}},
        {"Sid": "NoProdFromHere", "Effect": "Deny", "Action": "lambda:*",
         "Resource": f"arn:aws:lambda:*:{ACCOUNT}:function:*",
         "Condition": {"StringEquals": {"aws:ResourceTag/stage": "prod"}}},
    ],
}

FUNCTION_POLICY = {
    "Version": "2012-10-17",
    "Id": "default",
    "Statement": [
        {"Sid": "s3-invoke", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"},
         "Action": "lambda:InvokeFunction", "Resource": FUNCTION,
         "Condition": {"StringEquals": {"AWS:SourceAccount": ACCOUNT},
                       "ArnLike": {"AWS:SourceArn": "arn:aws:s3:::uploads-bucket"}}},
        {"Sid": "team-invoke", "Effect": "Allow", "Principal": {"AWS": CALLER},
         "Action": "lambda:InvokeFunction", "Resource": FUNCTION},
    ],
}


def environment_value() -> dict[str, Any]:
    return {
        "users": [
            {"arn": CALLER, "policies": [IDENTITY_POLICY], "tags": {"team": "payments"}},
            {"arn": STRANGER, "policies": [], "tags": {"team": "other"}},
        ],
        "roles": [{"arn": ROLE, "trust_policy": {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                           "Action": "sts:AssumeRole"}]}}],
        "functions": [{"arn": FUNCTION, "role": ROLE, "handler": "app:handler", "code_path": "code",
                       "timeout": 10.0, "resource_policy": FUNCTION_POLICY,
                       "tags": {"team": "payments", "stage": "dev"}}],
    }


def import_policyengine() -> tuple[Any, str]:
    try:
        import policyengine  # noqa: F401
    except ImportError:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        try:
            import policyengine  # noqa: F401
        except ImportError as exc:
            return None, f"policyengine not available ({exc})"
    return sys.modules["policyengine"], ""


def build(folder: Path) -> Any:
    from policyengine.environment import Environment

    (folder / "code").mkdir()
    (folder / "code" / "app.py").write_text(textwrap.dedent(HANDLER))
    path = folder / "environment.json"
    path.write_text(json.dumps(environment_value(), indent=2))
    return Environment.load(path)


def measure_alternating(fns: list[Callable[[], object]], settings: timing.Settings) -> list[timing.Measurement]:
    """Each callable in turn, repeat by repeat, with one loop count (scaled on the slowest)."""
    for fn in fns:
        fn()
    loops = max(timing._loops_for(fn, settings.target_s * 1e9) for fn in fns)
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(settings.repeats):
        for fn, out in zip(fns, times):
            out.append(timing.run_calls(fn, loops) / loops)
    return [timing.Measurement(statistics.median(t), min(t), max(t), loops, settings.repeats) for t in times]


def run(settings: timing.Settings, log: Any) -> dict[str, Any]:
    from policyengine import lambda_rules
    from policyengine.invoker import Invoker
    from policyengine.invoker.authorizer import AllowAll, EnvironmentAuthorizer

    with tempfile.TemporaryDirectory(prefix="pe-invoke-bench-") as tmp:
        env = build(Path(tmp))
        authorizer = EnvironmentAuthorizer(env)
        uncached = EnvironmentAuthorizer(env, cache=False)
        allow_all = AllowAll()
        inv = Invoker(env, authorizer, idle_timeout=3600.0)
        try:
            # correctness first: the caller is allowed, a stranger is denied, the handler runs
            problems = []
            if not lambda_rules.check_invoke(env, CALLER, FUNCTION).allowed:
                problems.append("the caller is denied by lambda_rules.check_invoke")
            if not authorizer.check_invoke(CALLER, FUNCTION, "RequestResponse").allowed:
                problems.append("the caller is denied by EnvironmentAuthorizer.check_invoke")
            if authorizer.check_invoke(STRANGER, FUNCTION, "RequestResponse").allowed:
                problems.append("a caller without permission is allowed")
            first = inv.invoke(CALLER, FUNCTION, {})
            if first.status_code != 200 or first.function_error is not None:
                problems.append(f"the first invoke failed: {first.status_code} {first.payload}")
            warm = inv.invoke(CALLER, FUNCTION, {})
            if warm.cold_start:
                problems.append("the second invoke was not warm")

            def invoke_checked() -> object:
                inv.authorizer = authorizer
                return inv.invoke(CALLER, FUNCTION, {})

            def invoke_unchecked() -> object:
                inv.authorizer = allow_all
                return inv.invoke(CALLER, FUNCTION, {})

            def invoke_uncached() -> object:
                inv.authorizer = uncached
                return inv.invoke(CALLER, FUNCTION, {})

            print("timing warm invokes (cached checks / AllowAll / uncached checks, alternately) ...",
                  file=log, flush=True)
            checked, unchecked, checked_uncached = measure_alternating(
                [invoke_checked, invoke_unchecked, invoke_uncached], settings)
            inv.authorizer = authorizer
            print("timing EnvironmentAuthorizer.check_invoke ...", file=log, flush=True)
            check = timing.measure(lambda: authorizer.check_invoke(CALLER, FUNCTION, "RequestResponse"),
                                   settings)
            print("timing lambda_rules.check_invoke ...", file=log, flush=True)
            rule = timing.measure(lambda: lambda_rules.check_invoke(env, CALLER, FUNCTION), settings)
            stats = inv.pool.stats(FUNCTION)
        finally:
            inv.close()

    return {
        "checked": checked, "unchecked": unchecked, "checked_uncached": checked_uncached,
        "check": check, "rule": rule,
        "overhead_us": checked.median_us - unchecked.median_us,
        "overhead_uncached_us": checked_uncached.median_us - unchecked.median_us,
        "environments": stats, "problems": problems,
    }


def _per_second(m: timing.Measurement) -> float:
    return 1e9 / m.median_ns


def print_table(r: dict[str, Any]) -> None:
    rows = [
        ("(a) warm sync invoke, EnvironmentAuthorizer", r["checked"]),
        ("(b) warm sync invoke, AllowAll", r["unchecked"]),
        ("(a') warm sync invoke, cache=False", r["checked_uncached"]),
        ("(c) EnvironmentAuthorizer.check_invoke", r["check"]),
        ("(d) lambda_rules.check_invoke (full rule)", r["rule"]),
    ]
    header = f"{'measurement':<46}{'median µs':>11}{'min µs':>10}{'max µs':>10}{'calls/s':>11}{'loops':>9}"
    print(header)
    print("-" * len(header))
    for label, m in rows:
        print(f"{label:<46}{m.median_us:>11,.1f}{m.min_ns / 1000:>10,.1f}{m.max_ns / 1000:>10,.1f}"
              f"{_per_second(m):>11,.0f}{m.loops:>9}")
    overhead = r["overhead_us"]
    verdict = "ok" if overhead < TARGET_US else "MISS"
    print()
    print(f"check overhead per warm invoke, (a) - (b): {overhead:,.1f} µs  "
          f"(target < {TARGET_US:g} µs: {verdict})")
    print(f"the same without the cache, (a') - (b): {r['overhead_uncached_us']:,.1f} µs "
          "(what the first invoke after a policy change pays)")
    print(f"invocations per second: {_per_second(r['checked']):,.0f} checked, "
          f"{_per_second(r['unchecked']):,.0f} with AllowAll")
    for problem in r["problems"]:
        print(f"PROBLEM: {problem}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer, shorter repetitions")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    settings = timing.Settings.for_mode(args.quick)
    pe, status = import_policyengine()
    if pe is None:
        print(status, file=sys.stderr)
        return 1
    r = run(settings, sys.stderr)
    if args.json:
        print(json.dumps({
            "environment": {"python": platform.python_version(), "platform": platform.platform(),
                            "cpus": os.cpu_count(), "policyengine_path": getattr(pe, "__file__", None)},
            "settings": {"target_s": settings.target_s, "repeats": settings.repeats},
            "target_overhead_us": TARGET_US,
            "warm_invoke_checked": r["checked"].as_dict(),
            "warm_invoke_allow_all": r["unchecked"].as_dict(),
            "warm_invoke_uncached": r["checked_uncached"].as_dict(),
            "check_invoke_authorizer": r["check"].as_dict(),
            "check_invoke_rule": r["rule"].as_dict(),
            "check_overhead_us": round(r["overhead_us"], 3),
            "check_overhead_uncached_us": round(r["overhead_uncached_us"], 3),
            "meets_target": r["overhead_us"] < TARGET_US,
            "invocations_per_second": {"checked": round(_per_second(r["checked"]), 1),
                                       "allow_all": round(_per_second(r["unchecked"]), 1),
                                       "uncached": round(_per_second(r["checked_uncached"]), 1)},
            "execution_environments": r["environments"],
            "problems": r["problems"],
        }, indent=2))
    else:
        print_table(r)
    return 1 if r["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
