"""Hooks: how one capability reacts to what happens in another without importing it.

The capability where something happens declares a ``Hook`` and sends it; a capability that
reacts declares ``(hook, receiver)`` pairs in its ``Capability.subscriptions``, and the
composition root connects them when it builds the application. Dependencies keep pointing
one way: the reactor imports the hook it listens to, never the other way round.

Receivers run synchronously, in order of connection, inside the sender's transaction (they
get its session), so what they write commits or rolls back with the sender's work: the
exactly-once guarantees of SLA marks and the outbox are the same as if the call were direct.
A receiver's exception propagates to the sender, as a direct call's would.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Hook:
    """A named point other capabilities subscribe to; ``send`` returns each receiver's result in order."""

    __slots__ = ("_receivers", "description", "name")

    def __init__(self, name: str, description: str) -> None:
        self.name = name
        self.description = description
        self._receivers: tuple[Callable[..., Any], ...] = ()

    def connect(self, receiver: Callable[..., Any]) -> None:
        """Add a receiver; connecting the same one again changes nothing (every app built connects them)."""
        if receiver not in self._receivers:
            self._receivers = (*self._receivers, receiver)

    @property
    def receivers(self) -> tuple[Callable[..., Any], ...]:
        return self._receivers

    def send(self, *args: Any, **kwargs: Any) -> list[Any]:
        return [receiver(*args, **kwargs) for receiver in self._receivers]

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self._receivers)} receiver(s)>"


class Registry:
    """A named table of handlers by key that other capabilities extend (e.g. action kinds)."""

    __slots__ = ("_handlers", "description", "name")

    def __init__(self, name: str, description: str) -> None:
        self.name = name
        self.description = description
        self._handlers: dict[str, Callable[..., Any]] = {}

    def register(self, key: str, handler: Callable[..., Any]) -> None:
        """Add a handler; the same one again changes nothing, another one for a taken key is a bug."""
        known = self._handlers.get(key)
        if known is not None and known is not handler:
            raise ValueError(f"{self.name}: {key!r} already has a handler ({known.__module__}.{known.__qualname__})")
        self._handlers[key] = handler

    def get(self, key: str) -> Callable[..., Any] | None:
        return self._handlers.get(key)

    def keys(self) -> list[str]:
        return list(self._handlers)

    def __repr__(self) -> str:
        return f"<Registry {self.name}: {', '.join(self._handlers) or 'empty'}>"
