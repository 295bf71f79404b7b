"""Text output of `policyengine invoke` (rich), from the report `cli/invoke.py` builds."""

from __future__ import annotations

import json
from typing import Any

from rich.markup import escape

from .render import _console


def _json(value: Any) -> str:
    return escape(json.dumps(value, sort_keys=False))


def _function_error(console: Any, error: Any, indent: str = "") -> None:
    if not isinstance(error, dict):
        console.print(f"{indent}{_json(error)}")
        return
    console.print(f"{indent}[bold red]{escape(str(error.get('errorType', 'Error')))}[/]: "
                  f"{escape(str(error.get('errorMessage', '')))}")
    for frame in error.get("stackTrace") or []:
        for line in str(frame).rstrip("\n").splitlines():
            console.print(f"{indent}{escape(line)}")


def invoke_report(out: dict[str, Any]) -> None:
    console = _console()
    error = out["error"]
    if error is not None:
        reason = f", reason {escape(error['reason'])}" if error.get("reason") else ""
        console.print(f"[bold red]{escape(error['code'])}[/] (HTTP {out['status_code']}{reason})")
        console.print(f"  {escape(error['message'])}")
        return
    kind = out["invocation_type"]
    if kind == "DryRun":
        console.print(f"StatusCode: {out['status_code']}   [bold green]dry run: allowed[/] "
                      f"(ExecutedVersion {escape(str(out['executed_version']))}; nothing ran)")
        return
    if kind == "Event":
        _event(console, out)
        return
    head = [f"StatusCode: {out['status_code']}"]
    if out["function_error"]:
        head.append(f"[bold red]FunctionError: {escape(out['function_error'])}[/]")
    head.append(f"ExecutedVersion: {escape(str(out['executed_version']))}")
    if out["cold_start"]:
        head.append(f"cold start (init {out['init_duration_ms']:.2f} ms)")
    else:
        head.append("warm start")
    head.append(f"duration {out['duration_ms']:.2f} ms")
    console.print("   ".join(head))
    if out["function_error"]:
        _function_error(console, out["payload"])
    else:
        console.print(f"[bold green]Payload[/]: {_json(out['payload'])}")
    if out["log_tail"]:
        console.print("[bold]Log tail[/]:")
        for line in out["log_tail"].rstrip("\n").splitlines():
            console.print(f"  [dim]{escape(line)}[/]")


_STATES = {"success": "[bold green]success[/]", "on_failure": "[bold red]failed[/] (on-failure destination)",
           "dead_letter": "[bold red]failed[/] (dead-letter queue)", "dropped": "[bold red]failed[/] (dropped)",
           "pending": "[bold yellow]still pending[/]"}


def _event(console: Any, out: dict[str, Any]) -> None:
    outcome = out["async"]
    console.print(f"StatusCode: {out['status_code']}   queued, RequestId {escape(str(out['request_id']))}")
    attempts = outcome["attempts"]
    detail = f" after {attempts} attempt{'s' if attempts != 1 else ''}"
    if outcome["throttles"]:
        detail += f", {outcome['throttles']} throttled"
    if outcome["condition"]:
        detail += f" ({escape(outcome['condition'])})"
    console.print(f"async outcome: {_STATES[outcome['state']]}{detail}")
    if outcome["state"] == "pending":
        return
    if outcome["function_error"]:
        _function_error(console, outcome["payload"], "  ")
    elif outcome["state"] == "success":
        console.print(f"  Payload: {_json(outcome['payload'])}")
    if outcome["destination"]:
        status = "[green]delivered[/]" if outcome["delivered"] else \
            "[red]not delivered[/] (the execution role may not send to it)"
        console.print(f"  to {escape(outcome['destination'])}: {status}")
