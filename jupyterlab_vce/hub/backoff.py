"""Per-client-key sign-in backoff: repeated rejected pairs for one key are slowed down.

Only pairs the platform *rejected* count (a guessed secret); an unreachable platform does
not, so an outage never locks researchers out. After ``free_failures`` rejections in a row
the key is locked for ``base_seconds``, doubling with each further rejection up to
``max_seconds``; a success clears the key. A key whose last rejection is older than
``forget_seconds`` starts over. The clock is injected, so the policy is tested without
waiting.

The tracker lives in the hub's memory: it slows down guessing through this hub's login page
(the platform keeps its own limits on its token route). A hub restart forgets it.

Memory is bounded by ``max_keys``: when the table is full, entries that are not locked are
dropped (forgotten ones first, then the oldest); a locked entry is never dropped, so failures
on other keys cannot clear a key's lock. When every entry is locked, a key not in the table
must wait until the first lock ends (:meth:`FailureTracker.table_full_wait`).

What this does not limit: spraying guesses across many client keys (a few tries on each).
That is a job for the platform's own limits and for the hub's front (a reverse proxy's rate
limit per address, fail2ban on the hub's log lines "wrong pair").
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Failures:
    count: int
    last_failure: float
    locked_until: float


class FailureTracker:
    """Counts rejected sign-ins per client key and says how long a key must wait."""

    def __init__(
        self,
        *,
        free_failures: int = 3,
        base_seconds: float = 2.0,
        max_seconds: float = 300.0,
        forget_seconds: float = 3600.0,
        max_keys: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if free_failures < 0 or base_seconds <= 0 or max_seconds < base_seconds:
            raise ValueError(
                "The backoff needs free_failures >= 0 and 0 < base_seconds <= max_seconds."
            )
        self.free_failures = free_failures
        self.base_seconds = base_seconds
        self.max_seconds = max_seconds
        self.forget_seconds = max(forget_seconds, max_seconds)
        self.max_keys = max_keys
        self._clock = clock
        self._failures: dict[str, _Failures] = {}

    def delay_after(self, count: int) -> float:
        """Seconds a key is locked after ``count`` rejections in a row (pure policy)."""
        excess = count - self.free_failures
        if excess <= 0:
            return 0.0
        # 2 ** excess overflows nothing: the exponent is capped before it grows large.
        exponent = min(excess - 1, 32)
        return min(self.base_seconds * 2**exponent, self.max_seconds)

    def retry_after(self, key: str) -> int:
        """Whole seconds until ``key`` may try again; 0 when it may try now."""
        entry = self._current(key)
        if entry is None:
            return 0
        remaining = entry.locked_until - self._clock()
        return math.ceil(remaining) if remaining > 0 else 0

    def failures(self, key: str) -> int:
        """Rejections in a row recorded for ``key`` (0 once forgotten or cleared)."""
        entry = self._current(key)
        return entry.count if entry else 0

    def table_full_wait(self, key: str) -> int:
        """Whole seconds a key the table does not hold must wait because every entry is locked.

        0 when ``key`` is in the table or there is room (unlocked entries can be dropped).
        """
        if self._current(key) is not None:
            return 0
        now = self._clock()
        self._prune(now, room_for=1)
        if len(self._failures) < self.max_keys:
            return 0
        first_unlock = min(entry.locked_until for entry in self._failures.values())
        return max(math.ceil(first_unlock - now), 1)

    def record_failure(self, key: str) -> int:
        """Count a rejected pair for ``key``; return the seconds it is now locked for."""
        now = self._clock()
        entry = self._current(key)
        count = entry.count + 1 if entry else 1
        delay = self.delay_after(count)
        self._failures[key] = _Failures(count=count, last_failure=now, locked_until=now + delay)
        self._prune(now)
        return math.ceil(delay)

    def record_success(self, key: str) -> None:
        """The platform accepted ``key``'s pair: start it over."""
        self._failures.pop(key, None)

    def _current(self, key: str) -> _Failures | None:
        entry = self._failures.get(key)
        if entry is not None and self._clock() - entry.last_failure > self.forget_seconds:
            del self._failures[key]
            return None
        return entry

    def _prune(self, now: float, room_for: int = 0) -> None:
        """Keep memory bounded: drop forgotten, then unlocked entries, oldest first; never a lock.

        ``room_for``: make room for that many new keys too. Locked entries stay even over the
        cap (the table exceeds it by at most the sign-ins in flight when it filled up).
        """
        limit = self.max_keys - room_for
        if len(self._failures) <= limit:
            return
        entries = self._failures
        for key in [k for k, e in entries.items() if now - e.last_failure > self.forget_seconds]:
            del entries[key]
        if len(entries) <= limit:
            return
        unlocked = sorted(
            (k for k, e in entries.items() if e.locked_until <= now),
            key=lambda k: entries[k].last_failure,
        )
        for key in unlocked[: len(entries) - limit]:
            del entries[key]
