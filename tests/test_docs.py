"""The documentation runs: every ```python block in docs/*.md is executed, so the docs
cannot drift from the code.

- A page reads as one session: its blocks share one namespace and run in page order
  (the test of a block first replays the blocks above it).
- A block written in doctest style (`>>> ` prompts followed by the expected output) is
  checked with `doctest` (ELLIPSIS and NORMALIZE_WHITESPACE on, so long output may be
  trimmed with `...`). A plain block is exec'd and must not raise.
- The working directory is the repository root, so examples can open `examples/...`.
- ```sh blocks are not run.

Besides the blocks, a few checks tie the reference tables to the code: every
DecisionCode, scenario key and condition operator is documented, and every relative
link between pages (and its `#anchor`) resolves.
"""

from __future__ import annotations

import doctest
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import policyengine as pe
from policyengine.evaluation.conditions import REGISTRY
from policyengine.simulate import REQUEST_KEYS, SCENARIO_KEYS

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md"))
FENCE = re.compile(r"^```python[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
OPTIONS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


@dataclass(frozen=True)
class Block:
    page: Path
    line: int  # 1-based line of the block's first code line
    source: str

    @property
    def where(self) -> str:
        return f"docs/{self.page.name}:{self.line}"

    @property
    def is_doctest(self) -> bool:
        return any(line.lstrip().startswith(">>>") for line in self.source.splitlines())


def blocks_of(page: Path) -> list[Block]:
    text = page.read_text(encoding="utf-8")
    return [Block(page, text.count("\n", 0, m.start(1)) + 1, m.group(1)) for m in FENCE.finditer(text)]


BLOCKS = [block for page in PAGES for block in blocks_of(page)]


def run_block(block: Block, globs: dict[str, Any]) -> str | None:
    """Run one block in `globs`; a failure report, or None when it passed."""
    if not block.is_doctest:
        exec(compile(block.source, block.where, "exec"), globs)  # noqa: S102 - our own docs
        return None
    test = doctest.DocTestParser().get_doctest(block.source, globs, block.where, str(block.page), block.line - 1)
    runner = doctest.DocTestRunner(optionflags=OPTIONS)
    report: list[str] = []
    runner.run(test, out=report.append, clear_globs=False)
    globs.update(test.globs)  # DocTest works on a copy; carry its names to the next block
    return "".join(report) if runner.failures else None


def test_there_are_docs_to_check() -> None:
    assert {p.name for p in PAGES} >= {"index.md", "concepts.md", "decisions.md", "simulate.md", "library.md",
                                       "architecture.md"}
    assert len(BLOCKS) >= 10


@pytest.mark.parametrize("block", BLOCKS, ids=[b.where for b in BLOCKS])
def test_python_block_runs(block: Block, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    globs: dict[str, Any] = {"__name__": f"docs_{block.page.stem}"}
    for earlier in (b for b in BLOCKS if b.page == block.page and b.line < block.line):
        try:
            failure = run_block(earlier, globs)
        except Exception as exc:  # noqa: BLE001 - reported below
            failure = repr(exc)
        if failure is not None:
            pytest.fail(f"{block.where} depends on {earlier.where}, which fails:\n{failure}")
    failure = run_block(block, globs)
    if failure is not None:
        pytest.fail(failure, pytrace=False)


def _page(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def test_every_decision_code_is_documented() -> None:
    text = _page("decisions.md")
    missing = [code.value for code in pe.DecisionCode if f"`{code.value}`" not in text]
    assert not missing, f"decisions.md does not describe {missing}"


def test_every_scenario_key_is_documented() -> None:
    text = _page("simulate.md")
    missing = [key for key in sorted(SCENARIO_KEYS | REQUEST_KEYS) if f"`{key}`" not in text]
    assert not missing, f"simulate.md does not describe {missing}"


def test_every_condition_operator_is_documented() -> None:
    text = _page("concepts.md")
    missing = [spec.name for spec in REGISTRY if f"`{spec.name}`" not in text]
    assert not missing, f"concepts.md does not list {missing}"


LINK = re.compile(r"\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#+ (.+)$", re.MULTILINE)


def anchors(page: Path) -> set[str]:
    """GitHub's anchors for the headings of a page."""
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    return {re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-") for title in HEADING.findall(text)}


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_relative_links_resolve(page: Path) -> None:
    broken = []
    for link in LINK.findall(page.read_text(encoding="utf-8")):
        if "://" in link:
            continue
        target, _, anchor = link.partition("#")
        path = page.parent / target if target else page
        if not path.exists() or (anchor and path.suffix == ".md" and anchor not in anchors(path)):
            broken.append(link)
    assert not broken, f"{page.name} has broken links: {broken}"
