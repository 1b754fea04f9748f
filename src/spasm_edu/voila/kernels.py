"""Warm kernels for a class: Voilà's preheating kernel manager with a patient refill and a cap.

Voilà refills a pool one second after each use and starts every missing kernel at once, so a
burst as large as the pool starts as many kernels again while students still wait. With
ClassKernelManager a pool kernel starts only when no page request has arrived for a few
seconds, a few at a time, and never above the kernel cap; a visitor who finds the pool empty
gets a kernel of their own right away (or the busy page), never a refill still waiting its turn.

Voilà makes its kernel manager class at run time (`voila_kernel_manager_factory`), so
ClassKernelManager is a mixin put on top of that class by `class_kernel_manager`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any, ClassVar

import tornado.web
from traitlets import HasTraits, TraitError, default

from .config import ClassConfig

# The mixin extends Voilà's VoilaKernelManager, which comes after it in the MRO and exists only
# at run time: Any for mypy. HasTraits, so that traitlets registers the mixin's own @default.
_MixinBase: Any = HasTraits


def pool_task_ready(task: asyncio.Future[Any]) -> bool:
    """A pool entry whose kernel has started and run its notebook up to the visitor's request."""
    return task.done() and not task.cancelled() and task.exception() is None


def pool_task_failed(task: asyncio.Future[Any]) -> bool:
    """A pool entry whose kernel did not start (or whose start was cancelled)."""
    return task.done() and (task.cancelled() or task.exception() is not None)


