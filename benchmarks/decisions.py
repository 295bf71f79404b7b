"""Decision benchmark: policyengine.PolicySet.authorize against moto and Cedar (cedarpy).

    python benchmarks/decisions.py            # full run (about a minute)
    python benchmarks/decisions.py --quick    # fewer repetitions
    python benchmarks/decisions.py --json     # machine-readable output

For each workload (see workloads.py) every engine is built once, its answers to the timed request
and to the workload's probe requests are checked against the expected IAM decisions, and then
the median time per decision of the timed request is measured (see timing.py). The AWS managed
policy corpus is also parsed with and without source locations. Exit status 1 when policyengine
or the Cedar translation gives a wrong decision; moto's wrong answers are reported, not failed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402
import timing  # noqa: E402
from peers import Cedar, Engine, Moto, build_engines, import_policyengine  # noqa: E402
from workloads import ALLOWED, Workload, all_workloads  # noqa: E402

ENGINES = ("policyengine", "moto", "cedar")
PEERS = ("moto", "cedar")


@dataclass
class EngineResult:
    answer: str | None = None
    measurement: timing.Measurement | None = None
    probes_passed: int = 0
    probes_failed: list[str] = field(default_factory=list)
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"answer": self.answer,
                "timing": self.measurement.as_dict() if self.measurement else None,
                "probes_passed": self.probes_passed, "probes_failed": self.probes_failed,
                "error": self.error}


@dataclass
class WorkloadResult:
    workload: Workload
    engines: dict[str, EngineResult] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def median_us(self, engine: str) -> float | None:
        result = self.engines.get(engine)
        return result.measurement.median_us if result and result.measurement else None

    def ratio(self, peer: str) -> float | None:
        ours, theirs = self.median_us("policyengine"), self.median_us(peer)
        return theirs / ours if ours and theirs else None

    def as_dict(self) -> dict[str, Any]:
        wl = self.workload
        return {"key": wl.key, "title": wl.title, "statements": wl.statement_count,
                "expected": wl.expected, "target_us": wl.target_us,
                "engines": {name: r.as_dict() for name, r in self.engines.items()},
                "ratios": {peer: _round(self.ratio(peer)) for peer in PEERS},
                "notes": self.notes}


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _error(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def _agrees(engine: str, answer: str | None, expected: str) -> bool:
    if answer is None:
        return False
    return Moto.agrees(answer, expected) if engine == "moto" else answer == expected


def run_workload(workload: Workload, pe: ModuleType | None, names: tuple[str, ...],
                 settings: timing.Settings, log: Any) -> WorkloadResult:
    result = WorkloadResult(workload)
    engines: dict[str, Engine] = {}
    for name in names:
        try:
            engines.update(build_engines(workload, pe, [name]))
        except Exception as exc:  # an engine that cannot load the workload is reported, not fatal
            result.engines[name] = EngineResult(error=f"setup failed: {_error(exc)}")
    for name, engine in engines.items():
        outcome = result.engines.setdefault(name, EngineResult())
        try:
            outcome.answer = engine.decide(workload.request)
            for probe in workload.probes:
                answer = engine.decide(probe.request)
                if _agrees(name, answer, probe.expected):
                    outcome.probes_passed += 1
                else:
                    outcome.probes_failed.append(f"{probe.label}: {answer}")
        except Exception as exc:
            outcome.error = f"decision failed: {_error(exc)}"
            continue
        print(f"  ({workload.key}) timing {name} ...", file=log, flush=True)
        # moto compiles a regex for each pattern it tests; past 512 patterns Python's FIFO `re`
        # cache misses at a rate that depends on its history (measured 3 to 9 ms for (b)).
        # Emptying it before every measurement makes each figure reproducible.
        re.purge()
        outcome.measurement = timing.measure(engine.prepare(workload.request), settings)
    _annotate(result, engines)
    return result


def _annotate(result: WorkloadResult, engines: dict[str, Engine]) -> None:
    workload = result.workload
    label = f"({workload.key})"
    for name, outcome in result.engines.items():
        if outcome.error:
            result.notes.append(f"{label} {name}: {outcome.error}")
        elif outcome.answer != workload.expected and name != "moto":
            result.notes.append(f"{label} MISMATCH {name}: {outcome.answer}, "
                                f"expected {workload.expected}")
        if name != "moto" and outcome.probes_failed:
            result.notes.append(f"{label} MISMATCH {name} probes: "
                                + "; ".join(outcome.probes_failed))
    moto = engines.get("moto")
    moto_outcome = result.engines.get("moto")
    if isinstance(moto, Moto) and moto_outcome and not moto_outcome.error:
        _annotate_moto(result, moto, moto_outcome)
    cedar = engines.get("cedar")
    if isinstance(cedar, Cedar):
        result.notes.append(f"{label} cedar: {cedar.policy_count} Cedar policies, "
                            f"{len(cedar.translation.key_types)} typed context keys")


def _annotate_moto(result: WorkloadResult, moto: Moto, outcome: EngineResult) -> None:
    workload = result.workload
    label = f"({workload.key})"
    if outcome.answer is not None and not Moto.agrees(outcome.answer, workload.expected):
        result.notes.append(
            f"{label} moto WRONG: {outcome.answer}, correct {workload.expected}; "
            f"{moto.explain(workload.request, workload.expected)}")
        if workload.expected == ALLOWED:
            denials = moto.denials(workload.request)
            result.notes.append(f"{label} moto denies at {len(denials)} statements that do not "
                                f"apply: " + "; ".join(denials))
    total = workload.statement_count
    evaluated = moto.statements_evaluated(workload.request)
    if evaluated < total:
        result.notes.append(f"{label} moto stops after {evaluated} of {total} statements "
                            f"(its deny), so its time covers only those")
    wrong: dict[str, list[str]] = {}
    for probe in workload.probes:
        if probe.request == workload.request:
            continue  # reported above
        if not Moto.agrees(moto.decide(probe.request), probe.expected):
            wrong.setdefault(moto.explain(probe.request, probe.expected), []).append(probe.label)
    for reason, labels in wrong.items():
        result.notes.append(f"{label} moto wrong on {len(labels)} of {len(workload.probes)} "
                            f"probes ({'; '.join(labels)}): {reason}")


def _fmt_us(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.1f}" if value < 1000 else f"{value:,.0f}"


def _fmt_ratio(value: float | None, wrong: bool = False) -> str:
    return "-" if value is None else f"{value:,.1f}x" + ("!" if wrong else "")


def _wrong(result: WorkloadResult, engine: str) -> bool:
    outcome = result.engines.get(engine)
    return bool(outcome and outcome.answer is not None
                and not _agrees(engine, outcome.answer, result.workload.expected))


def _probe_summary(result: WorkloadResult) -> str:
    parts = []
    for name in ENGINES:
        outcome = result.engines.get(name)
        if outcome and not outcome.error:
            parts.append(f"{name} {outcome.probes_passed}/{len(result.workload.probes)}")
    return ", ".join(parts)


def print_table(results: list[WorkloadResult], pe_status: str) -> None:
    header = (f"{'workload':<38}{'stmts':>6}  {'policyengine µs':>15} {'target':>8}  "
              f"{'moto µs':>9} {'ratio':>7}  {'cedar µs':>9} {'ratio':>7}  answers (pe/moto/cedar)")
    print(header)
    print("-" * len(header))
    for result in results:
        wl = result.workload
        ours = result.median_us("policyengine")
        target = f"<{wl.target_us:g}"
        if ours is not None:
            target += " ok" if ours < wl.target_us else " MISS"
        answers = "/".join(
            (result.engines[n].answer or "error") if n in result.engines else "-"
            for n in ENGINES)
        print(f"{'(' + wl.key + ') ' + wl.title:<38}{wl.statement_count:>6}  "
              f"{_fmt_us(ours):>15} {target:>8}  "
              f"{_fmt_us(result.median_us('moto')):>9} "
              f"{_fmt_ratio(result.ratio('moto'), _wrong(result, 'moto')):>7}  "
              f"{_fmt_us(result.median_us('cedar')):>9} "
              f"{_fmt_ratio(result.ratio('cedar'), _wrong(result, 'cedar')):>7}  "
              f"{answers}")
    expected = ", ".join(sorted({r.workload.expected for r in results}))
    print(f"expected answer of every workload: {expected}; ratio = peer time / policyengine "
          "time; ! = that peer's answer is wrong (see notes)")
    if pe_status:
        print(pe_status)
    print()
    print("probes (requests checked, not timed):")
    for result in results:
        print(f"  ({result.workload.key}) {_probe_summary(result)}")
    notes = [note for result in results for note in result.notes]
    if notes:
        print()
        print("notes:")
        for note in notes:
            print(f"  - {note}")


def print_corpus(results: list[corpus.CorpusResult], status: str) -> None:
    print()
    print("corpus parse (pe.load_policy on the AWS managed policies):")
    if status:
        print(f"  {status}")
        return
    for r in results:
        print(f"  locations={str(r.locations):<5}  {r.documents} documents  total "
              f"{r.total_ms:,.0f} ms  per document median {r.per_document_median_us:,.1f} µs  "
              f"p95 {r.per_document_p95_us:,.1f} µs  slowest {r.slowest[0]} "
              f"{r.slowest[1]:,.0f} µs")
        if r.failures:
            print(f"    {len(r.failures)} failed, e.g. {r.failures[0]}")


def run_corpus(pe: ModuleType | None, folder: Path,
               quick: bool) -> tuple[list[corpus.CorpusResult], str]:
    if pe is None:
        return [], "skipped: policyengine not available"
    if not folder.is_dir():
        return [], f"skipped: {folder} is absent"
    texts = corpus.load_texts(folder)
    repeats = 1 if quick else 3
    try:
        return [corpus.measure(pe, texts, locations=flag, repeats=repeats)
                for flag in (True, False)], ""
    except Exception as exc:
        return [], f"failed: {_error(exc)}"


def environment(pe: ModuleType | None) -> dict[str, Any]:
    versions: dict[str, str | None] = {}
    for dist in ("iam-policyengine", "moto", "cedarpy"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = None
    return {"python": platform.python_version(), "platform": platform.platform(),
            "cpus": os.cpu_count(), "versions": versions,
            "policyengine_path": getattr(pe, "__file__", None)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer, shorter repetitions")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--workloads", default="abc", help="which workloads, e.g. `ab`")
    parser.add_argument("--engines", default=",".join(ENGINES),
                        help="comma-separated subset of " + ", ".join(ENGINES))
    parser.add_argument("--corpus", type=Path, default=corpus.DEFAULT_FOLDER,
                        help="folder of AWS managed policies (get-policy-version JSON)")
    parser.add_argument("--no-corpus", action="store_true", help="skip the corpus parse")
    args = parser.parse_args(argv)

    names = tuple(n for n in ENGINES if n in args.engines.split(","))
    settings = timing.Settings.for_mode(args.quick)
    pe, pe_status = import_policyengine()
    log = sys.stderr
    if pe_status:
        print(pe_status, file=log)

    results = []
    for workload in all_workloads():
        if workload.key in args.workloads:
            print(f"workload ({workload.key}) {workload.title}", file=log, flush=True)
            results.append(run_workload(workload, pe, names, settings, log))
    if args.no_corpus:
        corpus_results: list[corpus.CorpusResult] = []
        corpus_status = "skipped (--no-corpus)"
    else:
        corpus_results, corpus_status = run_corpus(pe, args.corpus, args.quick)

    if args.json:
        print(json.dumps({
            "environment": environment(pe),
            "settings": {"target_s": settings.target_s, "repeats": settings.repeats},
            "policyengine_status": pe_status or "available",
            "workloads": [r.as_dict() for r in results],
            "corpus": {"status": corpus_status or "measured",
                       "results": [r.as_dict() for r in corpus_results]},
        }, indent=2))
    else:
        print_table(results, pe_status)
        print_corpus(corpus_results, corpus_status)

    failed = any(
        outcome.error or outcome.probes_failed or outcome.answer != r.workload.expected
        for r in results for name, outcome in r.engines.items() if name != "moto")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
