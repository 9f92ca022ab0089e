"""`predictions`: score an existing predictions file as if it were a system."""

from __future__ import annotations

from pathlib import Path

from benchmark.errors import InputError
from benchmark.records import ClaimInput, Prediction
from benchmark.systems import Checker, NoAnswer, Param


class PredictionsFile(Checker):
    name = "predictions"
    description = "Replays a predictions JSONL file (--param path=FILE); missing cases count as missing."
    params = {"path": Param(None, "the predictions file (JSONL, one prediction per line)", str)}

    def setup(self) -> None:
        from benchmark.fileio import iter_jsonl
        from benchmark.schemas import schema_problems

        if not self.config["path"]:
            raise InputError("System 'predictions' needs --param path=FILE.")
        path = Path(self.config["path"])
        problems, self._by_id = [], {}
        for lineno, obj in iter_jsonl(path, allow_empty=False):
            errs = schema_problems("prediction", obj)
            if errs:
                problems += [f"{path}:{lineno}: {f}: {m}" for f, m in errs]
                continue
            if obj["case_id"] in self._by_id:
                problems.append(f"{path}:{lineno}: case_id: '{obj['case_id']}' appears twice")
            self._by_id[obj["case_id"]] = obj
        if problems:
            raise InputError("Invalid predictions file:\n" + "\n".join(problems[:20]))

    def identity_extra(self) -> dict:
        import hashlib

        return {"file_sha256": hashlib.sha256(Path(self.config["path"]).read_bytes()).hexdigest()}

    def begin(self, case_ids: list[str]) -> None:
        unknown = sorted(set(self._by_id) - set(case_ids))
        if unknown:
            raise InputError(f"{self.config['path']}: {len(unknown)} prediction(s) name cases that "
                             f"are not in the dataset selection, e.g. '{unknown[0]}'.")

    def check(self, claim: ClaimInput) -> Prediction:
        obj = self._by_id.get(claim.case_id)
        if obj is None:
            raise NoAnswer(claim.case_id)
        return Prediction.from_dict(obj)
