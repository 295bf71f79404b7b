"""Text output with rich. The only module that imports rich."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape

_STYLE = {"allowed": "bold green", "explicitDeny": "bold red", "implicitDeny": "bold yellow"}


def _console() -> Console:
    return Console(highlight=False, soft_wrap=True)


def scenarios(results: list[dict[str, Any]], *, explain: bool) -> None:
    console = _console()
    passed = failed = 0
    for result in results:
        if "error" in result:
            console.print(f"[bold red]error[/] {escape(result['name'])}")
            continue
        decision = result["decision"]
        expected = result.get("expected")
        mark = ""
        if expected is not None:
            ok = decision == expected
            passed += ok
            failed += not ok
            mark = " [green]✓ as expected[/]" if ok else f" [red]✗ expected {escape(expected)}[/]"
        console.print(f"[bold]{escape(result['name'])}[/]: [{_STYLE[decision]}]{decision}[/]{mark}")
        reasons = result["reasons"]
        if reasons:
            console.print(f"  {escape(reasons[0])}")
        for statement in result["matched_statements"]:
            if statement["deciding"]:
                where = _where(statement)
                sid = f" `{statement['sid']}`" if statement["sid"] else ""
                console.print(f"  deciding: {statement['effect']} {escape(statement['policy_name'])} "
                              f"statement {statement['statement_index']}{escape(sid)}{escape(where)}")
        for line in reasons[1:]:
            console.print(f"  • {escape(line)}")
        if result["missing_context_keys"]:
            console.print(f"  missing context keys: {escape(', '.join(result['missing_context_keys']))}")
        for error in result.get("errors", []):
            console.print(f"  [red]error:[/] {escape(error)}")
        if explain:
            for row in result.get("trace", []):
                state = "[green]matches[/]" if row["matched"] else f"[dim]no match ({row['failed_element']})[/]"
                sid = f" `{row['sid']}`" if row["sid"] else ""
                console.print(f"    {row['policy_type']} {escape(row['policy_name'])} statement "
                              f"{row['statement_index']}{escape(sid)}: {state} {escape(row['detail'])}")
    if passed or failed:
        style = "red" if failed else "green"
        console.print(f"[{style}]{passed} passed, {failed} failed[/]")


def _where(statement: dict[str, Any]) -> str:
    if statement.get("line"):
        return f" at {statement.get('file') or statement['policy_name']}:{statement['line']}:{statement['column']}"
    return ""
