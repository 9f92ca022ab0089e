"""Checker systems used by the tests (loaded through systems.toml import paths)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from benchmark.records import ClaimInput, Prediction
from benchmark.systems import Checker, Param


class CountingChecker(Checker):
    """Appends each case id it is called for to a file, then sleeps; answers 'supported'."""

    name = "counting"
    description = "test system that counts its calls"
    params = {"calls_file": Param("calls.txt"), "sleep": Param(0.0)}

    def check(self, claim: ClaimInput) -> Prediction:
        fd = os.open(self.config["calls_file"], os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        os.write(fd, (claim.case_id + "\n").encode())
        os.close(fd)
        time.sleep(self.config["sleep"])
        return Prediction(claim.case_id, "supported", confidence=0.1)


class FlakyChecker(Checker):
    """Raises on every 5th case and hangs on every 7th."""

    name = "flaky"
    params = {"hang": Param(5.0)}

    def check(self, claim: ClaimInput) -> Prediction:
        n = int(claim.case_id.rsplit("-", 1)[1])
        if n % 5 == 0:
            raise RuntimeError(f"boom on {claim.case_id}")
        if n % 7 == 0:
            time.sleep(self.config["hang"])
        return Prediction(claim.case_id, "refuted", confidence=0.9)


def calls(path: Path) -> list[str]:
    return path.read_text().split() if path.exists() else []
