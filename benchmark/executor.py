"""Calling a checker over many claims: inline, or on worker threads with a per-call timeout.

A call that raises becomes a Prediction with ``error`` set. A call that runs past the timeout is
recorded as timed out; its thread is abandoned (Python cannot kill a thread) and replaced, so a
hung system cannot stall the run.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator

from .records import LABELS, ClaimInput, Prediction
from .systems import NoAnswer

CheckFn = Callable[[ClaimInput], Prediction]


def call_checker(check: CheckFn, claim: ClaimInput) -> Prediction | None:
    """One guarded call: never raises; fills latency and checks the answer's shape.
    ``None`` means the system has no answer for this case (it will count as missing)."""
    t0 = time.perf_counter()
    try:
        pred = check(claim)
    except NoAnswer:
        return None
    except Exception as exc:  # noqa: BLE001 - any failure of a system is recorded, not raised
        return Prediction(claim.case_id, None, latency_s=time.perf_counter() - t0,
                          error=f"{type(exc).__name__}: {exc}")
    latency = time.perf_counter() - t0
    if not isinstance(pred, Prediction):
        return Prediction(claim.case_id, None, latency_s=latency,
                          error=f"system returned {type(pred).__name__}, not a Prediction")
    if pred.case_id != claim.case_id:
        return Prediction(claim.case_id, None, latency_s=latency,
                          error=f"system answered for case '{pred.case_id}' instead")
    if pred.error is None and pred.label not in LABELS:
        return Prediction(claim.case_id, None, latency_s=latency, raw=pred.raw,
                          error=f"system returned an unknown label {pred.label!r}")
    if pred.latency_s is None:
        pred.latency_s = latency
    return pred


def run_inline(check: CheckFn, claims: Iterable[ClaimInput]) -> Iterator[Prediction | None]:
    for claim in claims:
        yield call_checker(check, claim)


class _Worker(threading.Thread):
    def __init__(self, pool: ThreadedRunner):
        super().__init__(daemon=True)
        self.pool = pool
        self.abandoned = False
        self.current: tuple[ClaimInput, float] | None = None
        self.lock = threading.Lock()

    def run(self) -> None:
        pool = self.pool
        while not self.abandoned:
            claim = pool.tasks.get()
            if claim is None:
                return
            with self.lock:
                self.current = (claim, time.monotonic())
            pred = call_checker(pool.check, claim)
            with self.lock:
                if self.abandoned:  # timed out meanwhile: the timeout was already recorded
                    return
                self.current = None
                pool.results.put(pred)


class ThreadedRunner:
    """Run ``check`` on ``workers`` threads; yields predictions in completion order."""

    def __init__(self, check: CheckFn, workers: int, timeout: float | None):
        self.check = check
        self.workers_n = max(1, workers)
        self.timeout = timeout
        self.tasks: queue.Queue[ClaimInput | None] = queue.Queue(maxsize=self.workers_n * 2)
        self.results: queue.Queue[Prediction | None] = queue.Queue()
        self.workers: list[_Worker] = []

    def _spawn(self) -> None:
        w = _Worker(self)
        self.workers.append(w)
        w.start()

    def _expire(self) -> list[Prediction]:
        """Record calls that ran past the timeout and replace their threads."""
        out = []
        if self.timeout is None:
            return out
        now = time.monotonic()
        for w in list(self.workers):
            with w.lock:
                cur = w.current
                if cur is None or w.abandoned or now - cur[1] <= self.timeout:
                    continue
                w.abandoned = True
                self.workers.remove(w)
            out.append(Prediction(cur[0].case_id, None, latency_s=now - cur[1],
                                  error=f"timed out after {self.timeout:g} s"))
            self._spawn()
        return out

    def run(self, claims: Iterable[ClaimInput]) -> Iterator[Prediction | None]:
        for _ in range(self.workers_n):
            self._spawn()
        pending = 0
        it = iter(claims)
        exhausted = False
        poll = 0.05 if self.timeout is None else min(0.05, self.timeout / 4)
        try:
            while True:
                while not exhausted and not self.tasks.full():
                    claim = next(it, None)
                    if claim is None:
                        exhausted = True
                        break
                    self.tasks.put(claim)
                    pending += 1
                if exhausted and pending == 0:
                    return
                try:
                    pred = self.results.get(timeout=poll)
                    pending -= 1
                    yield pred
                    while True:  # drain without waiting
                        pred = self.results.get_nowait()
                        pending -= 1
                        yield pred
                except queue.Empty:
                    pass
                for pred in self._expire():
                    pending -= 1
                    yield pred
        finally:
            for w in self.workers:
                w.abandoned = True
            while True:  # unblock idle workers
                try:
                    self.tasks.get_nowait()
                except queue.Empty:
                    break
            for _ in self.workers:
                try:
                    self.tasks.put_nowait(None)
                except queue.Full:
                    break


def run_checker(check: CheckFn, claims: Iterable[ClaimInput], workers: int = 1,
                timeout: float | None = None) -> Iterator[Prediction | None]:
    """Inline when one worker and no timeout (fastest), else on threads."""
    if workers <= 1 and timeout is None:
        return run_inline(check, claims)
    return ThreadedRunner(check, workers, timeout).run(claims)
