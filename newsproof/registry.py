"""Named tables of swappable implementations: judges, detectors, embedders, evidence-store schemes.

A `Registry` maps a (versioned) name such as ``newsproof.features.v2`` to a factory. Config values pick an
implementation by name, so swapping a backend is a config change; an old name keeps working as long as
its entry stays. Factories import their implementation lazily, so reading a table costs nothing.

    JUDGES: Registry[Judge] = Registry("verify.judge")

    @JUDGES.register("learned")
    def _learned(config: Mapping[str, Any]) -> Judge: ...

    judge = JUDGES.get("learned", config)  # unknown names raise ConfigError listing the choices
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, Generic, TypeVar

from newsproof.errors import ConfigError, Errors

T = TypeVar("T")


class Registry(Generic[T]):
    """Name -> factory, listed in registration order (aliases resolve but are not listed); iterating, `in`,
    `len` and `registry[name]` (the factory) work as on a dict.

    `setting` names the config key (or option) that chooses an entry, for error messages; `extra_choices` are
    names the caller resolves itself (e.g. "default") and shows first; `error` replaces the default
    `ConfigError` for an unknown name.
    """

    def __init__(self, setting: str, *, extra_choices: Sequence[str] = (),
                 error: Callable[[str], Exception] | None = None) -> None:
        self.setting = setting
        self.extra_choices = tuple(extra_choices)
        self.error = error
        self._factories: dict[str, Callable[..., T]] = {}
        self._aliases: dict[str, str] = {}

    def register(self, name: str, factory: Callable[..., T] | None = None, *,
                 aliases: Sequence[str] = ()) -> Any:
        """Add `factory` under `name` (and `aliases`); without `factory`, a decorator that adds the function."""

        def add(func: Callable[..., T]) -> Callable[..., T]:
            for key in (name, *aliases):
                if key in self:
                    raise ValueError(f"{key!r} is registered twice for {self.setting}")
            self._factories[name] = func
            self._aliases.update(dict.fromkeys(aliases, name))
            return func

        return add(factory) if factory is not None else add

    def names(self) -> list[str]:
        """The registered names, in registration order."""
        return list(self._factories)

    def unknown(self, value: str) -> Exception:
        """The error for a name that is not registered, listing the choices."""
        if self.error is not None:
            return self.error(value)
        choices = ", ".join([*self.extra_choices, *self._factories])
        return ConfigError(Errors.E301.format(value=value, name=self.setting, choices=choices))

    def get(self, name: str, *args: Any, **kwargs: Any) -> T:
        """Build the implementation registered as `name` with the factory's arguments."""
        if name not in self:
            raise self.unknown(name)
        return self[name](*args, **kwargs)

    def __getitem__(self, name: str) -> Callable[..., T]:
        return self._factories[self._aliases.get(name, name)]

    def __iter__(self) -> Iterator[str]:
        return iter(self._factories)

    def __len__(self) -> int:
        return len(self._factories)

    def __contains__(self, name: object) -> bool:
        return name in self._factories or name in self._aliases

    def __repr__(self) -> str:
        return f"Registry({self.setting!r}, {self.names()})"
