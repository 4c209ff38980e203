"""How long operations report progress and learn they should stop, without knowing who listens."""

from __future__ import annotations

from collections.abc import Callable

from coachdesk.errors import Cancelled

#: Called with (done, total, what); it may raise :class:`Cancelled` to stop the operation,
#: which then changes nothing.
ProgressCallback = Callable[[int, int, str], None]


def no_progress(_done: int, _total: int, _what: str) -> None:
    return None


__all__ = ["Cancelled", "ProgressCallback", "no_progress"]
