"""The hybrid logical clock: 48-bit wall-clock milliseconds and a 16-bit counter in one integer.

It orders every write made anywhere, stays close to real time, and never goes backwards,
even when a laptop's clock is set back.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

COUNTER_BITS = 16
COUNTER_MASK = (1 << COUNTER_BITS) - 1
MAX_MS = (1 << 48) - 1
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def pack(ms: int, counter: int) -> int:
    return (ms & MAX_MS) << COUNTER_BITS | (counter & COUNTER_MASK)


def milliseconds(hlc: int) -> int:
    return hlc >> COUNTER_BITS


def counter(hlc: int) -> int:
    return hlc & COUNTER_MASK


def to_datetime(hlc: int) -> datetime:
    """When a clock value was taken, in UTC (to the millisecond; the counter only orders writes
    made within one millisecond, or while the wall clock stood behind the last value seen)."""
    try:
        return _EPOCH + timedelta(milliseconds=milliseconds(hlc))
    except OverflowError:  # past the year 9999: only a clock set absurdly far ahead
        return datetime.max.replace(tzinfo=UTC)


def wall_ms() -> int:
    return time.time_ns() // 1_000_000


def tick(last: int, now_ms: int | None = None) -> int:
    """The clock value for a new local write, after ``last``."""
    now_ms = wall_ms() if now_ms is None else now_ms
    if now_ms > milliseconds(last):
        return pack(now_ms, 0)
    # The wall clock stood still or went back: keep the last time and count on.
    # A full counter carries into the milliseconds, which keeps the order total.
    return last + 1


def receive(last: int, remote: int, now_ms: int | None = None) -> int:
    """The clock after seeing ``remote`` from another site: later than both."""
    return tick(max(last, remote), now_ms)
