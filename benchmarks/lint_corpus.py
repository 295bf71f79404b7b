"""Lint the AWS managed policy corpus: total time, per-policy median, findings by severity.

    python benchmarks/lint_corpus.py            # in-process: lint_paths on the corpus folder
    python benchmarks/lint_corpus.py --cli      # also time `policyengine lint FOLDER` end to end
    python benchmarks/lint_corpus.py --json     # one JSON object on stdout
    python benchmarks/lint_corpus.py --folder PATH

The corpus is `../shared/corpus/aws-managed-policies` beside the checkout; without it the
script says so and exits 0. The target (issue: lint) is under 10 s for the whole corpus on
the project's 2-core machine. Timings:

- `cold_s`: the first `lint_paths(folder)` in this process, as a CLI run pays it (reading
  the files, loading the action catalogue, every rule on every document);
- `warm_s`: the same again, with the catalogue loaded;
- `per_policy_median_ms` / `p95`: each document linted on its own (`lint_targets([doc])`);
- `cli_s` (with `--cli`): `policyengine lint FOLDER --format json` in a fresh interpreter;
- `parliament` (when installed: `pip install -e '.[bench]'`): the peer, Duo Labs' Parliament,
  and policyengine each given every document as the same JSON text, twice over the corpus;
  the second pass is timed (both have loaded their action data), with the ratio
  Parliament / policyengine, and what each reports.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FOLDER = ROOT.parent / "shared" / "corpus" / "aws-managed-policies"

try:
    import policyengine  # noqa: F401
except ImportError:  # running from a checkout that is not installed
    sys.path.insert(0, str(ROOT))


def measure(folder: Path, *, cli: bool = False) -> dict[str, Any]:
    from policyengine.lint import LintOptions, lint_paths, lint_targets
    from policyengine.lint.inputs import read_targets

    start = time.perf_counter()
    result = lint_paths([str(folder)])
    cold = time.perf_counter() - start

    start = time.perf_counter()
    lint_paths([str(folder)])
    warm = time.perf_counter() - start

    targets, _ = read_targets([str(folder)])
    options = LintOptions()
    per: list[tuple[float, str]] = []
    for target in targets:
        t0 = time.perf_counter()
        lint_targets([target], options)
        per.append((time.perf_counter() - t0, f"{target.file} ({target.label})"))
    times = sorted(t for t, _ in per)
    slowest = max(per) if per else (0.0, "")

    out: dict[str, Any] = {
        "folder": str(folder),
        "files": len(result.files),
        "documents": result.documents,
        "cold_s": round(cold, 3),
        "warm_s": round(warm, 3),
        "per_policy_median_ms": round(statistics.median(times) * 1000, 3) if times else None,
        "per_policy_p95_ms": round(times[int(0.95 * (len(times) - 1))] * 1000, 3) if times else None,
        "slowest": {"document": slowest[1], "ms": round(slowest[0] * 1000, 2)},
        "findings": len(result.findings),
        "by_severity": result.counts(),
        "top_codes": Counter(f.code for f in result.findings).most_common(15),
        "read_errors": [str(e) for e in result.errors],
    }
    if cli:
        command = [sys.executable, "-c", "from policyengine.cli.main import entry_point; entry_point()",
                   "lint", str(folder), "--format", "json"]
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, cwd=ROOT, check=False)
        out["cli_s"] = round(time.perf_counter() - start, 3)
        out["cli_exit_code"] = done.returncode
    return out


def _documents(folder: Path) -> list[tuple[str, str]]:
    """(file name, policy JSON text) of every `get-policy-version` file in the corpus."""
    out = []
    for file in sorted(folder.glob("*.json")):
        document = json.loads(file.read_text(encoding="utf-8"))["PolicyVersion"]["Document"]
        out.append((file.name, document if isinstance(document, str) else json.dumps(document, indent=2)))
    return out


def _timed_pass(documents: list[tuple[str, str]], lint: Any) -> tuple[float, list[float], list[Any]]:
    times, results = [], []
    start = time.perf_counter()
    for _, text in documents:
        t0 = time.perf_counter()
        results.append(lint(text))
        times.append(time.perf_counter() - t0)
    return time.perf_counter() - start, times, results


def compare_parliament(folder: Path) -> dict[str, Any] | None:
    """policyengine and Parliament on the same texts (None: Parliament is not installed)."""
    try:
        from parliament import analyze_policy_string  # type: ignore[import-not-found]
    except ImportError:
        return None
    from policyengine.lint import lint_policy

    def parliament(text: str) -> Any:
        try:
            return analyze_policy_string(text).findings
        except Exception as exc:  # noqa: BLE001 - the peer's own crash, counted
            return exc

    documents = _documents(folder)
    runs: dict[str, Any] = {}
    for name, lint in (("policyengine", lambda text: lint_policy(text, "identity").findings),
                       ("parliament", parliament)):
        _timed_pass(documents, lint)  # loads the action data, warms caches
        total, times, results = _timed_pass(documents, lint)
        crashed = [documents[i][0] for i, r in enumerate(results) if isinstance(r, Exception)]
        results = [r for r in results if not isinstance(r, Exception)]
        codes = Counter(getattr(f, "code", None) or getattr(f, "issue", "?") for r in results for f in r)
        runs[name] = {"total_s": round(total, 3), "median_ms": round(statistics.median(times) * 1000, 3),
                      "documents_flagged": sum(1 for r in results if r), "findings": sum(codes.values()),
                      "crashed": len(crashed), "crashed_examples": crashed[:3],
                      "top_codes": codes.most_common(8)}
    runs["ratio_total"] = round(runs["parliament"]["total_s"] / runs["policyengine"]["total_s"], 2)
    runs["ratio_median"] = round(runs["parliament"]["median_ms"] / runs["policyengine"]["median_ms"], 2)
    return runs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folder", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument("--cli", action="store_true", help="also time the CLI in a fresh interpreter")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        print(f"corpus not found at {args.folder}; nothing to measure", file=sys.stderr)
        return 0
    out = measure(args.folder, cli=args.cli)
    out["parliament"] = compare_parliament(args.folder)
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    print(f"{out['documents']} documents in {out['files']} files")
    print(f"total (cold, as a CLI run): {out['cold_s']:.2f} s   warm: {out['warm_s']:.2f} s")
    if "cli_s" in out:
        print(f"policyengine lint (fresh interpreter): {out['cli_s']:.2f} s, exit code {out['cli_exit_code']}")
    print(f"per policy: median {out['per_policy_median_ms']} ms, p95 {out['per_policy_p95_ms']} ms, "
          f"slowest {out['slowest']['ms']} ms ({out['slowest']['document']})")
    print(f"findings: {out['findings']}  " + "  ".join(f"{k}={v}" for k, v in out["by_severity"].items()))
    for code, n in out["top_codes"]:
        print(f"  {n:6d}  {code}")
    for error in out["read_errors"]:
        print(f"read error: {error}")
    peer = out["parliament"]
    if peer is None:
        print("parliament not installed (pip install -e '.[bench]'): no peer comparison")
        return 0
    print("\nthe same JSON texts, linted in process (second pass; ratio = Parliament / policyengine):")
    for name in ("policyengine", "parliament"):
        run = peer[name]
        crashes = f", crashed on {run['crashed']} ({', '.join(run['crashed_examples'])}, ...)" if run["crashed"] else ""
        print(f"  {name:12s} total {run['total_s']:.2f} s  median {run['median_ms']:.3f} ms/policy  "
              f"{run['findings']} findings on {run['documents_flagged']} documents{crashes}")
        print("               " + ", ".join(f"{code} {n}" for code, n in run["top_codes"]))
    print(f"  ratio: total {peer['ratio_total']}x, median {peer['ratio_median']}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
