"""Text output of `policyengine lint` with rich (one of the two modules that import rich).

    file:line:column  SEVERITY  CODE  message

one line per finding; when stdout is a terminal, each is followed by a code frame (the
offending line with two lines of context, marked, and a caret under the column) and the
rule's learn-more sentence. Then a count by severity and what policy types were inferred.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Mapping

from rich.console import Console
from rich.markup import escape

from ..errors import format_path
from ..lint.finding import Finding, Severity
from ..lint.runner import Inference, LintResult

_STYLE = {
    Severity.ERROR: "bold red",
    Severity.SECURITY_WARNING: "bold magenta",
    Severity.WARNING: "yellow",
    Severity.SUGGESTION: "cyan",
}
CONTEXT = 2  # lines shown above and below the offending line
MAX_NOTES = 5  # distinct inference notes shown before "... and N more"


def console() -> Console:
    return Console(highlight=False, soft_wrap=True, emoji=False)  # ARNs hold `:name:` runs


def lint_result(result: LintResult, *, out: Console | None = None, frames: bool | None = None,
                sources: Mapping[str, str] | None = None) -> None:
    """Print the findings, then the summary. `frames` defaults to "stdout is a terminal"."""
    out = out or console()
    show_frames = out.is_terminal if frames is None else frames
    reader = _Sources(sources or {})
    for finding in result.findings:
        out.print(_headline(finding))
        if show_frames:
            frame = reader.frame(finding)
            for line in frame:
                out.print(line)
            if finding.learn_more:
                out.print(f"      [dim]= {escape(finding.learn_more)}[/]")
    _summary(result, out)


def _headline(finding: Finding) -> str:
    where = finding.file or "<input>"
    if finding.line is not None:
        where += f":{finding.line}"
        if finding.column is not None:
            where += f":{finding.column}"
    at = ""
    if finding.line is None and (finding.document or finding.path):
        at = f" (at {format_path(tuple(finding.document) + tuple(finding.path))})"
    style = _STYLE[finding.severity]
    return (f"[bold]{escape(where)}[/]  [{style}]{finding.severity.value}[/]  {finding.code}  "
            f"{escape(finding.message)}{escape(at)}")


class _Sources:
    """File texts for code frames, read once each (`sources` overrides, e.g. stdin's text)."""

    def __init__(self, given: Mapping[str, str]) -> None:
        self.texts: dict[str, list[str] | None] = {k: v.splitlines() for k, v in given.items()}

    def lines(self, file: str | None) -> list[str] | None:
        if not file:
            return None
        if file not in self.texts:
            try:
                self.texts[file] = Path(file).read_text(encoding="utf-8-sig").splitlines()
            except (OSError, UnicodeDecodeError):
                self.texts[file] = None
        return self.texts[file]

    def frame(self, finding: Finding) -> list[str]:
        lines = self.lines(finding.file)
        if lines is None or finding.line is None or not 1 <= finding.line <= len(lines):
            return []
        first = max(1, finding.line - CONTEXT)
        last = min(len(lines), finding.line + CONTEXT)
        width = len(str(last))
        out = []
        for number in range(first, last + 1):
            text = escape(lines[number - 1].expandtabs(4))
            if number == finding.line:
                out.append(f"  [bold red]>[/] [dim]{number:>{width}} |[/] {text}")
                if finding.column is not None and finding.column >= 1:
                    prefix = lines[number - 1][: finding.column - 1].expandtabs(4)
                    out.append(f"    {' ' * width} [dim]|[/] {' ' * len(prefix)}[bold red]^[/]")
            else:
                out.append(f"    [dim]{number:>{width}} |[/] [dim]{text}[/]")
        return out


def _summary(result: LintResult, out: Console) -> None:
    counts = result.counts()
    parts = []
    for severity in Severity:
        n = counts[severity.value]
        name = severity.value.lower().replace("_", " ")
        label = f"{n} {name}{'' if n == 1 else 's'}"
        parts.append(f"[{_STYLE[severity]}]{label}[/]" if n else label)
    files = len(result.files)
    total = len(result.findings)
    line = (f"{total} finding{'' if total == 1 else 's'} ({', '.join(parts)}) in {files} "
            f"file{'' if files == 1 else 's'}, {result.documents} document{'' if result.documents == 1 else 's'}")
    extra = []
    if result.suppressed:
        extra.append(f"{result.suppressed} suppressed")
    if result.hidden:
        extra.append(f"{result.hidden} below --min-severity")
    if extra:
        line += f" ({', '.join(extra)})"
    out.print(line)
    for note in _grouped_notes(result.inferred):
        out.print(f"[dim]note:[/] {escape(note)}")
    if result.skipped:
        skipped = [e.file or "" for e in result.skipped]
        shown = ", ".join(skipped[:5]) + (", ..." if len(skipped) > 5 else "")
        one = len(skipped) == 1
        out.print(f"[dim]note:[/] skipped {len(skipped)} file{'' if one else 's'} that hold{'s' if one else ''} "
                  f"no policy: {escape(shown)}")


def _grouped_notes(notes: list[Inference]) -> list[str]:
    """One line per distinct inference; documents inferred alike share one line."""
    groups: dict[str, list[Inference]] = defaultdict(list)
    for note in notes:
        groups[note.what].append(note)
    lines = []
    for what, group in groups.items():
        if len(group) == 1:
            lines.append(str(group[0]))
        else:
            files = list(dict.fromkeys(note.file for note in group))
            shown = ", ".join(files[:3]) + (", ..." if len(files) > 3 else "")
            lines.append(f"{len(group)} documents {what}: {shown}")
    if len(lines) > MAX_NOTES:
        lines = lines[:MAX_NOTES] + [f"... and {len(lines) - MAX_NOTES} more (use --format json to see all)"]
    return lines
