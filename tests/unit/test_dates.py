"""The server's message-date reader (spasm_edu/voila/dates.py) gives what jupyter_client's does."""

from __future__ import annotations

import sys
import warnings

import jupyter_client.jsonutil as jsonutil
import jupyter_client.session as session
import pytest
from jupyter_client.session import Session

from spasm_edu.voila import dates

SAMPLES = [
    "2026-12-02T04:20:06.123456Z",
    "2026-12-02T04:20:06Z",
    "2026-12-02T04:20:06.1+0100",
    "2026-12-02T04:20:06.123-05:30",
    "2026-12-02T04:20:06",  # no time zone: jupyter_client's local time and warning
    "2026-12-02",
    "not a date",
    "",
]


def test_same_values_as_jupyter_clients_reader() -> None:
    obj = {"date": SAMPLES, "nested": {"d": SAMPLES[0], "n": 3, "none": None}, "t": tuple(SAMPLES)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        theirs, ours = jsonutil.extract_dates(obj), dates.extract_dates(obj)
    assert ours == theirs
    assert [type(x) for x in ours["date"]] == [type(x) for x in theirs["date"]]
    assert obj["nested"]["d"] == SAMPLES[0]  # the message is not changed in place


def test_installed_it_reads_real_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(session, "extract_dates", session.extract_dates)  # undone after
    dates.install()
    # Python 3.10's fromisoformat cannot read the "Z" suffix: nothing to gain there.
    assert (session.extract_dates is dates.extract_dates) == (sys.version_info >= (3, 11))
    s = Session(key=b"key")
    msg = s.msg("comm_msg", content={"x": 1}, parent=s.msg("execute_request", content={}))
    back = s.deserialize(s.feed_identities(s.serialize(msg))[1])
    assert back["header"]["date"] == msg["header"]["date"]
    assert back["parent_header"]["date"] == msg["parent_header"]["date"]
