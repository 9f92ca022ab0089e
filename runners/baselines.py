"""Baseline systems: the floor every real checker must beat."""

from __future__ import annotations

import random
import zlib

from benchmark.records import LABELS, ClaimInput, Prediction
from benchmark.systems import Checker, Param


class AlwaysSupported(Checker):
    name = "always-supported"
    description = "Says every claim is supported."

    def check(self, claim: ClaimInput) -> Prediction:
        return Prediction(claim.case_id, "supported", confidence=0.0)


class AlwaysRefuted(Checker):
    name = "always-refuted"
    description = "Says every claim is refuted."

    def check(self, claim: ClaimInput) -> Prediction:
        return Prediction(claim.case_id, "refuted", confidence=1.0)


class RandomChecker(Checker):
    name = "random"
    description = "A seeded random label per case; the same seed gives the same answers."
    params = {"seed": Param(0, "random seed"),
              "p_refuted": Param(1 / 3, "probability of answering 'refuted'")}

    def setup(self) -> None:
        if not 0.0 <= self.config["p_refuted"] <= 1.0:
            from benchmark.errors import InputError

            raise InputError("System 'random': parameter 'p_refuted' must be between 0 and 1.")

    def check(self, claim: ClaimInput) -> Prediction:
        # Seeded per case (not per call order) so answers do not depend on threads or resumes.
        rng = random.Random(f"{self.config['seed']}:{zlib.crc32(claim.case_id.encode())}")
        p = self.config["p_refuted"]
        u = rng.random()
        if u < p:
            label = "refuted"
        else:
            label = LABELS[0] if rng.random() < 0.5 else LABELS[2]
        return Prediction(claim.case_id, label, confidence=round(rng.random() * 0.5 + 0.5 * (u < p), 6))
