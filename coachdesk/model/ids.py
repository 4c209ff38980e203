"""Row identities: UUIDv7 made on the device, and name-based UUIDs for rows every device must agree on."""

from __future__ import annotations

import os
import random
import time
import uuid

# Fixed namespace for name-based ids (shipped reference data, association rows).
NAMESPACE = uuid.UUID("6f1c1f0e-2d0b-4c55-9a56-6b1f0c0de5c0")


def uuid7(ms: int | None = None, rng: random.Random | None = None) -> uuid.UUID:
    """A version-7 UUID (RFC 9562): 48-bit Unix milliseconds, then 74 random bits.

    Time-ordered ids keep B-tree inserts local. ``ms`` and ``rng`` make ids reproducible
    for demo data; by default the wall clock and the OS's random source are used.
    """
    if ms is None:
        ms = time.time_ns() // 1_000_000
    rand = rng.getrandbits(80) if rng is not None else int.from_bytes(os.urandom(10), "big")
    value = (ms & 0xFFFF_FFFF_FFFF) << 80 | rand
    value &= ~(0xF << 76)
    value |= 0x7 << 76  # version
    value &= ~(0x3 << 62)
    value |= 0x2 << 62  # RFC 4122 variant
    return uuid.UUID(int=value)


def named_id(*parts: object) -> uuid.UUID:
    """A stable id derived from ``parts``: the same on every device that names the same thing."""
    return uuid.uuid5(NAMESPACE, "\x1f".join(str(p) for p in parts))


def parse_id(text: str) -> uuid.UUID:
    """Parse a UUID as people paste it (any case, with or without braces and hyphens)."""
    return uuid.UUID(text.strip().strip("{}"))


def id_from_text(ref: uuid.UUID | str, what: str) -> uuid.UUID:
    """The id a person typed or pasted; one sentence naming ``what`` (already translated) when it is not one."""
    if isinstance(ref, uuid.UUID):
        return ref
    try:
        return parse_id(ref)
    except (ValueError, AttributeError):
        from coachdesk.errors import InputError
        from coachdesk.i18n import _

        raise InputError(_("“{text}” is not an id of a {what}.").format(text=ref, what=what)) from None
