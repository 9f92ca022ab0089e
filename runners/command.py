"""`command`: any external program as a checker, speaking JSON lines over stdin/stdout.

The program is started once (an argument list, never a shell string). For each case the harness
writes one ClaimInput JSON object and a newline to its stdin and reads one prediction JSON object
per line from its stdout (``{"case_id": ..., "label": ..., "errors": [...], "confidence": ...}``).
A program that exits, hangs past the per-case timeout or writes something that is not a
prediction gets an error naming the case and the tail of its stderr; after an exit or a hang it
is started again for the next case.
"""

from __future__ import annotations

import collections
import json
import queue
import shlex
import subprocess
import threading
from typing import Any

from benchmark.errors import InputError
from benchmark.records import ClaimInput, Prediction
from benchmark.systems import Checker, Param


def _argv(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, str) and value.strip():
        return shlex.split(value)
    raise InputError("System 'command' needs --param command='program arg ...' "
                     "(or a list in systems.toml).")


class CommandChecker(Checker):
    name = "command"
    description = "Runs an external program that reads ClaimInput JSON lines and writes predictions."
    params = {
        "command": Param(None, "the program and its arguments", lambda v: v),
        "case_timeout": Param(60.0, "seconds to wait for one answer"),
        "max_restarts": Param(5, "how often a program that exited or hung is started again"),
    }

    def setup(self) -> None:
        self.argv = _argv(self.config["command"])
        self._proc: subprocess.Popen | None = None
        self._lock = threading.Lock()
        self._restarts = -1
        self._stderr: collections.deque[str] = collections.deque(maxlen=20)
        self._lines: queue.Queue[str | None] = queue.Queue()

    def _start(self) -> subprocess.Popen:
        if self._restarts >= self.config["max_restarts"]:
            raise RuntimeError(f"{self.argv[0]} was restarted {self._restarts} times; giving up")
        self._restarts += 1
        try:
            proc = subprocess.Popen(self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True, bufsize=1,
                                    encoding="utf-8")
        except OSError as exc:
            raise RuntimeError(f"cannot start {self.argv[0]}: {exc.strerror}") from None
        lines: queue.Queue[str | None] = queue.Queue()
        self._lines = lines

        def pump_out() -> None:
            for line in proc.stdout:  # type: ignore[union-attr]
                lines.put(line)
            lines.put(None)  # end of output: the program exited

        def pump_err() -> None:
            for line in proc.stderr:  # type: ignore[union-attr]
                self._stderr.append(line.rstrip("\n"))

        threading.Thread(target=pump_out, daemon=True).start()
        threading.Thread(target=pump_err, daemon=True).start()
        self._proc = proc
        return proc

    def _tail(self) -> str:
        tail = " | ".join(list(self._stderr)[-5:])
        return f"; stderr: {tail}" if tail else "; stderr was empty"

    def _stop(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait()
            self._proc = None

    def check(self, claim: ClaimInput) -> Prediction:
        with self._lock:  # one program, one conversation at a time
            proc = self._proc if self._proc and self._proc.poll() is None else self._start()
            try:
                proc.stdin.write(json.dumps(claim.to_dict(), ensure_ascii=False) + "\n")  # type: ignore[union-attr]
                proc.stdin.flush()  # type: ignore[union-attr]
            except (BrokenPipeError, OSError):
                self._stop()
                raise RuntimeError(f"{self.argv[0]} exited before case {claim.case_id}"
                                   f"{self._tail()}") from None
            try:
                line = self._lines.get(timeout=self.config["case_timeout"])
            except queue.Empty:
                self._stop()
                raise TimeoutError(f"{self.argv[0]} gave no answer for case {claim.case_id} within "
                                   f"{self.config['case_timeout']:g} s{self._tail()}") from None
            if line is None:
                code = proc.wait()
                self._proc = None
                raise RuntimeError(f"{self.argv[0]} exited with code {code} on case "
                                   f"{claim.case_id}{self._tail()}")
        try:
            obj = json.loads(line)
            pred = Prediction.from_dict(obj)
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError):
            raise ValueError(f"{self.argv[0]} wrote something that is not a prediction for case "
                             f"{claim.case_id}: {line.strip()[:200]!r}{self._tail()}") from None
        if pred.case_id != claim.case_id:
            raise ValueError(f"{self.argv[0]} answered for case '{pred.case_id}' when asked "
                             f"about '{claim.case_id}'")
        return pred

    def close(self) -> None:
        if self._proc is not None:
            try:
                self._proc.stdin.close()  # type: ignore[union-attr]
                self._proc.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                self._stop()
            self._proc = None
