"""The plug-in interface for checker systems, and finding systems by name.

A system is a :class:`Checker` subclass. Systems come from three places, first match wins:
the built-ins in ``runners/``, the entry-point group ``claimbench.systems`` (third-party
packages), and named configurations in a ``systems.toml`` (``[systems.NAME] runner = "..."``
plus parameters).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from .errors import InputError
from .records import ClaimInput, Prediction

ENTRY_POINT_GROUP = "claimbench.systems"
SECRET_ENV = re.compile(r"KEY|TOKEN|SECRET|PASSWORD", re.IGNORECASE)


@dataclass(frozen=True)
class Param:
    """One configuration parameter of a system."""

    default: Any
    help: str = ""
    type: Callable[[Any], Any] | None = None  # defaults to the type of ``default``
    secret: bool = False  # never written to a record


def _coerce(kind: Callable[[Any], Any], value: Any) -> Any:
    if kind is bool and isinstance(value, str):
        low = value.strip().lower()
        if low in ("1", "true", "yes", "on"):
            return True
        if low in ("0", "false", "no", "off"):
            return False
        raise ValueError(f"expected true or false, got {value!r}")
    return kind(value)


class NoAnswer(Exception):
    """Raised by ``check`` when a system has no answer for a case: nothing is recorded, and the
    case counts as missing (not as failed)."""


class Checker:
    """Base class of every system. Subclasses set ``name``, ``description``, ``params`` and
    implement :meth:`check`; the engine calls it once per case (on ``--workers`` threads), so a
    system that serves several threads must be thread-safe.
    """

    name: ClassVar[str] = ""
    description: ClassVar[str] = ""
    params: ClassVar[dict[str, Param]] = {}
    requires_modules: ClassVar[tuple[str, ...]] = ()  # optional dependencies, by import name
    install_hint: ClassVar[str] = ""  # how to get them, e.g. "pip install 'claimbench[llm]'"

    def __init__(self, **config: Any):
        unknown = sorted(set(config) - set(self.params))
        if unknown:
            known = ", ".join(sorted(self.params)) or "none"
            raise InputError(
                f"System '{self.name}' has no parameter '{unknown[0]}' (known: {known})."
            )
        values: dict[str, Any] = {}
        for key, spec in self.params.items():
            raw = config.get(key, spec.default)
            kind = spec.type or (type(spec.default) if spec.default is not None else None)
            try:
                values[key] = raw if raw is None or kind is None else _coerce(kind, raw)
            except (TypeError, ValueError) as exc:
                raise InputError(f"System '{self.name}': parameter '{key}': {exc}.") from None
        self.config = values
        self.setup()

    def setup(self) -> None:
        """Validate the configuration and prepare; raise InputError with one clear sentence."""

    def check(self, claim: ClaimInput) -> Prediction:
        raise NotImplementedError

    def use_dataset(self, path: Path) -> None:
        """Called first by the engine with the folder of the dataset being run (e.g. to find a
        knowledge file that lives beside it)."""

    def begin(self, case_ids: list[str]) -> None:
        """Called once before a run with the ids of the selected cases, if a system overrides it
        (e.g. to refuse a predictions file that names unknown cases)."""

    def close(self) -> None:
        """Release resources (processes, connections) at the end of a run."""

    def identity_extra(self) -> dict[str, Any]:
        """Extra facts that make two runs different (e.g. the hash of a prompt file)."""
        return {}

    @classmethod
    def availability(cls, config: dict[str, Any]) -> str | None:
        """``None`` when the system can run here, else the reason it cannot."""
        for module in cls.requires_modules:
            if importlib.util.find_spec(module) is None:
                hint = f"; {cls.install_hint}" if cls.install_hint else ""
                return f"needs the Python package '{module}' (not installed){hint}"
        return None

    def public_config(self) -> dict[str, Any]:
        """The configuration with secrets removed: safe to write to a record."""
        secret_values = {v for k, v in os.environ.items() if SECRET_ENV.search(k) and len(v) >= 8}
        out = {}
        for key, value in sorted(self.config.items()):
            if self.params[key].secret:
                continue
            out[key] = "***" if isinstance(value, str) and value in secret_values else value
        return out


@dataclass
class SystemSpec:
    """A system as found by discovery, not yet constructed."""

    name: str
    source: str
    runner: str
    load: Callable[[], type[Checker]] = field(repr=False)
    preset: dict[str, Any] = field(default_factory=dict)
    description: str = ""

    def checker_class(self) -> type[Checker]:
        try:
            cls = self.load()
        except (ImportError, AttributeError) as exc:
            raise InputError(f"System '{self.name}' cannot be loaded: {exc}.") from None
        if not (isinstance(cls, type) and issubclass(cls, Checker)):
            raise InputError(f"System '{self.name}' ({self.source}) is not a claimbench Checker.")
        return cls

    def create(self, overrides: dict[str, Any] | None = None) -> Checker:
        cls = self.checker_class()
        checker = cls(**{**self.preset, **(overrides or {})})
        return checker

    def availability(self) -> tuple[str, str | None]:
        """``("yes", None)``, ``("no", why)`` (cannot run here), or ``("needs --param", what)``
        (a built-in that runs once it is given parameters)."""
        try:
            cls = self.checker_class()
        except InputError as exc:
            return "no", str(exc)
        reason = cls.availability(self.preset)
        if reason is not None:
            return "no", reason
        try:
            cls(**self.preset).close()
        except InputError as exc:
            return ("no" if self.preset else "needs --param"), str(exc)
        return "yes", None


def _import_object(path: str) -> Callable[[], Any]:
    module, _, attr = path.partition(":")
    return lambda: getattr(importlib.import_module(module), attr)


def builtin_specs() -> dict[str, SystemSpec]:
    from runners import BUILTINS

    return {
        name: SystemSpec(name, "built-in", name, _import_object(target), description=desc)
        for name, (target, desc) in BUILTINS.items()
    }


def entry_point_specs() -> dict[str, SystemSpec]:
    from importlib.metadata import entry_points

    out = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        dist = getattr(ep, "dist", None)
        source = f"entry point ({dist.name if dist else ep.value})"
        out[ep.name] = SystemSpec(ep.name, source, ep.name, ep.load)
    return out


def _load_toml(path: Path) -> dict[str, Any]:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror}).") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: malformed TOML ({exc}).") from None


def toml_specs(path: Path, base: dict[str, SystemSpec]) -> dict[str, SystemSpec]:
    data = _load_toml(path)
    systems = data.get("systems", {})
    if not isinstance(systems, dict):
        raise InputError(f"{path}: 'systems' must be a table of [systems.NAME] entries.")
    out = {}
    for name, entry in systems.items():
        if not isinstance(entry, dict) or "runner" not in entry:
            raise InputError(f"{path}: [systems.{name}] needs a 'runner' (e.g. runner = \"llm\").")
        params = dict(entry)
        runner = str(params.pop("runner"))
        description = str(params.pop("description", ""))
        if runner in base:
            parent = base[runner]
        elif re.fullmatch(r"[\w.]+:\w+", runner):  # "package.module:CheckerClass"
            parent = SystemSpec(runner, "import path", runner, _import_object(runner))
        else:
            raise InputError(
                f"{path}: [systems.{name}] runner '{runner}' is unknown; use a system name "
                f"({', '.join(sorted(base))}) or an import path 'package.module:Class'."
            )
        out[name] = SystemSpec(name, f"systems.toml ({path})", runner, parent.load,
                               preset={**parent.preset, **params},
                               description=description or parent.description)
    return out


def discover(systems_file: Path | None = None) -> dict[str, SystemSpec]:
    """Every system by name: built-ins, then entry points, then ``systems.toml`` entries."""
    specs = builtin_specs()
    for name, spec in entry_point_specs().items():
        specs.setdefault(name, spec)
    if systems_file is None and Path("systems.toml").is_file():
        systems_file = Path("systems.toml")
    elif systems_file is not None and not systems_file.is_file():
        raise InputError(f"{systems_file}: --systems-file not found.")
    if systems_file is not None:
        for name, spec in toml_specs(systems_file, dict(specs)).items():
            specs.setdefault(name, spec)
    return specs


def parse_params(pairs: Sequence[str]) -> dict[str, str]:
    """Parse ``key=value`` strings from ``--param``."""
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InputError(f"--param {pair!r}: expected key=value.")
        out[key.strip()] = value
    return out


def load_system(name: str, params: dict[str, Any] | None = None,
                systems_file: Path | None = None) -> tuple[SystemSpec, Checker]:
    specs = discover(systems_file)
    if name not in specs:
        raise InputError(f"Unknown system '{name}'; `bench systems` lists them: "
                         f"{', '.join(sorted(specs))}.")
    spec = specs[name]
    cls = spec.checker_class()
    reason = cls.availability({**spec.preset, **(params or {})})
    if reason:
        raise InputError(f"System '{name}' cannot run here: {reason}.")
    return spec, spec.create(params)
