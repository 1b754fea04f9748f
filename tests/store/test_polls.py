"""Live polls in the store, on SQLite and PostgreSQL."""

from __future__ import annotations

from spasm_edu.results import PendingAttempt, ResultsStore
from spasm_edu.results.polls import CLOSED, REVEALED


def test_poll_round_trip(store_url: str) -> None:
    polls = ResultsStore(store_url).polls
    assert polls.active_poll("BIO-7") is None
    poll = polls.open_poll("BIO-7", "causes", "stress-myth")
    assert polls.active_poll("BIO-7") == poll
    assert polls.active_poll("OTHER") is None
    assert polls.answer(poll.id, "a" * 32, "myth", True)
    assert not polls.answer(poll.id, "a" * 32, "fact", False)  # first answer counts
    assert polls.answer(poll.id, "b" * 32, "fact", False)
    assert polls.answer(poll.id, "c" * 32, "myth", True)
    assert polls.counts(poll.id) == {"myth": 2, "fact": 1}
    assert polls.my_answer(poll.id, "b" * 32) == "fact"
    polls.set_state(poll.id, REVEALED)
    assert polls.active_poll("BIO-7").state == REVEALED
    assert not polls.answer(poll.id, "d" * 32, "myth", True)  # no answers after the reveal
    second = polls.open_poll("BIO-7", "causes", "bleeding-myth")
    assert polls.active_poll("BIO-7") == second  # opening a new poll closes the old one
    polls.set_state(second.id, CLOSED)
    assert polls.active_poll("BIO-7") is None


def test_schema_is_at_version_4(store_url: str) -> None:
    store = ResultsStore(store_url)
    assert store.migrate() == 4  # 2 added the polls, 3 the passcode tries, 4 confidence
    assert store.schema_version() == 4


def test_deleting_a_learner_or_class_removes_their_poll_data(store_url: str) -> None:
    store = ResultsStore(store_url)
    polls = store.polls
    store.register_learner("a" * 32, class_code="BIO-7")
    poll = polls.open_poll("BIO-7", "causes", "stress-myth")
    polls.answer(poll.id, "a" * 32, "myth", True)
    polls.answer(poll.id, "b" * 32, "fact", False)
    store.delete_learner("a" * 32)
    assert polls.counts(poll.id) == {"fact": 1}
    store.delete_class("BIO-7")
    assert polls.counts(poll.id) == {}
    assert polls.active_poll("BIO-7") is None


def test_purge_command(tmp_path, capsys) -> None:
    from spasm_edu.cli import main

    url = f"sqlite:///{tmp_path / 'r.sqlite3'}"
    store = ResultsStore(url)
    store.register_learner("a" * 32, class_code="BIO-7")
    store.save(PendingAttempt("a" * 32, "causes", "q", "x", True, class_code="BIO-7"))
    store.save(PendingAttempt("b" * 32, "causes", "q", "x", True, class_code="OTHER"))
    assert main(["purge", "--db", url, "--days", "180"]) == 0
    assert "Deleted 0 answer(s)" in capsys.readouterr().out
    assert main(["purge", "--db", url, "--class", "BIO-7"]) == 0
    assert "Deleted 1 answer(s) and 1 learner(s)" in capsys.readouterr().out
    assert main(["purge", "--db", url, "--learner", "b" * 32]) == 0
    assert "Deleted 1 answer(s) and 1 learner(s)" in capsys.readouterr().out
