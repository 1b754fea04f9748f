"""Widget tests save answers to a throwaway SQLite file, never the user's real store."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _results_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "results.sqlite3"
    monkeypatch.setenv("SPASM_EDU_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.delenv("QUERY_STRING", raising=False)
    return path
