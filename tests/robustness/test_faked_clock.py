"""No test depends on today's date: the content, robustness and unit tiers pass two years ahead.

Debian's libfaketime (`faketime`, installed by `make test`) moves the clock of the inner pytest and
of everything it starts, such as the spasm-edu CLI. It moves the monotonic clock too, which is
its default and must stay so: with FAKETIME_DONT_FAKE_MONOTONIC set, time.sleep fails (EINVAL).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

# Runs three tiers again, minutes, and needs faketime: `make test` runs it, `make test-fast` not.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
TIERS = ["tests/content", "tests/robustness", "tests/unit"]
AHEAD = "+2y"
# A hang guard for the whole inner run (about a minute on an idle 2-core machine).
TIMEOUT_SECONDS = 1800


def faketime() -> str:
    found = shutil.which("faketime")
    assert found, (
        "faketime is missing: run `make test`, which installs it (Debian package faketime)"
    )
    return found


def faked(*command: str, timeout: float) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "FAKETIME_DONT_FAKE_MONOTONIC"}
    return subprocess.run(
        [faketime(), "-f", AHEAD, *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_the_clock_really_moves() -> None:
    """Else the test below would prove nothing."""
    probe = faked(sys.executable, "-c", "import datetime; print(datetime.date.today())", timeout=60)
    assert probe.returncode == 0, probe.stderr
    ahead = dt.date.fromisoformat(probe.stdout.strip()) - dt.date.today()
    assert ahead >= dt.timedelta(days=729), ahead


def test_the_date_free_tiers_pass_two_years_ahead() -> None:
    # --ignore: the inner run must not start this file again (nor probe a clock already moved).
    this = Path(__file__).relative_to(ROOT).as_posix()
    command = ["-m", "pytest", *TIERS, "-q", "-p", "no:cacheprovider", "-x", f"--ignore={this}"]
    result = faked(sys.executable, *command, timeout=TIMEOUT_SECONDS)
    summary = result.stdout.strip().splitlines()[-1:] or ["(no output)"]
    print(f"faketime -f {AHEAD} pytest {' '.join(TIERS)}: {summary[0]}")
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]
