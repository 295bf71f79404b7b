"""Text output of `policyengine check` (rich)."""

from __future__ import annotations

from rich.markup import escape

from ..lambda_rules import CheckResult
from .render import _STYLE, _console


def check_result(outcome: CheckResult) -> None:
    console = _console()
    if outcome.allowed:
        console.print("[bold green]allowed[/]")
    else:
        assert outcome.error is not None
        console.print(f"[bold red]denied[/]: [bold]{escape(outcome.error.code)}[/] "
                      f"(HTTP {outcome.error.http_status})")
        console.print(f"  {escape(outcome.error.message)}")
    for check in outcome.checks:
        d = check.decision
        console.print(f"[bold]{escape(check.name)}[/] {escape(check.action)} by {escape(check.principal)} "
                      f"on {escape(check.resource)}: [{_STYLE[d.decision]}]{d.decision}[/]")
        reasons = d.reasons
        if reasons:
            console.print(f"  {escape(reasons[0])}")
        for line in reasons[1:]:
            console.print(f"  • {escape(line)}")