class ClassKernelManager(_MixinBase):  # type: ignore[misc]
    """Mixin over Voilà's preheating kernel manager: a refill that waits for quiet, a cap.

    Build the class with `class_kernel_manager(voila_class, cfg)`; `class_cfg` holds the
    pool sizes and limits.
    """

    class_cfg: ClassVar[ClassConfig]

    def __init__(self, **kwargs: Any) -> None:
        # Voilà's __init__ already queues the first fill, so set our state before it.
        cfg = self.class_cfg
        self._refill_slots = asyncio.Semaphore(cfg.refill_concurrency)
        self._cold_slots = asyncio.Semaphore(cfg.cold_start_concurrency)
        self._render_slots = asyncio.Semaphore(cfg.cold_start_concurrency)
        self._settled: dict[str, asyncio.Event] = {}
        self._in_flight = 0
        self._last_visit = 0.0
        self._cold_waiting = 0
        self._left_waiting = 0
        self._refilling = 0
        self._closing = False
        self._announced = False
        self._followed: str | None = None
        self._rearm: asyncio.TimerHandle | None = None
        super().__init__(**kwargs)

    @default("kernel_pools_config")
    def _class_pools(self) -> dict[str, Any]:
        pools: dict[str, Any] = {"default": {"pool_size": 0, "kernel_env_variables": {}}}
        pools.update({nb: {"pool_size": n} for nb, n in self.class_cfg.pools.items()})
        return pools

    # ---- what the page handler asks -----------------------------------------------------

    def kernel_count(self) -> int:
        """Kernels alive: warm, in use, or starting."""
        return len(self.list_kernel_ids())

    def has_ready(self, notebook: str) -> bool:
        """A pool kernel of this notebook has run it and waits for its visitor."""
        return any(pool_task_ready(task) for task in self._pool(notebook))

    def check_admission(self, notebook: str) -> None:
        """Raise HTTP 503 (the busy page) when a visitor cannot get a kernel soon."""
        if self.has_ready(notebook):
            return
        if self._cold_waiting >= self.class_cfg.max_waiting_starts:
            raise tornado.web.HTTPError(503, reason="too many kernels starting")
        self._check_cap()

    def visit_begin(self) -> None:
        """A page request arrived (refills wait until none is in flight)."""
        self._in_flight += 1
        self._last_visit = time.monotonic()

    def visit_end(self) -> None:
        """A page request was answered."""
        self._in_flight -= 1
        self._last_visit = time.monotonic()

    def note_visit(self) -> None:
        """A page opened its kernel connection (its widgets load next)."""
        self._last_visit = time.monotonic()

    def follow_presenter(self, notebook: str) -> None:
        """The educator opened `notebook` on the projector: the class opens it next, so warm a
        kernel per student for it while the educator introduces it. The page followed before
        goes back to its usual pool size: its warm kernels left wait for late students, and
        none is started again. (Ending them instead would make Voilà's renderer, still
        running their notebooks, report them as dead kernels.)"""
        cfg = self.class_cfg
        if (
            not cfg.follow_presenter
            or notebook not in cfg.student_pages
            or notebook == self._followed
        ):
            return
        previous, self._followed = self._followed, notebook
        if previous is not None:  # its warm kernels wait for late students; no refill
            self._set_pool_size(previous, cfg.pools.get(previous, 0))
        # One per student, and one for the presenter's own view of the page.
        self._set_pool_size(notebook, max(cfg.size + 1, cfg.pools.get(notebook, 0)))
        self.log.info("spasm-edu: %s is on the projector: warming it for the class", notebook)
        self.fill_if_needed(delay=0, notebook_name=notebook)

    def _set_pool_size(self, notebook: str, size: int) -> None:
        self.kernel_pools_config[notebook] = {
            **self.kernel_pools_config.get(notebook, {}),
            "pool_size": size,
        }

    def _pool_size(self, notebook: str) -> int:
        """The pool's size now (set at run time), else the configured one."""
        pools = getattr(self, "kernel_pools_config", {})  # Voilà's trait (not on a test double)
        if notebook in pools:
            return int(pools[notebook].get("pool_size", 0))
        return self.class_cfg.pools.get(notebook, 0)

    def _took_arrival_kernel(self, notebook: str) -> None:
        """A visitor took a warm kernel of a pool that is there for the class's arrival (the
        class page, the lesson on the projector): lower the pool by one, down to its size after
        the arrival, so it is not refilled for students who have already come."""
        cfg = self.class_cfg
        if notebook in cfg.arrival_pages:
            floor = cfg.after_arrival
        elif notebook == self._followed:
            floor = cfg.pools.get(notebook, 0)
        else:
            return
        self._set_pool_size(notebook, max(floor, self._pool_size(notebook) - 1))
        if notebook in cfg.arrival_pages and self._rearm is None:
            self._rearm = asyncio.get_running_loop().call_later(
                cfg.rearm_quiet_seconds, self._rearm_if_quiet
            )

    def _rearm_if_quiet(self) -> None:
        """No page opened for `rearm_quiet_seconds` (the class has gone): warm the class pages
        for the next class again; otherwise look again that long after the last visit."""
        cfg = self.class_cfg
        quiet = time.monotonic() - self._last_visit
        if self._closing:
            self._rearm = None
        elif quiet < cfg.rearm_quiet_seconds:
            self._rearm = asyncio.get_running_loop().call_later(
                cfg.rearm_quiet_seconds - quiet, self._rearm_if_quiet
            )
        else:
            self._rearm = None
            for notebook in cfg.arrival_pages:
                self._set_pool_size(notebook, cfg.pools[notebook])
                self.fill_if_needed(delay=0, notebook_name=notebook)
            self.log.info("spasm-edu: no visitor for a while: warming the class page again")

    def mark_settled(self, kernel_id: str) -> None:
        """A pool kernel reached wait_for_visitor(): its notebook has run up to there."""
        self._settled.setdefault(kernel_id, asyncio.Event()).set()

    def class_status(self) -> dict[str, Any]:
        """Kernel counts and how full each pool is (the status page)."""
        cfg = self.class_cfg
        return {
            "class_size": cfg.size,
            "kernels": self.kernel_count(),
            "max_kernels": cfg.max_kernels,
            "cold_waiting": self._cold_waiting,
            "left_waiting": self._left_waiting,
            "visits_in_flight": self._in_flight,
            "pools": {
                nb: {"size": self._pool_size(nb), "ready": self._ready(nb)}
                for nb in [*cfg.pools, *[self._followed] * (self._followed not in cfg.pools)]
                if nb is not None
            },
            "pools_full": self._pools_full(),
            "on_projector": self._followed,
        }

    # ---- Voilà's pools (the one place that reads its private _pools) ---------------------

    def _pool(self, notebook: str) -> list[asyncio.Task[Any]]:
        """Voilà's pool of this notebook (the live list), or an empty list."""
        pool: list[asyncio.Task[Any]] = self._pools.get(notebook, [])
        return pool

    def _ready(self, notebook: str) -> int:
        return sum(1 for task in self._pool(notebook) if pool_task_ready(task))

    def _pools_full(self) -> bool:
        return all(self._ready(nb) >= self._pool_size(nb) for nb in self.class_cfg.pools)

    def _check_cap(self) -> None:
        if self.kernel_count() + self._cold_waiting >= self.class_cfg.max_kernels:
            raise tornado.web.HTTPError(503, reason="kernel cap reached")

    # ---- pool kernels: warmed when nobody is arriving ------------------------------------

    def _quiet(self) -> bool:
        return (
            self._in_flight == 0
            and self._cold_waiting == 0
            and time.monotonic() - self._last_visit >= self.class_cfg.refill_quiet_seconds
            and self.kernel_count() + self._refilling < self.class_cfg.max_kernels
        )

    async def _initialize(
        self, notebook_path: str, kernel_id: str | None = None, **kwargs: Any
    ) -> Any:
        # Voilà starts every pool kernel (and restarts a kernel in use) through this method.
        if kernel_id is not None:  # a restart of a kernel in use, not a pool refill
            return await super()._initialize(notebook_path, kernel_id, **kwargs)
        async with self._refill_slots:
            while not self._quiet():
                if self._closing:
                    raise RuntimeError("the server is stopping")
                await asyncio.sleep(0.25)
            self._refilling += 1
            try:
                result = await super()._initialize(notebook_path, None, **kwargs)
                await self._settle(result)
            except Exception:
                if not self._closing:
                    self.log.exception(
                        "spasm-edu: a warm kernel for %s did not start", notebook_path
                    )
                    asyncio.get_running_loop().call_later(
                        5, self._replace, notebook_path, asyncio.current_task()
                    )
                raise
            finally:
                self._refilling -= 1
        # Checked once this pool task has finished (it is still running here).
        asyncio.get_running_loop().call_soon(self._announce_if_full)
        return result

    def _replace(self, notebook: str, task: asyncio.Task[Any] | None) -> None:
        # A failed pool entry would count as taken forever: drop it and start another.
        pool = self._pool(notebook)
        if task in pool and not self._closing:
            pool.remove(task)
            self.fill_if_needed(delay=0, notebook_name=notebook)

    def _announce_if_full(self) -> None:
        if not self._announced and self._pools_full():
            self._announced = True
            cfg = self.class_cfg
            if cfg.size:
                self.log.info(
                    "spasm-edu: %d warm kernels: ready for a class of %d", cfg.pooled, cfg.size
                )
            else:
                self.log.info("spasm-edu: %d warm kernels: every page is ready", cfg.pooled)

    async def _settle(self, result: dict[str, Any]) -> None:
        # Hold the refill slot until the notebook has run up to the visitor's request (or
        # to its end), so refills never pile up on the CPU.
        event = self._settled.setdefault(result["kernel_id"], asyncio.Event())
        waiter = asyncio.ensure_future(event.wait())
        try:
            await asyncio.wait(
                {waiter, result["task"]},
                timeout=self.class_cfg.settle_timeout_seconds,
                return_when=asyncio.FIRST_COMPLETED,
            )
        finally:
            waiter.cancel()
            self._settled.pop(result["kernel_id"], None)

    async def get_rendered_notebook(self, notebook_name: str, *args: Any, **kwargs: Any) -> Any:
        # Voilà takes the first pool entry; make it a ready kernel, not a queued refill.
        pool = self._pool(notebook_name)
        for task in [t for t in pool if pool_task_failed(t)]:
            pool.remove(task)
        pool.sort(key=lambda t: not t.done())
        self._took_arrival_kernel(notebook_name)
        rendered = await super().get_rendered_notebook(notebook_name, *args, **kwargs)
        # A pool kernel may have sat idle for longer than the culling limit; out of the
        # pool and before its page connects, the culler would take it from the visitor.
        kernel_id = rendered[2]
        if kernel_id in self:
            self.get_kernel(kernel_id).last_activity = dt.datetime.now(dt.timezone.utc)
        return rendered

    # ---- a visitor's own kernel when the pool has none ready -----------------------------

    @asynccontextmanager
    async def cold_visit(self) -> AsyncIterator[None]:
        """A page view without a warm kernel: its kernel starts and runs the notebook while
        the server renders the page, a few at a time, first come first served. Sixty at once
        would share the cores and all finish at the end; in turn, the first students have
        their page in a second and the rest no later than before. Waiting for a turn counts
        as a start waiting (admission's busy page)."""
        self._cold_waiting += 1
        try:
            await self._render_slots.acquire()
        finally:
            self._cold_waiting -= 1
        try:
            yield
        finally:
            self._render_slots.release()

    def note_left_waiting(self) -> None:
        """A visitor waiting for a turn left (a reload, a second click, a closed tab): their
        turn starts no kernel, so nobody else waits for a page nobody will see."""
        self._left_waiting += 1

    async def start_kernel(self, *args: Any, **kwargs: Any) -> str:
        self._check_cap()
        self._cold_waiting += 1
        try:
            # A few at a time: on two cores sixty simultaneous starts all finish late.
            async with self._cold_slots:
                return str(await super().start_kernel(*args, **kwargs))
        finally:
            self._cold_waiting -= 1

    async def cull_kernel_if_idle(self, kernel_id: str) -> Any:
        # A kernel still starting (a pool refill) has no last_activity yet, and
        # jupyter_server's culler logs a TraitError traceback for it: skip it this round.
        try:
            _ = self.get_kernel(kernel_id).last_activity if kernel_id in self else None
        except TraitError:
            return None
        return await super().cull_kernel_if_idle(kernel_id)

    async def shutdown_all(self, *args: Any, **kwargs: Any) -> None:
        self._closing = True
        if self._rearm is not None:
            self._rearm.cancel()
        await super().shutdown_all(*args, **kwargs)


def class_kernel_manager(voila_class: type, cfg: ClassConfig) -> type:
    """`voila_class` (what Voilà's factory made) with ClassKernelManager on top, set to `cfg`."""

    class Manager(ClassKernelManager, voila_class):  # type: ignore[misc]
        class_cfg = cfg

    Manager.__name__ = Manager.__qualname__ = "ClassKernelManager"
    return Manager


@contextmanager
def class_kernel_managers(cfg: ClassConfig) -> Iterator[None]:
    """While open, Voilà's kernel manager factory returns `class_kernel_manager(..., cfg)`.

    Voilà builds its kernel manager class inside `Voila.init_settings` from the factory it
    imported into voila.app; there is no setting for it, so swap that name for the call.
    """
    import voila.app as voila_app

    original: Callable[..., type] = voila_app.voila_kernel_manager_factory

    def factory(*args: Any, **kwargs: Any) -> type:
        return class_kernel_manager(original(*args, **kwargs), cfg)

    voila_app.voila_kernel_manager_factory = factory
    try:
        yield
    finally:
        voila_app.voila_kernel_manager_factory = original
