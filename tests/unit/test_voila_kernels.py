"""ClassKernelManager alone: on Voilà's real class, and on a stand-in for the pools and kernels."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest
import tornado.web
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Any as AnyTrait
from traitlets import HasTraits, Instance, Unicode
from traitlets.config import Configurable
from voila.voila_kernel_manager import voila_kernel_manager_factory

from spasm_edu.voila.config import START_PAGE, ClassConfig, solo_config
from spasm_edu.voila.kernels import class_kernel_manager

T = TypeVar("T")
LESSON = "01-what-is-a-back-spasm.ipynb"


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Run `coro` on a loop of its own: a browser test may hold this thread's loop."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result(timeout=60)


class Kernel(HasTraits):
    """As jupyter_server's: no last_activity until the kernel has started."""

    last_activity = Instance(dt.datetime)


class StandIn:
    """What ClassKernelManager uses of Voilà's kernel manager: pools of tasks, kernels."""

    def __init__(self, **_kwargs: object) -> None:
        self._pools: dict[str, list[asyncio.Future[dict[str, str]]]] = {}
        self.kernels: dict[str, Kernel] = {}
        self.culled: list[str] = []
        self.log = logging.getLogger(__name__)

    def list_kernel_ids(self) -> list[str]:
        return list(self.kernels)

    def __contains__(self, kernel_id: str) -> bool:
        return kernel_id in self.kernels

    def get_kernel(self, kernel_id: str) -> Kernel:
        return self.kernels[kernel_id]

    async def get_rendered_notebook(self, notebook_name: str) -> tuple[None, list[str], str]:
        # Voilà takes the first entry of the pool.
        result = await self._pools[notebook_name].pop(0)
        return None, [], result["kernel_id"]

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        self.culled.append(kernel_id)


def test_on_voilas_own_class_the_pools_come_from_the_class_config(tmp_path: Path) -> None:
    class Parent(Configurable):  # what Voilà's kernel manager reads of the Voilà app
        root_dir = Unicode(str(tmp_path))
        notebook_path = AnyTrait(None)

    voila_class = voila_kernel_manager_factory(AsyncMappingKernelManager, True, 0)
    cfg = ClassConfig(size=3, pools={START_PAGE: 3, LESSON: 1}, max_kernels=7)
    manager = class_kernel_manager(voila_class, cfg)(parent=Parent())
    assert isinstance(manager, voila_class)
    assert manager.kernel_pools_config == {
        "default": {"pool_size": 0, "kernel_env_variables": {}},
        START_PAGE: {"pool_size": 3},
        LESSON: {"pool_size": 1},
    }
    status = manager.class_status()
    assert status["pools"] == {START_PAGE: {"size": 3, "ready": 0}, LESSON: {"size": 1, "ready": 0}}
    assert (status["kernels"], status["max_kernels"], status["pools_full"]) == (0, 7, False)


def test_only_a_ready_kernel_is_handed_out_and_the_cap_turns_visitors_away() -> None:
    cfg = ClassConfig(size=2, pools={START_PAGE: 2}, max_kernels=3, max_waiting_starts=1)

    async def scenario() -> None:
        manager = class_kernel_manager(StandIn, cfg)()
        loop = asyncio.get_running_loop()
        starting: asyncio.Future[dict[str, str]] = loop.create_future()
        failed: asyncio.Future[dict[str, str]] = loop.create_future()
        failed.set_exception(RuntimeError("the kernel died"))
        ready: asyncio.Future[dict[str, str]] = loop.create_future()
        ready.set_result({"kernel_id": "warm"})
        manager._pools[START_PAGE] = [starting, failed, ready]
        manager.kernels = {"warm": Kernel(), "a": Kernel(), "b": Kernel()}

        assert manager.class_status()["pools"] == {START_PAGE: {"size": 2, "ready": 1}}
        assert not manager.class_status()["pools_full"]
        manager.check_admission(START_PAGE)  # at the cap, but a warm kernel waits
        with pytest.raises(tornado.web.HTTPError) as busy:
            manager.check_admission(LESSON)
        assert (busy.value.status_code, busy.value.reason) == (503, "kernel cap reached")

        rendered = await manager.get_rendered_notebook(START_PAGE)
        assert rendered[2] == "warm"  # not the refill still starting, nor the failed one
        assert manager._pools[START_PAGE] == [starting]
        assert manager.kernels["warm"].last_activity is not None  # safe from the culler
        starting.cancel()

    run(scenario())


def test_culler_skips_a_kernel_that_is_still_starting() -> None:
    manager = class_kernel_manager(StandIn, solo_config([START_PAGE]))()
    manager.kernels = {"k": Kernel()}
    run(manager.cull_kernel_if_idle("k"))
    assert manager.culled == []  # skipped this round, no TraitError traceback
    manager.kernels["k"].last_activity = dt.datetime.now(dt.timezone.utc)
    run(manager.cull_kernel_if_idle("k"))
    assert manager.culled == ["k"]


