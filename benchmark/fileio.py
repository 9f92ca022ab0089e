"""Reading and writing the harness's files safely: JSON/JSONL with precise errors, atomic writes,
an inter-process lock."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .errors import InputError


def read_text(path: Path) -> str:
    """Read a UTF-8 text file, turning every failure into one clear sentence."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: file not found.") from None
    except IsADirectoryError:
        raise InputError(f"{path}: expected a file but found a directory.") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror}).") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"{path}:{line}: is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset "
            f"{exc.start}); save the file as UTF-8."
        ) from None


def read_json(path: Path) -> Any:
    text = read_text(path)
    if not text.strip():
        raise InputError(f"{path}: file is empty; expected a JSON object.")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}:{exc.lineno}: malformed JSON ({exc.msg}).") from None


def iter_jsonl(path: Path, *, allow_empty: bool = True,
               bad_lines: list[tuple[int, str]] | None = None) -> Iterator[tuple[int, Any]]:
    """Yield ``(line_number, object)`` for each non-blank line.

    A malformed line raises InputError, or, when ``bad_lines`` is a list, is recorded there as
    ``(line_number, what is wrong)`` and skipped so that every bad line can be reported at once.
    Streams the file, so memory does not grow with the number of lines.
    """
    if not path.exists():
        raise InputError(f"{path}: file not found.")
    seen = False
    try:
        with path.open("r", encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                seen = True
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    what = f"malformed JSON ({exc.msg} at column {exc.colno})"
                    if bad_lines is None:
                        raise InputError(f"{path}:{lineno}: {what}.") from None
                    bad_lines.append((lineno, what))
                    continue
                yield lineno, obj
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: is not valid UTF-8 ({exc.reason}); save it as UTF-8.") from None
    if not seen and not allow_empty:
        raise InputError(f"{path}: file is empty; expected one JSON object per line.")


def dumps_line(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(", ", ": ")) + "\n"


def atomic_write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that a reader sees either the old or the new file, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write_json(path: Path, obj: Any) -> None:
    atomic_write_text(path, json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


@contextlib.contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """An exclusive inter-process lock held on ``path`` (created if missing) for the block."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as fh:
        if os.name == "nt":  # pragma: no cover - exercised on Windows only
            import msvcrt

            fh.seek(0)
            msvcrt.locking(fh.fileno(), msvcrt.LK_LOCK, 1)
            try:
                yield
            finally:
                fh.seek(0)
                msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
