"""How long `check_paths` takes per malformed lesson file of tests/robustness/make_corpus.py.

    .venv/bin/python benchmarks/bench_validate.py

The tests only guard against hangs (10 s per file), so that a loaded machine cannot fail them;
the speed itself is measured here. Target: every file well under 1 s on an idle 2-core machine.
Not part of the test suite. Times the committed corpus/ and the cases the tests generate.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script: make `tests.robustness` importable

from spasm_edu.content import check_paths  # noqa: E402
from tests.robustness.make_corpus import CORPUS, TODAY, generated, write  # noqa: E402

TARGET_SECONDS = 1.0


def main() -> None:
    times: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        made = Path(tmp) / "corpus"
        write(generated(), made)
        for folder in (CORPUS, made):
            for case in sorted(p for p in folder.iterdir() if p.name != "EXPECTED.json"):
                start = time.perf_counter()
                check_paths([case], today=TODAY)
                times[case.name] = time.perf_counter() - start
    values = sorted(times.values())
    print(f"{len(values)} corpus files, seconds per file:")
    print(
        f"  median {statistics.median(values):.4f}  "
        f"p95 {values[int(0.95 * (len(values) - 1))]:.4f}  max {values[-1]:.4f}"
    )
    print("  slowest:")
    for name, seconds in sorted(times.items(), key=lambda kv: -kv[1])[:5]:
        print(f"    {seconds:.3f}  {name}")
    over = [name for name, seconds in times.items() if seconds >= TARGET_SECONDS]
    print(f"  over the {TARGET_SECONDS:g} s target: {len(over)}")


if __name__ == "__main__":
    main()
