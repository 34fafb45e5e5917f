"""The per-key backoff, on an injected clock (pure)."""

from __future__ import annotations

import pytest

from jupyterlab_vce.hub.backoff import FailureTracker

from .conftest import FakeClock


def tracker(clock: FakeClock, **options: float) -> FailureTracker:
    return FailureTracker(clock=clock, **options)  # type: ignore[arg-type]


def test_free_failures_then_doubling_up_to_the_cap(clock: FakeClock) -> None:
    backoff = tracker(clock, free_failures=3, base_seconds=2, max_seconds=20)
    delays = [backoff.delay_after(count) for count in range(1, 10)]
    assert delays == [0, 0, 0, 2, 4, 8, 16, 20, 20]


def test_a_key_is_locked_after_the_free_failures_until_its_delay_passed(clock: FakeClock) -> None:
    backoff = tracker(clock, free_failures=2, base_seconds=10, max_seconds=100)
    assert backoff.record_failure("k") == 0
    assert backoff.record_failure("k") == 0
    assert backoff.retry_after("k") == 0
    assert backoff.record_failure("k") == 10
    assert backoff.retry_after("k") == 10
    clock.advance(9.5)
    assert backoff.retry_after("k") == 1  # whole seconds, rounded up
    clock.advance(0.5)
    assert backoff.retry_after("k") == 0
    assert backoff.record_failure("k") == 20
    assert backoff.failures("k") == 4


def test_keys_are_counted_apart(clock: FakeClock) -> None:
    backoff = tracker(clock, free_failures=0, base_seconds=5, max_seconds=5)
    backoff.record_failure("a")
    assert backoff.retry_after("a") == 5
    assert backoff.retry_after("b") == 0
    assert backoff.retry_after("A") == 0  # exact keys: the authenticator lowercases them


def test_a_success_starts_the_key_over(clock: FakeClock) -> None:
    backoff = tracker(clock, free_failures=1, base_seconds=5, max_seconds=50)
    backoff.record_failure("k")
    backoff.record_failure("k")
    backoff.record_success("k")
    assert backoff.failures("k") == 0
    assert backoff.retry_after("k") == 0
    assert backoff.record_failure("k") == 0


def test_an_old_streak_is_forgotten(clock: FakeClock) -> None:
    backoff = tracker(clock, free_failures=1, base_seconds=5, max_seconds=50, forget_seconds=600)
    backoff.record_failure("k")
    backoff.record_failure("k")
    clock.advance(601)
    assert backoff.failures("k") == 0
    assert backoff.record_failure("k") == 0


def test_memory_stays_bounded_by_dropping_unlocked_keys_oldest_first(clock: FakeClock) -> None:
    backoff = tracker(clock, free_failures=1, base_seconds=100, max_seconds=100, max_keys=3)
    backoff.record_failure("old")  # a free failure: counted, not locked
    clock.advance(1)
    backoff.record_failure("newer")
    backoff.record_failure("locked")
    backoff.record_failure("locked")
    backoff.record_failure("fourth")
    assert backoff.failures("old") == 0  # the oldest unlocked entry went
    assert [backoff.failures(key) for key in ("newer", "locked", "fourth")] == [1, 2, 1]


def test_failures_on_other_keys_never_clear_a_lock(clock: FakeClock) -> None:
    backoff = tracker(clock, free_failures=0, base_seconds=100, max_seconds=100, max_keys=3)
    backoff.record_failure("target")
    for n in range(50):  # a spray of wrong pairs on other keys
        if not backoff.table_full_wait(f"other-{n}"):
            backoff.record_failure(f"other-{n}")
    assert backoff.retry_after("target") == 100
    assert len(backoff._failures) == 3


def test_a_table_full_of_locked_keys_makes_new_keys_wait(clock: FakeClock) -> None:
    backoff = tracker(clock, free_failures=0, base_seconds=100, max_seconds=100, max_keys=2)
    backoff.record_failure("a")
    clock.advance(30)
    backoff.record_failure("b")
    assert backoff.table_full_wait("new") == 70  # until "a"'s lock ends
    assert backoff.table_full_wait("a") == 0  # a key in the table has its own wait
    clock.advance(70)
    assert backoff.table_full_wait("new") == 0  # "a" is unlocked: it may go
    backoff.record_failure("new")
    assert backoff.failures("a") == 0 and backoff.retry_after("b") == 30


@pytest.mark.parametrize(
    "options",
    [{"free_failures": -1}, {"base_seconds": 0}, {"base_seconds": 10, "max_seconds": 5}],
)
def test_a_policy_that_makes_no_sense_is_refused(clock: FakeClock, options: dict) -> None:
    with pytest.raises(ValueError, match="free_failures >= 0"):
        tracker(clock, **options)


def test_huge_counts_stay_at_the_cap(clock: FakeClock) -> None:
    backoff = tracker(clock, free_failures=0, base_seconds=1, max_seconds=300)
    assert backoff.delay_after(10_000) == 300
