"""An erasure stays an erasure: an erased mentee's personal fields keep their erased values on
every replica, whatever arrives later, and the conflict log keeps none of their old values.

Erasing a person (:mod:`coachdesk.services.privacy`) is a set of ordinary edits, so it travels
like any other. Three things would still undo it if nothing else were done:

- a device that edited the name before it received the erasure wrote a value whose clock may
  be later than the erasure's, and so wins the merge;
- an edit that loses the merge goes to the conflict log with its value, the old name included;
- contact details and private notes never travel, so another device's copies of them stay.

So every merge ends by calling :func:`keep_erased` for the erased mentees it touched (and those
its conflict rows are about). Where a field differs from its erased value it writes the erased
value again as an ordinary local edit: its clock is later than everything the merge saw, so it
wins everywhere it travels, and it names the value it replaced, so that value is not logged as a
conflict. It also empties the conflict log's values of the mentee's personal fields. A replica
that holds the erasure writes nothing more, so the writes stop after one round.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from coachdesk.model import PERSONAL_FIELDS, Mentee, SyncConflict, erased_values
from coachdesk.sync.changes import canonical_json, chunks

MENTEE_TABLE = Mentee.__tablename__


def erase_fields(mentee: Mentee) -> list[str]:
    """Set ``mentee``'s personal fields to their erased values; return the fields that changed."""
    changed = []
    for key, value in erased_values(mentee.id).items():
        if getattr(mentee, key) != value:
            setattr(mentee, key, value)
            changed.append(key)
    return changed


def empty_conflicts(session: Session, mentee_ids: Iterable[uuid.UUID]) -> int:
    """Replace the values the conflict log kept of these mentees' personal fields by the erased
    values, and close those conflicts; return how many conflict rows changed."""
    changed = 0
    for batch in chunks(sorted(set(mentee_ids))):
        for conflict in session.scalars(select(SyncConflict).where(
                SyncConflict.table_name == MENTEE_TABLE, SyncConflict.row_id.in_(batch),
                SyncConflict.column_name.in_(PERSONAL_FIELDS))):
            erased = canonical_json(erased_values(conflict.row_id)[conflict.column_name])
            if conflict.value != erased or not conflict.resolved:
                conflict.value = erased
                conflict.resolved = True
                changed += 1
    return changed


def keep_erased(session: Session, mentee_ids: Iterable[uuid.UUID]) -> int:
    """Erase again whatever of these mentees' personal data is back, for those that are erased
    (the others are left alone); return how many rows (mentees and conflicts) it wrote."""
    written = 0
    for batch in chunks(sorted(set(mentee_ids))):
        erased = session.scalars(select(Mentee).where(Mentee.id.in_(batch), Mentee.erased.is_(True))).all()
        if erased:
            written += sum(1 for mentee in erased if erase_fields(mentee))
            written += empty_conflicts(session, [mentee.id for mentee in erased])
    if written:
        session.flush()
    return written
