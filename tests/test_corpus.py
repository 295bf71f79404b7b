"""Every AWS managed policy (../shared/corpus, absent on users' machines) parses on both paths.

Each file is `aws iam get-policy-version` output: `{"PolicyVersion": {"Document": ...}}`.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from policyengine.parsing import build_policy, parse_json, parse_json_with_locations, parse_policy

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "aws-managed-policies"
DOCUMENT = ("PolicyVersion", "Document")


@pytest.fixture(scope="module")
def corpus() -> dict[str, str]:
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS}")
    files = sorted(CORPUS.glob("*.json"))
    if not files:
        pytest.skip(f"no policies in {CORPUS}")
    return {path.name: path.read_text(encoding="utf-8") for path in files}


def _document(text: str) -> Any:
    return json.loads(text)["PolicyVersion"]["Document"]


def test_every_aws_managed_policy_parses_on_both_paths(corpus: dict[str, str]) -> None:
    failures = []
    for name, file_text in corpus.items():
        try:
            document = _document(file_text)
            text = document if isinstance(document, str) else json.dumps(document, indent=4)
            positional = parse_policy(text, file=name)
            fast = parse_policy(text, file=name, locations=False)
            value = json.loads(text) if isinstance(document, str) else document
            from_dict = parse_policy(value, file=name)
            assert positional.model_dump() == fast.model_dump() == from_dict.model_dump()
            assert positional.to_json() == (json.loads(text))
            assert positional.locations and fast.locations is None
        except Exception as exc:  # collect them all, report the first few
            failures.append(f"{name}: {exc!r}")
    assert not failures, f"{len(failures)} of {len(corpus)} failed:\n" + "\n".join(failures[:10])


def test_whole_files_parse_with_locations_and_agree_with_json(corpus: dict[str, str]) -> None:
    for name, file_text in corpus.items():
        value, locations = parse_json_with_locations(file_text, file=name)
        assert value == json.loads(file_text) == parse_json(file_text), name
        assert locations[DOCUMENT] is not None


def _line_offsets(text: str) -> list[int]:
    offsets = [0]
    for line in text.split("\n"):
        offsets.append(offsets[-1] + len(line) + 1)
    return offsets


def _sample(corpus: dict[str, str]) -> list[str]:
    names = sorted(corpus)
    largest = max(names, key=lambda n: len(corpus[n]))
    with_conditions = next(n for n in names if '"Condition"' in corpus[n])
    return [names[0], names[len(names) // 2], names[-1], largest, with_conditions]


def test_locations_in_whole_files_point_at_the_right_text(corpus: dict[str, str]) -> None:
    decoder = json.JSONDecoder()
    for name in _sample(corpus):
        text = corpus[name]
        value, locations = parse_json_with_locations(text, file=name)
        offsets = _line_offsets(text)
        lines = text.split("\n")
        for path, (line, column) in locations.items():
            found, _ = decoder.raw_decode(text, offsets[line - 1] + column - 1)
            if path and isinstance(path[-1], str):
                assert found == path[-1], (name, path)
                assert lines[line - 1].lstrip().startswith(json.dumps(path[-1])), (name, path)
            else:
                node = value
                for part in path:
                    node = node[part]
                assert found == node, (name, path)


def test_a_document_inside_a_file_is_located_in_that_file(corpus: dict[str, str]) -> None:
    """Locations of a sub-document (here `PolicyVersion.Document`) re-rooted for the model."""
    for name in _sample(corpus):
        text = corpus[name]
        value, locations = parse_json_with_locations(text, file=name)
        inner = {
            path[len(DOCUMENT) :]: where
            for path, where in locations.items()
            if path[: len(DOCUMENT)] == DOCUMENT
        }
        document = build_policy(value["PolicyVersion"]["Document"], locations=inner, file=name)
        lines = text.split("\n")
        for statement in document.statements:
            path = document.statement_path(statement.index)
            effect = document.location_of(path + ("Effect",))
            assert effect is not None
            line, column = effect
            assert lines[line - 1][column - 1 :].startswith('"Effect"'), (name, path)
            start = document.location_of(path)
            assert start is not None and lines[start[0] - 1][start[1] - 1] == "{"


def test_corpus_parse_timings(corpus: dict[str, str], record_property: Any) -> None:
    """Not a pass/fail check: prints (with -s) and records how long the corpus takes."""
    documents = [
        doc if isinstance(doc := _document(text), str) else json.dumps(doc, indent=4)
        for text in corpus.values()
    ]
    files = list(corpus.values())

    def fast(text: str) -> Any:
        return parse_policy(text, locations=False)

    timings = {}
    for label, run in (
        ("files, positional JSON", lambda: [parse_json_with_locations(t) for t in files]),
        ("files, fast JSON", lambda: [parse_json(t) for t in files]),
        ("documents, parse_policy locations=True", lambda: [parse_policy(t) for t in documents]),
        ("documents, parse_policy locations=False", lambda: [fast(t) for t in documents]),
    ):
        start = time.perf_counter()
        run()
        timings[label] = time.perf_counter() - start
        record_property(label, round(timings[label], 4))
    size = sum(map(len, files)) / 1e6
    print(f"\ncorpus: {len(files)} files, {size:.1f} MB")
    for label, seconds in timings.items():
        print(f"  {label}: {seconds:.3f}s")