class PoolStandIn(StandIn):
    """A stand-in that also has Voilà's pool sizes and refill."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.kernel_pools_config: dict[str, dict[str, Any]] = {}
        self.filled: list[str] = []

    def fill_if_needed(self, delay: float = 0, notebook_name: str = "") -> None:
        self.filled.append(notebook_name)


def test_the_lesson_on_the_projector_gets_a_kernel_per_student_once() -> None:
    other = "05-home-care.ipynb"
    cfg = ClassConfig(
        size=3,
        pools={START_PAGE: 3, LESSON: 1},  # `other` has no pool of its own (a small class)
        follow_presenter=True,
        student_pages=(START_PAGE, LESSON, other),
        max_kernels=20,
    )

    async def scenario() -> None:
        manager = class_kernel_manager(PoolStandIn, cfg)()
        manager.follow_presenter("educator.ipynb")  # not a student page
        manager.follow_presenter("../../etc/passwd.ipynb")  # no page at all
        assert manager.filled == []
        manager.follow_presenter(LESSON)
        assert manager.kernel_pools_config[LESSON]["pool_size"] == 4  # and the presenter's
        assert manager.filled == [LESSON]
        assert manager.class_status()["on_projector"] == LESSON
        manager.follow_presenter(LESSON)  # the presenter's next page view: nothing new
        assert manager.filled == [LESSON]
        # A student takes a warm kernel: the pool is not refilled beyond what is left.
        loop = asyncio.get_running_loop()
        taken: asyncio.Future[dict[str, str]] = loop.create_future()
        taken.set_result({"kernel_id": "k0"})
        manager._pools[LESSON] = [taken]
        manager.kernels = {"k0": Kernel()}
        await manager.get_rendered_notebook(LESSON)
        assert manager.kernel_pools_config[LESSON]["pool_size"] == 3

        manager.follow_presenter(other)  # the educator moves on
        assert manager.kernel_pools_config[LESSON]["pool_size"] == 1  # its usual pool again
        assert manager.kernel_pools_config[other]["pool_size"] == 4
        assert manager.class_status()["pools"][other] == {"size": 4, "ready": 0}
        assert manager.filled == [LESSON, other]

    run(scenario())


def test_the_class_page_is_warmed_for_one_arrival_and_again_once_the_class_has_gone() -> None:
    cfg = ClassConfig(
        size=3,
        pools={START_PAGE: 3, LESSON: 1},
        student_pages=(START_PAGE, LESSON),
        arrival_pages=(START_PAGE,),
        after_arrival=1,
        rearm_quiet_seconds=0.3,
        max_kernels=20,
    )

    async def take(manager: Any, notebook: str, kernel_id: str) -> None:
        done: asyncio.Future[dict[str, str]] = asyncio.get_running_loop().create_future()
        done.set_result({"kernel_id": kernel_id})
        manager._pools[notebook] = [done]
        manager.kernels[kernel_id] = Kernel()
        await manager.get_rendered_notebook(notebook)

    async def scenario() -> None:
        manager = class_kernel_manager(PoolStandIn, cfg)()
        assert manager.class_status()["pools"][START_PAGE]["size"] == 3
        for n in range(3):
            await take(manager, START_PAGE, f"k{n}")
            manager.visit_end()
        # Lowered by one per student, down to what late students need, not refilled to 3.
        assert manager.kernel_pools_config[START_PAGE]["pool_size"] == 1
        await take(manager, LESSON, "k9")  # any other page keeps its pool
        assert LESSON not in manager.kernel_pools_config
        assert not manager.class_status()["pools_full"]  # nothing ready in the stand-in
        # A visit keeps the class pages as they are; a quiet spell warms them for a class.
        await asyncio.sleep(0.2)
        manager.note_visit()
        await asyncio.sleep(0.2)
        assert manager.kernel_pools_config[START_PAGE]["pool_size"] == 1
        assert START_PAGE not in manager.filled
        await asyncio.sleep(0.3)
        assert manager.kernel_pools_config[START_PAGE]["pool_size"] == 3
        assert manager.filled == [START_PAGE]

    run(scenario())


def test_page_views_without_a_warm_kernel_take_turns() -> None:
    cfg = ClassConfig(
        size=3,
        pools={START_PAGE: 3},
        max_kernels=20,
        cold_start_concurrency=2,
        max_waiting_starts=3,
    )

    async def scenario() -> None:
        manager = class_kernel_manager(PoolStandIn, cfg)()
        order: list[str] = []
        gate = asyncio.Event()

        async def view(name: str) -> None:
            async with manager.cold_visit():
                order.append(f"{name} in")
                await gate.wait()
                order.append(f"{name} out")

        views = [asyncio.ensure_future(view(name)) for name in "abcde"]
        await asyncio.sleep(0.05)
        assert order == ["a in", "b in"]  # two at a time; the others wait their turn
        assert manager.class_status()["cold_waiting"] == 3
        with pytest.raises(tornado.web.HTTPError) as busy:
            manager.check_admission(LESSON)  # as many waiting as allowed: the busy page
        assert busy.value.status_code == 503
        gate.set()
        await asyncio.gather(*views)
        assert [x for x in order if x.endswith("in")] == ["a in", "b in", "c in", "d in", "e in"]
        assert manager.class_status()["cold_waiting"] == 0

    run(scenario())


def test_only_a_class_server_with_forked_kernels_follows_the_presenter() -> None:
    for cfg in (
        ClassConfig(size=3, pools={START_PAGE: 3, LESSON: 1}, max_kernels=20),  # --no-fork
        solo_config([START_PAGE, LESSON], fork=True),  # no class
    ):
        manager = class_kernel_manager(PoolStandIn, cfg)()
        manager.follow_presenter("educator.ipynb")  # not a student page
        manager.follow_presenter("../../etc/passwd.ipynb")  # no page at all
        assert manager.filled == []
        manager.follow_presenter(LESSON)
        assert manager.filled == [] and manager.kernel_pools_config == {}
