"""One sign-in at a time per client key, so parallel attempts cannot outrun the backoff.

The backoff reads a key's lock before the platform call and records a wrong pair after it:
without this, ten attempts sent at once would all pass the check before the first failure is
recorded. :class:`KeyLocks` holds an :class:`asyncio.Lock` per key across the check, the
platform call and the record.

Bounded: a key's lock exists only while a sign-in for it holds or awaits it (a count of its
users; the last one out removes it), so the table holds at most the sign-ins in flight.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field


@dataclass
class _Entry:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0


class KeyLocks:
    """``async with locks.hold(key):`` runs one block at a time per key."""

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}

    def __len__(self) -> int:
        """Keys with a sign-in holding or awaiting their lock."""
        return len(self._entries)

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        entry = self._entries.setdefault(key, _Entry())
        entry.users += 1
        try:
            async with entry.lock:
                yield
        finally:
            entry.users -= 1
            if entry.users == 0:
                del self._entries[key]
