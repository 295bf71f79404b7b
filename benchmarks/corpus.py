"""Parse time of the AWS managed policy corpus with and without source locations."""

from __future__ import annotations

import gc
import json
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

DEFAULT_FOLDER = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / \
    "aws-managed-policies"


@dataclass(frozen=True)
class CorpusResult:
    locations: bool
    documents: int
    total_ms: float  # median over repeats of the time to parse every document once
    per_document_median_us: float  # median over documents of each one's median time
    per_document_p95_us: float
    slowest: tuple[str, float]  # (file, median µs)
    failures: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"locations": self.locations, "documents": self.documents,
                "total_ms": round(self.total_ms, 2),
                "per_document_median_us": round(self.per_document_median_us, 2),
                "per_document_p95_us": round(self.per_document_p95_us, 2),
                "slowest": {"file": self.slowest[0], "us": round(self.slowest[1], 1)},
                "failures": self.failures}


def load_texts(folder: Path) -> list[tuple[str, str]]:
    """(file name, JSON text of the policy document) for every file, sorted by name."""
    texts = []
    for path in sorted(folder.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))["PolicyVersion"]["Document"]
        texts.append((path.name, json.dumps(document)))
    return texts


def measure(pe: ModuleType, texts: list[tuple[str, str]], *, locations: bool,
            repeats: int) -> CorpusResult:
    load_policy = pe.load_policy
    error_type: type[BaseException] = getattr(pe, "PolicyEngineError", Exception)
    samples: list[list[int]] = [[] for _ in texts]
    totals: list[int] = []
    failures: dict[str, str] = {}
    for _ in range(repeats):
        gc.collect()
        gc.disable()
        try:
            total = 0
            for index, (name, text) in enumerate(texts):
                start = time.perf_counter_ns()
                try:
                    load_policy(text, source=name, locations=locations)
                except error_type as exc:
                    failures.setdefault(name, f"{type(exc).__name__}: {exc}")
                elapsed = time.perf_counter_ns() - start
                samples[index].append(elapsed)
                total += elapsed
            totals.append(total)
        finally:
            gc.enable()
    per_doc = [statistics.median(s) / 1000 for s in samples]
    ranked = sorted(per_doc)
    slowest_index = max(range(len(per_doc)), key=per_doc.__getitem__)
    return CorpusResult(
        locations=locations,
        documents=len(texts),
        total_ms=statistics.median(totals) / 1e6,
        per_document_median_us=statistics.median(per_doc),
        per_document_p95_us=ranked[min(len(ranked) - 1, int(len(ranked) * 0.95))],
        slowest=(texts[slowest_index][0], per_doc[slowest_index]),
        failures=[f"{name}: {message}" for name, message in sorted(failures.items())],
    )
