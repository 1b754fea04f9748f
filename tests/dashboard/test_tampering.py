"""A client that talks to the kernel websocket directly cannot change a stored result except by
a real answer: setting values of disabled widgets, clicking hidden buttons, out-of-range choices,
click floods and execute_request all leave the store as a real learner's answers made it."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from benchmarks.voila_client import _children, request_states, visit
from spasm_edu.results import ResultsStore
from tests.support.servers import start_server, stop

pytestmark = pytest.mark.dashboard
LESSON = "01-what-is-a-back-spasm.ipynb"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    tmp = tmp_path_factory.mktemp("tamper")
    proc, base = start_server(tmp)
    db = tmp / "results.sqlite3"
    try:
        yield base, db
    finally:
        stop(proc)


class Tamperer:
    """A page's kernel connection plus its widget states, driven like a hostile browser."""

    def __init__(self, kernel: Any, states: dict[str, Any]) -> None:
        self.kernel = kernel
        self.states = states

    def classes(self, mid: str) -> list[str]:
        return list(self.states[mid]["state"].get("_dom_classes", []))

    def card(self, n: int) -> dict[str, str]:
        """Model ids of the n-th single-choice card: radio, check, try again, show, feedback."""
        cards = [
            m
            for m in self.states
            if "spasm-card" in self.classes(m) and "spasm-q-single" in self.classes(m)
        ]
        mid = cards[n]
        out, todo = {}, [mid]
        while todo:
            cur = todo.pop(0)
            todo.extend(c for c in _children(self.states[cur]["state"]) if c in self.states)
            if self.states[cur]["model_name"] == "RadioButtonsModel":
                # The answer's radio buttons, not "How sure are you?" (also radio buttons).
                key = "confidence" if "spasm-confidence" in self.classes(cur) else "radio"
                out[key] = cur
            for css in ("spasm-check", "spasm-try-again", "spasm-show-answer", "spasm-feedback"):
                if css in self.classes(cur):
                    out[css] = cur
        return out

    async def set(self, mid: str, state: dict[str, Any]) -> None:
        _, done = self.kernel.send(
            "comm_msg",
            {"comm_id": mid, "data": {"method": "update", "state": state, "buffer_paths": []}},
            idle=True,
        )
        await asyncio.wait_for(done, 30)

    async def click(self, mid: str) -> None:
        _, done = self.kernel.send(
            "comm_msg",
            {"comm_id": mid, "data": {"method": "custom", "content": {"event": "click"}}},
            idle=True,
        )
        await asyncio.wait_for(done, 30)


async def _open(base: str, learner: str) -> Tamperer:
    v = await visit(base, LESSON, learner=learner, answer=False, leave="keep")
    assert v.ok, v.status
    kernel = v.connection
    msg = await request_states(kernel, 60)
    return Tamperer(kernel, msg["content"]["data"]["states"])


def _attempts(db: Path, learner: str) -> list[tuple[str, str, bool]]:
    store = ResultsStore(f"sqlite:///{db}")
    return [(a.question_id, a.answer, a.correct) for a in store.attempts_for_learner(learner)]


def test_hostile_client_cannot_change_stored_results(server: tuple[str, Path]) -> None:
    base, db = server
    learner = uuid.uuid4().hex
    from spasm_edu.content import load_course

    course, _ = load_course()
    lesson = course.lesson("what-is-a-back-spasm")

    async def scenario() -> None:
        t = await _open(base, learner)
        ids = t.card(0)
        question = next(q for q in lesson.quiz.questions if q.type == "single")
        right = [c.id for c in question.choices].index(
            next(c.id for c in question.choices if c.correct)
        )
        wrong = next(i for i, c in enumerate(question.choices) if not c.correct)
        # Out-of-range and nonsense choices: refused by the kernel, nothing stored.
        await t.set(ids["radio"], {"index": 99})
        await t.set(ids["radio"], {"index": "<script>"})
        await t.click(ids["spasm-check"])
        assert _attempts(db, learner) == []
        # "How sure are you?" out of range: refused too; the answer is stored without it.
        await t.set(ids["confidence"], {"index": 99})
        await t.set(ids["confidence"], {"index": "<script>"})
        # A real (wrong) answer is stored.
        await t.set(ids["radio"], {"index": wrong})
        await t.click(ids["spasm-check"])
        assert [a[2] for a in _attempts(db, learner)] == [False]
        saved = ResultsStore(f"sqlite:///{db}").attempts_for_learner(learner)
        assert [a.confidence for a in saved] == [None]
        # Now the radio is disabled and Check hidden: set the right value anyway, click Check
        # a hundred times, and even re-enable the widgets from the client.
        await t.set(ids["radio"], {"disabled": False, "index": right})
        await t.set(ids["spasm-check"], {"disabled": False})
        for _ in range(100):
            t.kernel.send(
                "comm_msg",
                {
                    "comm_id": ids["spasm-check"],
                    "data": {"method": "custom", "content": {"event": "click"}},
                },
            )
        await t.click(ids["spasm-check"])
        assert [a[2] for a in _attempts(db, learner)] == [False]
        # Show answer, then a forged Try again and Check: still locked.
        await t.click(ids["spasm-show-answer"])
        await t.click(ids["spasm-try-again"])
        await t.set(ids["radio"], {"index": right})
        await t.click(ids["spasm-check"])
        stored = _attempts(db, learner)
        assert [(a[1], a[2]) for a in stored] == [(question.choices[wrong].id, False), ("", False)]
        # execute_request is not forwarded to the kernel by Voilà: nothing runs.
        marker = db.parent / "pwned.txt"
        t.kernel.send(
            "execute_request",
            {
                "code": f"open({str(marker)!r}, 'w').write('x')",
                "silent": False,
                "store_history": False,
                "user_expressions": {},
                "allow_stdin": False,
                "stop_on_error": True,
            },
        )
        await t.click(ids["spasm-check"])  # a round trip after it, so it had its chance
        await asyncio.sleep(0)
        assert not marker.exists()
        t.kernel.close()

    asyncio.run(scenario())
