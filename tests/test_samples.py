"""Sample data: a database of its own, full of made-up mentees, removed whole without touching the
person's own database."""

from __future__ import annotations

import pytest

from coachdesk.model import Mentee, SyncTeam
from coachdesk.paths import data_dir, default_database
from coachdesk.services import samples
from coachdesk.services.workspace import open_workspace
from coachdesk.store.backup import backup_before
from coachdesk.store.database import count_live


def test_the_sample_is_a_file_of_its_own_with_made_up_mentees_and_no_team():
    with samples.create_sample() as db:
        with db.read() as session:
            assert count_live(session, Mentee) == samples.SAMPLE_MENTEES
            assert session.get(SyncTeam, 1) is None
    assert db.path == data_dir() / "sample.sqlite" != default_database()
    assert samples.is_sample(db.path) and not samples.is_sample(default_database())
    assert not default_database().exists()


def test_removing_the_sample_deletes_its_log_keys_and_backups_and_nothing_else():
    with open_workspace(default_database()):
        pass
    own_backup = backup_before(default_database(), "test")
    sample = samples.create_sample(mentees=3)
    sample_backup = backup_before(sample.path, "test")
    keys = sample.path.with_name("sample.sqlite.keys")
    keys.write_bytes(b"keys")
    with sample.write() as session:  # a write leaves the write-ahead log beside the file
        session.add(Mentee(name="Made up", kind="person"))
    leftovers = [sample.path, keys, sample_backup]
    sample.close()

    removed = samples.remove_sample()

    assert set(leftovers) <= set(removed)
    assert not any(p.exists() for p in removed)
    assert sorted(p.name for p in data_dir().glob("sample*")) == []
    assert default_database().exists() and own_backup.exists()
    assert samples.remove_sample() == []  # nothing left: nothing to do


def test_only_a_sample_is_ever_removed():
    with open_workspace(default_database()):
        pass
    with pytest.raises(ValueError):
        samples.remove_sample(default_database())
    assert default_database().exists()


def test_a_new_sample_replaces_a_left_over_one():
    with samples.create_sample(mentees=2):
        pass
    with samples.create_sample(mentees=3) as db, db.read() as session:
        assert count_live(session, Mentee) == 3
