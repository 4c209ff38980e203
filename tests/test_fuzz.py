"""Every parser of outside data fed damaged, random and hostile input: it reads what is really
valid, refuses everything else with one of CoachDesk's own errors, and a refusal leaves the
database exactly as it was.

Sync bundles (as bytes, at the hub and on a device), team invitations, CSV imports, the
settings file and backups to restore, with Hypothesis and with the corpus in tests/data/fuzz
(see its make_corpus.py).
The whole file runs in well under a minute; to fuzz longer, multiply every test's examples::

    COACHDESK_FUZZ_SCALE=50 QT_QPA_PLATFORM=offscreen .venv/bin/pytest tests/test_fuzz.py
"""

from __future__ import annotations

import base64
import csv
import importlib.util
import io
import json
import os
import shutil
import sqlite3
import uuid
from contextlib import closing
from dataclasses import dataclass, fields
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import table_dump
from hypothesis import HealthCheck, assume, event, example, given, settings
from hypothesis import strategies as st

from coachdesk.errors import CoachDeskError, InputError
from coachdesk.i18n import is_language_code
from coachdesk.model import RowId, SyncSite, SyncState
from coachdesk.services.csvfile import MAX_FIELD, CsvError, read_table
from coachdesk.services.demo import generate_demo
from coachdesk.services.hub import CONFIG, KEYS, QUARANTINE, IngestOutcome, export_central, ingest, init_hub, load_hub
from coachdesk.services.safety import restore, validate_backup
from coachdesk.services.settings import ROLES, Settings, load_settings
from coachdesk.services.spreadsheets import KINDS, REQUIRED, import_csv
from coachdesk.services.team import (
    Invitation,
    device_keys,
    import_central,
    join_team,
    keys_path,
    read_invitation,
)
from coachdesk.services.workspace import open_workspace
from coachdesk.store.backup import copy_database
from coachdesk.store.changes import STATE_ID
from coachdesk.store.database import Database
from coachdesk.store.migrate import head_revision
from coachdesk.sync import bundle
from coachdesk.sync.bundle import BundleError, read_bundle, write_bundle
from coachdesk.sync.changes import ROW, table_infos
from coachdesk.sync.keys import save_keys

CORPUS = Path(__file__).parent / "data" / "fuzz"


def _corpus_script() -> Any:
    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


corpus = _corpus_script()
DEVICE, HUB, STRANGER = corpus.DEVICE, corpus.HUB, corpus.STRANGER
DEVICE_SITE, HUB_SITE = DEVICE.public().site_id.hex(), HUB.public().site_id.hex()


def fuzz(examples: int) -> Any:
    """Hypothesis settings for ``examples`` examples, times ``COACHDESK_FUZZ_SCALE`` when set (to fuzz longer)."""
    return settings(max_examples=examples * int(os.environ.get("COACHDESK_FUZZ_SCALE", "1")), deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large])


def refused_or_done(call: Any, *databases: Database) -> Any:
    """What ``call`` returns, or the CoachDeskError it raised after checking that the refusal left
    every database as it was. Any other exception fails the test."""
    before = [table_dump(db) for db in databases]
    try:
        return call()
    except CoachDeskError as error:
        assert str(error).strip()
        assert [table_dump(db) for db in databases] == before
        return error


# ------------------------------------------------------------------------------ values, in JSON

NASTY_TEXT = ["", " ", "\x00", "\ud800", "\udfff", "\u202e", "\ufeff", "'=1+1", "=cmd|' /C calc'!A0", "ا" * 300,
              "2026-02-30", "2026-03-24", "2026-03-24T10:00:00", "2026-03-24T10:00:00+05:00", "9999-12-31",
              "person", "funding", "first_contact", "fundraising", corpus.MENTEE_ID, DEVICE_SITE, "0" * 32,
              "not base64!!", "AAAA", "NaN"]
clean_scalars = (st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.text(max_size=12)
                 | st.floats(allow_nan=False, allow_infinity=False))
clean_json = st.recursive(clean_scalars, lambda inner: st.lists(inner, max_size=3)
                          | st.dictionaries(st.text(max_size=4), inner, max_size=3), max_leaves=8)
#: With what JSON can say but CoachDesk never writes: NaN, infinities, lone surrogates (as \ud800 escapes).
any_json = st.recursive(clean_scalars | st.floats() | st.sampled_from(NASTY_TEXT),
                        lambda inner: st.lists(inner, max_size=3)
                        | st.dictionaries(st.text(max_size=4) | st.sampled_from(NASTY_TEXT), inner, max_size=3),
                        max_leaves=8)


def often(draw: Any, tenths: int) -> bool:
    """True about ``tenths`` times in ten (``st.integers`` would lean on its smallest values)."""
    return draw(st.sampled_from(range(10))) < tenths


def dumps(value: Any) -> bytes:
    """JSON as any program may write it: ASCII, NaN allowed, surrogates escaped."""
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode("ascii")


# ------------------------------------------------------------------------------ sync bundles

@st.composite
def damaged(draw: Any, data: bytes) -> bytes:
    """``data`` with one to three kinds of damage: bit flips, cuts, insertions, overwrites, a
    rewritten cleartext prefix (with a CRC that fits), or its body swapped for garbage."""
    out = data

    def anywhere(n: int) -> int:  # evenly over the file: st.integers would mostly hit its first bytes
        return draw(st.sampled_from(range(n)))

    for _ in range(draw(st.integers(1, 3))):
        how = draw(st.sampled_from(["flip", "truncate", "insert", "delete", "overwrite", "prefix", "garbage"]))
        n = len(out)
        if how == "flip" and n:
            i = anywhere(n)
            out = out[:i] + bytes([out[i] ^ (1 << draw(st.integers(0, 7)))]) + out[i + 1:]
        elif how == "truncate" and n:
            out = out[: anywhere(n)]
        elif how == "insert":
            i = anywhere(n + 1)
            out = out[:i] + draw(st.binary(min_size=1, max_size=64)) + out[i:]
        elif how == "delete" and n:
            i = anywhere(n)
            out = out[:i] + out[draw(st.integers(i + 1, min(n, i + 64))):]
        elif how == "overwrite" and n:
            i = anywhere(n)
            chunk = draw(st.binary(min_size=1, max_size=64))
            out = out[:i] + chunk + out[i + len(chunk):]
        elif how == "prefix" and n >= bundle._PREFIX_CHECKED:
            out = corpus.with_prefix(out, version=draw(st.none() | st.integers(0, 255)),
                                     count=draw(st.none() | st.integers(0, 3) | st.integers(0, 0xFFFF)),
                                     length=draw(st.none() | st.integers(0, 2**64 - 1)))
        elif how == "garbage" and n >= bundle._PREFIX_CHECKED:
            _magic, _version, count, _length = bundle._PREFIX.unpack_from(out)
            header_end = min(n, bundle._PREFIX_CHECKED + count * bundle._STANZA)
            body = draw(st.binary(max_size=300))
            out = corpus.with_prefix(out[:header_end], length=len(body)) + body
    return out


@st.composite
def forged_headers(draw: Any) -> bytes:
    """A cleartext prefix that passes its CRC, then anything: random stanzas and body."""
    count = draw(st.integers(0, 3) | st.integers(0, 0xFFFF))
    rest = draw(st.binary(max_size=400))
    length = draw(st.just(max(len(rest) - count * bundle._STANZA, 0)) | st.integers(0, 2**64 - 1))
    version = draw(st.just(bundle.FORMAT_VERSION) | st.integers(0, 255))
    prefix = bundle._PREFIX.pack(bundle.MAGIC, version, count, length)
    return corpus.with_prefix(prefix + bytes(4), version=version) + rest


INFOS = table_infos()
TABLES = sorted(INFOS)
ROW_IDS = [corpus.MENTEE_ID, uuid.UUID(int=1).hex, str(uuid.UUID(int=2))]
SITES = [DEVICE_SITE, HUB_SITE, "ab" * 16]
plausible_values = st.one_of(any_json, st.sampled_from(NASTY_TEXT), st.uuids().map(lambda u: u.hex),
                             st.dates().map(str), st.datetimes().map(lambda d: d.isoformat()),
                             st.lists(st.sampled_from(["ar", "ha", "xx", ""]), max_size=3))


def fitting_values(info_column: Any) -> Any:
    """Values of the column's own kind, in range and just past it."""
    column_type = info_column.column.type
    if getattr(column_type, "enums", None):
        return st.sampled_from(sorted(column_type.enums))
    try:
        python_type = uuid.UUID if isinstance(column_type, RowId) else column_type.python_type
    except NotImplementedError:
        python_type = str
    if python_type is uuid.UUID:
        return st.sampled_from(ROW_IDS) | st.uuids().map(lambda u: u.hex)
    if python_type is bool:
        return st.booleans()
    if python_type is int:
        return st.integers(-5, 10_000) | st.sampled_from([2**15, 2**31, 2**63 - 1, 2**63, -(2**63) - 1])
    if python_type is date:
        return st.dates().map(date.isoformat)
    if python_type is datetime:
        return st.datetimes(timezones=st.none() | st.timezones()).map(datetime.isoformat)
    if python_type is str:
        return st.text(max_size=30) | st.sampled_from(NASTY_TEXT)
    return clean_json


def record_value(draw: Any, table: Any, column: Any) -> Any:
    info = INFOS.get(table) if isinstance(table, str) else None
    info_column = info.columns.get(column) if info is not None and isinstance(column, str) else None
    if info_column is not None and often(draw, 7):
        return draw(fitting_values(info_column))
    return draw(plausible_values)


@st.composite
def change_record(draw: Any) -> dict[str, Any]:
    """A change record close to what a device sends, with any field wrong or missing."""
    table = draw(st.sampled_from(TABLES) | any_json)
    info = INFOS.get(table) if isinstance(table, str) else None
    columns = sorted(info.columns) + [ROW] if info is not None else [ROW]
    record = {
        "t": table,
        "id": draw(st.sampled_from(ROW_IDS) | st.uuids().map(lambda u: u.hex) | any_json),
        "c": (column := draw(st.sampled_from(columns) | any_json)),
        "v": record_value(draw, table, column),
        "h": draw(st.integers(0, 2**62) | st.integers() | any_json),
        "s": draw(st.sampled_from(SITES) | any_json),
        "p": draw(st.none() | st.tuples(st.integers(), st.sampled_from(SITES)).map(list) | any_json),
        "cl": draw(st.integers(1, 4) | st.integers() | any_json),
    }
    for key in draw(st.sets(st.sampled_from(sorted(record)), max_size=2)):
        del record[key]
    return record


@st.composite
def change_records(draw: Any) -> list[dict[str, Any]]:
    """A whole new mentee (a valid start), a few of its records spoiled, and a few more records."""
    records = corpus.mentee_records(draw(st.sampled_from(SITES)), hlc=draw(st.integers(1, 2**62)))
    if not often(draw, 7):
        records = []
    for _ in range(draw(st.integers(0, 3)) if records else 0):
        i = draw(st.integers(0, len(records) - 1))
        key = draw(st.sampled_from(["v", "v", "v", "t", "id", "c", "h", "s", "p", "cl"]))
        value = record_value(draw, "mentee", records[i]["c"]) if key == "v" else draw(plausible_values)
        records[i] = records[i] | {key: value}
    return records + draw(st.lists(change_record(), max_size=3))


def payload_of(records: list[Any]) -> bytes:
    return b"\n".join(sorted(dumps(r) for r in records))


def counts_of(records: list[Any]) -> dict[str, int]:
    """The counts a manifest should carry, when they can be said at all (else none)."""
    try:
        counts = bundle._count(records)
        bundle._canonical(counts)
    except (ValueError, AttributeError):
        return {}
    return counts


def signed_for_hub(records: list[Any], *, to_version: int = 1, extra: dict | None = None) -> bytes:
    """A device bundle put together by hand (any records), signed by the team's device."""
    return corpus.hand_signed(payload_of(records), counts=counts_of(records), to_version=to_version,
                              schema_version=head_revision(), extra=extra)


def signed_for_device(records: list[Any], *, extra: Any, to_version: int = 1) -> bytes:
    """A central export put together by hand, signed by the team's hub."""
    return corpus.hand_signed(payload_of(records), counts=counts_of(records), signer=HUB, reader=DEVICE,
                              kind="central", extra=extra, to_version=to_version, schema_version=head_revision())


def good_device_bundle() -> bytes:
    return write_bundle(corpus.mentee_records(DEVICE_SITE), schema_version=head_revision(), from_version=0,
                        to_version=1, signer=DEVICE, recipients=[HUB.public()], kind="device",
                        extra={"invitation_proof": corpus.invitation_proof(), "device_name": "tablet"})


def good_central_bundle() -> bytes:
    return write_bundle(corpus.mentee_records(HUB_SITE), schema_version=head_revision(), from_version=0,
                        to_version=1, signer=HUB, recipients=[DEVICE.public(), STRANGER.public()], kind="central",
                        extra={"acks": {DEVICE_SITE: 1}})


GOOD_DEVICE_BUNDLE = good_device_bundle()
GOOD_CENTRAL_BUNDLE = good_central_bundle()


@dataclass
class Team:
    hub: Path
    hub_db: Database
    device: Database
    drop: Path


@pytest.fixture
def team(tmp_path: Path):
    """A hub on SQLite and a device that joined it, both with the corpus's fixed keys and secret."""
    folder = tmp_path / "hub"
    init_hub(folder, "Kano circuit")
    save_keys(folder / KEYS, HUB)
    config = json.loads((folder / CONFIG).read_text(encoding="utf-8"))
    (folder / CONFIG).write_text(json.dumps(config | {"secret": corpus.HUB_SECRET.hex()}), encoding="utf-8")
    hub_db = load_hub(folder).open()
    with hub_db.write() as session:
        session.get(SyncSite, session.get(SyncState, STATE_ID).local_site_idx).site_id = HUB.public().site_id
    public = HUB.public()
    invitation = tmp_path / "invitation.cdteam"
    invitation.write_text(Invitation("Kano circuit", public.site_id, public.sign, public.box,
                                     corpus.HUB_SECRET).to_json(), encoding="utf-8")
    device = open_workspace(tmp_path / "device.sqlite")
    save_keys(keys_path(device), DEVICE)
    join_team(device, invitation)
    drop = tmp_path / "drop"
    drop.mkdir()
    yield Team(folder, hub_db, device, drop)
    device.close()
    hub_db.close()


def hub_ingests(team: Team, data: bytes, name: str = "device.cdsync") -> IngestOutcome:
    """Drop ``data`` at the hub; a refusal must leave the hub's database as it was and quarantine the file."""
    path = team.drop / name
    path.write_bytes(data)
    before = table_dump(team.hub_db)
    (outcome,) = ingest(team.hub, [path]).outcomes
    assert outcome.status in ("merged", "skipped", "refused")
    if outcome.status == "refused":
        assert outcome.message.strip()
        assert table_dump(team.hub_db) == before
        assert not path.exists() and (team.hub / QUARANTINE / name).read_bytes() == data
        shutil.rmtree(team.hub / QUARANTINE)
    else:
        path.unlink()
    return outcome


def device_imports(team: Team, data: bytes) -> Any:
    """Import ``data`` as a central export on the device: its result, or the refusal."""
    path = team.drop / "central.cdsync"
    path.write_bytes(data)
    return refused_or_done(lambda: import_central(team.device, path), team.device)


def well_formed(records: list[Any]) -> bool:
    """Whether every record has the shape a merge can take (the merge itself may still refuse)."""
    return all(isinstance(r, dict) and {"t", "id", "c", "h", "s", "cl"} <= set(r) and r["t"] in INFOS
               for r in records)


def test_the_fixed_team_merges_good_bundles_both_ways(team):
    """The harness reaches the merge: a good bundle is merged at the hub and on the device."""
    assert hub_ingests(team, GOOD_DEVICE_BUNDLE).status == "merged"
    result = device_imports(team, GOOD_CENTRAL_BUNDLE)
    assert not isinstance(result, CoachDeskError) and result.rows_created == 1
    export_central(team.hub, team.drop / "central-real.cdsync")
    assert read_bundle((team.drop / "central-real.cdsync").read_bytes(), DEVICE)[0].kind == "central"


@fuzz(400)
@given(st.sampled_from([GOOD_DEVICE_BUNDLE, GOOD_CENTRAL_BUNDLE]).flatmap(damaged))
def test_a_damaged_bundle_is_always_refused(data):
    assume(data not in (GOOD_DEVICE_BUNDLE, GOOD_CENTRAL_BUNDLE))
    for reader in (HUB, DEVICE, STRANGER):
        with pytest.raises(BundleError):
            read_bundle(data, reader)


@fuzz(300)
@given(forged_headers() | st.binary(max_size=600))
def test_a_header_that_looks_right_over_garbage_is_refused(data):
    with pytest.raises(BundleError):
        read_bundle(data, HUB)


@fuzz(250)
@given(st.lists(any_json, max_size=4) | change_records())
@example([{"t": ["\ud800"]}])  # counting it once raised UnicodeEncodeError
@example([{"t": "mentee", "v": "\ud800"}])
@example([{"t": "mentee", "v": float("nan")}])
def test_a_key_holder_payload_reads_back_whole_or_is_refused(records):
    """Past the encryption and the signature: any JSON lines a team member's key could sign."""
    data = signed_for_hub(records)
    try:
        manifest, got = read_bundle(data, HUB)
    except BundleError as error:
        event(type(error).__name__)
        return
    event("read")
    assert got == ([json.loads(line) for line in payload_of(records).split(b"\n")] if records else [])
    assert all(isinstance(r, dict) for r in got)
    bundle._canonical(got)  # what was read is what CoachDesk itself could have written
    assert manifest.counts == bundle._count(got)


@fuzz(40)
@given(st.sampled_from([GOOD_DEVICE_BUNDLE, GOOD_CENTRAL_BUNDLE]).flatmap(damaged) | forged_headers())
def test_the_hub_quarantines_a_damaged_bundle_and_changes_nothing(team, data):
    assume(data not in (GOOD_DEVICE_BUNDLE, GOOD_CENTRAL_BUNDLE))
    assert hub_ingests(team, data).status == "refused"


def capacity_area(position: Any) -> list[dict[str, Any]]:
    """The records of a new capacity area, whose ``position`` is a whole number."""
    row = {"t": "capacity_area", "id": uuid.UUID(int=7).hex, "h": 1, "s": DEVICE_SITE, "p": None, "cl": 1}
    return [row | {"c": ROW, "v": None}, row | {"c": "key", "v": "fuzz"}, row | {"c": "position", "v": position}]


names = st.sampled_from(["tablet", "", "ا" * 50, " a\n b "]) | clean_json
versions = st.integers(0, 1000) | st.integers(0, 2**70)


def test_a_number_too_large_for_its_column_is_refused_at_the_hub(team):
    """SQLite would store it, but the column is a 32-bit integer (as a PostgreSQL hub keeps it)."""
    outcome = hub_ingests(team, signed_for_hub(capacity_area(2**40)))
    assert outcome.status == "refused" and "too large for its column" in outcome.message
    assert hub_ingests(team, signed_for_hub(capacity_area(2**31 - 1))).status == "merged"


@fuzz(80)
@given(change_records(), versions, names, names)
# Each of these once raised: an unhashable column name (TypeError), and numbers past 64 bits (OverflowError).
@example([{"t": "mentee", "id": corpus.MENTEE_ID, "c": [1], "v": 1, "h": 1, "s": DEVICE_SITE, "cl": 1}], 1, "", "")
@example(corpus.mentee_records(DEVICE_SITE, hlc=2**64), 1, "", "")
@example(corpus.mentee_records(DEVICE_SITE), 2**64, "", "")
@example([r | {"p": [2**64, DEVICE_SITE]} for r in corpus.mentee_records(DEVICE_SITE)], 1, "", "")
@example(capacity_area(2**64), 1, "", "")
def test_the_hub_merges_a_signed_bundle_whole_or_refuses_it_whole(team, records, to_version, device_name,
                                                                   user_name):
    """A bundle of the team's own device, with records of any shape: merged or refused, never a crash."""
    extra = {"invitation_proof": corpus.invitation_proof(), "device_name": device_name, "user_name": user_name}
    outcome = hub_ingests(team, signed_for_hub(records, to_version=to_version, extra=extra))
    event(outcome.status)
    if outcome.status == "merged":
        assert well_formed(records)


@fuzz(40)
@given(st.sampled_from([GOOD_DEVICE_BUNDLE, GOOD_CENTRAL_BUNDLE]).flatmap(damaged) | forged_headers())
def test_a_device_refuses_a_damaged_central_export_and_changes_nothing(team, data):
    assume(data not in (GOOD_DEVICE_BUNDLE, GOOD_CENTRAL_BUNDLE))
    assert isinstance(device_imports(team, data), InputError)


by_site = st.dictionaries(st.sampled_from(SITES) | st.text(max_size=4), clean_json | st.integers(-(2**70), 2**70),
                          max_size=3)
site_names = st.dictionaries(st.sampled_from(SITES) | st.text(max_size=4),
                             st.fixed_dictionaries({}, optional={"name": names, "user_name": names}) | clean_json,
                             max_size=3)


def test_a_central_export_whose_acknowledgements_are_unreadable_is_refused(team):
    result = device_imports(team, signed_for_device(corpus.mentee_records(HUB_SITE), extra={"acks": "everyone"}))
    assert str(result) == "central.cdsync is damaged: what the hub says it received is not readable, so nothing " \
                          "was imported."


@fuzz(80)
@given(change_records(), st.integers(0, 1000).map(lambda n: {DEVICE_SITE: n}) | clean_json | by_site,
       clean_json | site_names, versions)
# Acknowledgements that are not a mapping once raised AttributeError, one that is text ValueError,
# and numbers past 64 bits OverflowError.
@example([], "everyone", {}, 1)
@example([], {DEVICE_SITE: "12"}, {}, 1)
@example([], {DEVICE_SITE: 2**64}, {}, 1)
@example([], {DEVICE_SITE: 1.5e300}, {}, 1)
def test_a_device_applies_a_signed_central_export_whole_or_refuses_it_whole(team, records, acked, named,
                                                                            to_version):
    extra = {"acks": acked, "site_names": named}
    result = device_imports(team, signed_for_device(records, extra=extra, to_version=to_version))
    event(type(result).__name__)
    if not isinstance(result, CoachDeskError):
        assert well_formed(records)


# ------------------------------------------------------------------------------ team invitations

VALID_INVITATION = corpus.invitation()


@st.composite
def invitation_fields(draw: Any) -> dict[str, Any]:
    """An invitation with up to three of its fields left out or spoiled."""
    raw = dict(VALID_INVITATION)
    spoiled_keys = draw(st.sets(st.sampled_from(sorted(raw)), min_size=1, max_size=3)) if often(draw, 7) else ()
    for key in spoiled_keys:
        spoiled = draw(st.one_of(st.none(), any_json, st.sampled_from(NASTY_TEXT), st.text(max_size=60),
                                 st.binary(max_size=40).map(lambda b: base64.b64encode(b).decode()),
                                 st.binary(max_size=40).map(bytes.hex), st.integers(-3, 3)))
        if spoiled is None:
            del raw[key]
        else:
            raw[key] = spoiled
    return raw


invitation_bytes = st.one_of(
    invitation_fields().map(dumps),
    any_json.map(dumps),
    st.binary(max_size=300),
    st.text(max_size=100).map(lambda text: text.encode("utf-8")),
    invitation_fields().map(lambda raw: json.dumps(raw).encode("utf-16")),
    st.integers(1000, 20_000).map(lambda depth: b"[" * depth),
)


@fuzz(300)
@given(invitation_bytes)
@example(b'{"kind": "coachdesk-team-invitation", "format": "1"}')  # once raised TypeError
@example(b"[" * 5000)  # once raised RecursionError
@example(dumps(VALID_INVITATION | {"team": "\ud800"}))
@example(dumps(VALID_INVITATION | {"team": {"name": "Kano"}}))
def test_an_invitation_is_read_only_when_it_is_one(tmp_path, content):
    path = tmp_path / "team.cdteam"
    path.write_bytes(content)
    try:
        invitation = read_invitation(path)
    except InputError as error:
        assert str(error).strip()
        event("refused")
        return
    event("read")
    raw = json.loads(content.decode("utf-8"))
    assert raw["kind"] == "coachdesk-team-invitation" and isinstance(raw["team"], str)
    assert invitation.team == raw["team"]
    invitation.team.encode("utf-8")
    assert (len(invitation.hub_site_id), len(invitation.hub_sign), len(invitation.hub_box),
            len(invitation.secret)) == (16, 32, 32, 32)


@pytest.fixture
def lone_device(tmp_path: Path):
    """A device not in any team, its keys already made (so joining writes nothing but the team)."""
    device = open_workspace(tmp_path / "lone.sqlite")
    save_keys(keys_path(device), DEVICE)
    device_keys(device)
    yield device
    device.close()


@fuzz(120)
@given(invitation_bytes)
def test_joining_with_anything_but_an_invitation_changes_nothing(tmp_path, lone_device, team, content):
    path = tmp_path / "team.cdteam"
    path.write_bytes(content)
    try:
        read_invitation(path)
    except InputError:
        assert isinstance(refused_or_done(lambda: join_team(lone_device, path), lone_device), InputError)
    # A device already in a team refuses every invitation, good or bad.
    assert isinstance(refused_or_done(lambda: join_team(team.device, path), team.device), InputError)


# ------------------------------------------------------------------------------ CSV imports

NASTY_CELLS = ["", " ", '"', '""', "'", "'=1+1", '=HYPERLINK("x")', "+cmd", "-1", "@SUM(1)", "a,b", "a;b", "a\tb",
               "line\nbreak", "\r", "person", "organization", "group", "Person", "yes", "no", "maybe", "ar", "pt-BR",
               "ar; hi", "xx", "2026-02-30", "2026-03-24", "2026-03-24 14:30", "2026-03-24T14:30+05:00",
               "9999-12-31 23:59", "0001-01-01", "inf", "nan", "1e400", "10081", "45.5",
               "{00000000-0000-0000-0000-000000000000}", "fundraising", "training", "Aisha Bello", "A" * 201,
               "ا" * 50, "\u202eevil", "\ufeff", "\x85", "\u2028", "\x1c"]
plain_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20)


def fitting_cells(kind: str, column: str, ids: dict[str, list[str]]) -> Any:
    """What a person would write in the column: mostly right, sometimes near misses."""
    maybe_empty = st.just("") | plain_text
    cells = {
        "id": st.sampled_from(ids[kind] or [""]) | st.just(""),
        "name": plain_text.filter(str.strip) | st.just("Aisha Bello"),
        "title": plain_text,
        "kind": st.sampled_from(["", "person", "Organization", "group", "coaching", "visit", "Training"]),
        "journey_stage": st.sampled_from(["", "first_contact", "First contact", "funding", "evaluation"]),
        "languages": st.sampled_from(["", "ar", "ha; en", "pt-BR, hi", "sw"]),
        "language": st.sampled_from(["", "ar", "pt_BR", "id"]),
        "consent_given_on": st.just("") | st.dates().map(date.isoformat),
        "archived": st.sampled_from(["", "yes", "no", "TRUE", "0"]),
        "started_at": st.datetimes().map(lambda d: d.strftime("%Y-%m-%d %H:%M")) | st.datetimes().map(str),
        "duration_minutes": st.just("") | st.integers(0, 10_080).map(str),
        "participant_ids": st.lists(st.sampled_from(ids["mentees"] or [""]), max_size=2).map("; ".join),
        "capacities": st.sampled_from(["", "fundraising", "it_safety; fundraising"]),
        "method": st.sampled_from(["", "training", "mentoring_coaching"]),
    }
    return cells.get(column, maybe_empty)


@st.composite
def csv_bytes(draw: Any, kind: str, ids: dict[str, list[str]]) -> bytes:
    """A spreadsheet's CSV file as people make them: most headers right, cells of every kind."""
    columns = list(KINDS[kind])
    header = draw(st.lists(st.sampled_from(columns + ["", "ID", " Name ", "password", "\ufeffid"]), max_size=8))
    if often(draw, 8):
        header = list(REQUIRED[kind]) + [c for c in dict.fromkeys(header) if c in columns and c not in REQUIRED[kind]]
    nasty = st.one_of(st.sampled_from(NASTY_CELLS), plain_text, st.text(max_size=3), st.uuids().map(str),
                      st.integers().map(str), st.floats().map(str))
    rows = []
    for _ in range(draw(st.integers(0, 5))):
        if often(draw, 8):  # a row of fitting cells, a few spoiled
            row = [draw(fitting_cells(kind, column, ids) if often(draw, 9) else nasty) for column in header]
        else:
            row = draw(st.lists(nasty, max_size=len(header) + 2))
        rows.append(row)
    delimiter = draw(st.sampled_from([",", ",", ",", ";", "\t", "|", " "]))
    newline = draw(st.sampled_from(["\r\n", "\n", "\r"]))
    if often(draw, 7):
        out = io.StringIO()
        quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC]))
        csv.writer(out, delimiter=delimiter, lineterminator=newline, quoting=quoting).writerows([header, *rows])
        text = out.getvalue()
    else:  # written by hand: delimiters and quotes inside cells left as they are
        text = newline.join(delimiter.join(row) for row in [header, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252"]))
    data = text.encode(encoding, errors="replace")
    if draw(st.sampled_from(range(20))) == 13:  # now and then, a few stray bytes
        i = draw(st.sampled_from(range(len(data) + 1)))
        stray = draw(st.sampled_from([b"\x00", b"\xff", b"\xc3", b'"', b"\r"]) | st.binary(max_size=4))
        data = data[:i] + stray + data[i:]
    return data


def check_import(db: Database, kind: str, path: Path) -> Any:
    """Import ``path``: refused with a CsvError (or an InputError) and nothing changed, or every row taken."""
    result = refused_or_done(lambda: import_csv(db, kind, path), db)
    if isinstance(result, CoachDeskError):
        assert isinstance(result, InputError)
        return result
    _header, rows = read_table(path)
    assert result.added + result.updated + result.unchanged == len(rows)
    assert result.added == sum(1 for _line, cells in rows if not cells.get("id", "").strip())
    return result


@pytest.fixture
def small_db(db):
    """A database with a few mentees and sessions, whose ids a CSV file may name."""
    from coachdesk.services.demo import generate_demo

    generate_demo(db, mentees=3, seed=5)
    return db


def live_ids(db: Database) -> dict[str, list[str]]:
    """The ids of the live mentees and sessions, as a CSV export writes them."""
    from sqlalchemy import select

    from coachdesk.model import CoachingSession, Mentee

    with db.read() as session:
        return {kind: [str(i) for i in session.scalars(select(cls.id).where(cls.deleted.is_(False)))]
                for kind, cls in (("mentees", Mentee), ("sessions", CoachingSession))}


@pytest.fixture
def known_ids(small_db):
    """The ids a CSV file may name, taken once: imports add rows, and what is drawn must not move."""
    return live_ids(small_db)


@fuzz(120)
@given(st.sampled_from(sorted(KINDS)), st.data())
def test_a_csv_file_is_imported_whole_or_refused_whole(tmp_path, small_db, known_ids, kind, data):
    content = data.draw(csv_bytes(kind, known_ids), label="file")
    path = tmp_path / "import.csv"
    path.write_bytes(content)
    event(type(check_import(small_db, kind, path)).__name__)


@fuzz(100)
@given(st.sampled_from(sorted(KINDS)), st.binary(max_size=300) | st.text(max_size=200).map(str.encode))
def test_random_bytes_as_a_csv_file_are_refused_or_read(tmp_path, small_db, kind, content):
    path = tmp_path / "import.csv"
    path.write_bytes(content)
    event(type(check_import(small_db, kind, path)).__name__)


def test_a_cell_beyond_the_csv_size_limit_is_refused(tmp_path, small_db):
    path = tmp_path / "huge.csv"
    path.write_bytes(b"id,name\n," + b"A" * (MAX_FIELD + 1) + b"\n")
    assert isinstance(check_import(small_db, "mentees", path), CsvError)


# ------------------------------------------------------------------------------ settings

settings_objects = st.fixed_dictionaries({}, optional={
    f.name: st.one_of(st.just(getattr(Settings(), f.name)), any_json) for f in fields(Settings)})
settings_bytes = st.one_of(
    settings_objects.map(dumps),
    st.dictionaries(st.text(max_size=8), any_json, max_size=4).map(dumps),
    any_json.map(dumps),
    st.binary(max_size=200),
    st.text(max_size=100).map(lambda text: text.encode("utf-8")),
    st.integers(1000, 20_000).map(lambda depth: b"[" * depth),
)


def is_json_object(content: bytes) -> bool:
    try:
        return isinstance(json.loads(content.decode("utf-8")), dict)
    except (ValueError, RecursionError):
        return False


def check_settings(path: Path, content: bytes) -> Settings:
    """Load ``content`` as the settings file: never an error; a file that is not a JSON object
    is kept aside, byte for byte, and the defaults are used."""
    for old in path.parent.iterdir():
        old.unlink()
    path.write_bytes(content)
    loaded = load_settings(path)
    defaults = Settings()
    for f in fields(Settings):
        value = getattr(loaded, f.name)
        assert type(value) is type(getattr(defaults, f.name)), f.name
        if isinstance(value, str):
            value.encode("utf-8")
    assert loaded.role in ROLES
    assert loaded.language == "" or is_language_code(loaded.language)
    damaged_copy = path.with_suffix(".damaged.json")
    if is_json_object(content):
        assert path.read_bytes() == content and not damaged_copy.exists()
    else:
        assert loaded == defaults
        assert not path.exists() and damaged_copy.read_bytes() == content
    return loaded


@fuzz(300)
@given(settings_bytes)
@example(b"[" * 5000)  # once raised RecursionError
@example(b'{"version": "one"}')  # once raised ValueError
@example(b'{"version": 1e400}')  # once raised OverflowError
@example(b'{"language": "klingon"}')  # once passed on to set_language, which raised
@example(b'{"user_name": "\\ud800"}')
def test_any_settings_file_loads_and_a_damaged_one_is_kept_aside(tmp_path, content):
    folder = tmp_path / "settings"
    folder.mkdir(exist_ok=True)
    check_settings(folder / "settings.json", content)


# ------------------------------------------------------------------------------ backups

PAGE_SIZE = 4096  # of the databases CoachDesk makes, and so of its backups
#: Fields of SQLite's 100-byte file header that a reader acts on: offset and size in bytes.
HEADER_FIELDS = {"page size": (16, 2), "write version": (18, 1), "read version": (19, 1), "reserved bytes": (20, 1),
                 "payload fractions": (21, 3), "change counter": (24, 4), "page count": (28, 4),
                 "first freelist page": (32, 4), "freelist pages": (36, 4), "schema cookie": (40, 4),
                 "schema format": (44, 4), "largest root page": (52, 4), "text encoding": (56, 4),
                 "incremental vacuum": (64, 4), "version valid for": (92, 4)}
HEAD = head_revision()
NEXT_REVISION = f"{int(HEAD) + 1:04d}"
#: The tables by which validate_backup knows a CoachDesk database.
RECOGNISED = ("alembic_version", "mentee", "sync_state")
#: Text every backup holds (shipped reference data), to spoil where it is.
SHIPPED_TEXT = [b"Leadership is with one or two people", b"Fundraising", b"first_contact"]


def damage(data: bytes, ops: tuple) -> bytes:
    """``data`` with each of ``ops`` done to it, in order. Offsets wrap around the length of the file
    (pages: around its number of pages), so that the same ops fit a file of any size; "spoil text"
    makes the first byte of the first copy of a text a byte that UTF-8 never has."""
    for op, *args in ops:
        n, pages = len(data), len(data) // PAGE_SIZE
        if op == "flip" and n:
            i = args[0] % n
            data = data[:i] + bytes([data[i] ^ (1 << args[1])]) + data[i + 1:]
        elif op == "cut":
            data = data[: args[0] % (n + 1)]
        elif op == "cut pages":
            data = data[: args[0] % (pages + 1) * PAGE_SIZE]
        elif op == "zero":
            i = args[0] % (n + 1)
            data = data[:i] + bytes(len(data[i:i + args[1]])) + data[i + args[1]:]
        elif op == "overwrite":
            i = args[0] % (n + 1)
            data = data[:i] + args[1] + data[i + len(args[1]):]
        elif op == "append":
            data += args[0]
        elif op == "zero page" and pages:
            i = args[0] % pages * PAGE_SIZE
            data = data[:i] + bytes(PAGE_SIZE) + data[i + PAGE_SIZE:]
        elif op == "copy page" and pages:
            source, target = args[0] % pages * PAGE_SIZE, args[1] % pages * PAGE_SIZE
            data = data[:target] + data[source:source + PAGE_SIZE] + data[target + PAGE_SIZE:]
        elif op == "spoil text" and args[0] in data:
            i = data.index(args[0])
            data = data[:i] + b"\xff" + data[i + 1:]
        elif op == "header" and n >= HEADER_FIELDS[args[0]][0] + HEADER_FIELDS[args[0]][1]:
            offset, size = HEADER_FIELDS[args[0]]
            data = data[:offset] + (args[1] % 256**size).to_bytes(size, "big") + data[offset + size:]
    return data


@st.composite
def damage_ops(draw: Any) -> tuple:
    """One to three kinds of damage, aimed at the header, the first page (the schema) or anywhere."""
    ops = []
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.sampled_from([range(100), range(PAGE_SIZE), range(2**20)]).flatmap(st.sampled_from))
        how = draw(st.sampled_from(["flip", "flip", "cut", "cut pages", "zero", "overwrite", "append", "zero page",
                                    "copy page", "header", "header", "spoil text"]))
        if how == "flip":
            ops.append((how, at, draw(st.integers(0, 7))))
        elif how in ("cut", "cut pages", "zero page"):
            ops.append((how, at))
        elif how == "zero":
            ops.append((how, at, draw(st.sampled_from([1, 4, 16, 100, PAGE_SIZE]) | st.integers(1, 3 * PAGE_SIZE))))
        elif how == "overwrite":
            ops.append((how, at, draw(st.binary(min_size=1, max_size=64))))
        elif how == "append":
            ops.append((how, draw(st.binary(max_size=64) | st.sampled_from([bytes(PAGE_SIZE), b"\xff" * PAGE_SIZE]))))
        elif how == "copy page":
            ops.append((how, at, draw(st.sampled_from(range(2**10)))))
        elif how == "spoil text":
            ops.append((how, draw(st.sampled_from(SHIPPED_TEXT))))
        else:
            ops.append((how, draw(st.sampled_from(sorted(HEADER_FIELDS))),
                        draw(st.sampled_from([0, 1, 2, 3, 4, 512, 1024, PAGE_SIZE, 65536, 2**31, 2**32 - 1])
                             | st.integers(0, 2**32 - 1))))
    return tuple(ops)


revisions = st.none() | st.sampled_from([HEAD, NEXT_REVISION, "9999", "0000", "0001", "", "00", f"{HEAD} ",
                                         f"{HEAD}\x00", f"{HEAD}0", "abc", "\u0660\u0660\u0660\u0667"]) \
    | st.text(max_size=6)
#: What a backup is made of before it is damaged: a good backup ("good"), a good backup whose schema
#: revision is rewritten ("revision", text or None for no row), a small SQLite database with some of
#: the tables CoachDesk's are known by ("tables", names, revision), or any bytes ("bytes", data).
backup_bases = st.one_of(
    st.just("good"),
    st.tuples(st.just("revision"), revisions),
    st.tuples(st.just("tables"), st.sets(st.sampled_from([*RECOGNISED, "notes"]), min_size=1).map(sorted).map(tuple),
              revisions),
    st.tuples(st.just("bytes"), st.binary(max_size=2000) | st.binary(max_size=2000).map(
        lambda data: b"SQLite format 3\x00" + data)),
)
backup_recipes = st.one_of(
    st.tuples(st.just("good"), damage_ops()),
    st.tuples(backup_bases, st.just(()) | damage_ops()),
)


class BackupWorld:
    """A good backup, and a database to restore over. (Not a dataclass: Hypothesis prints the arguments
    of a failing example, and would print the whole backup.)"""

    def __init__(self, good: bytes, source_dump: dict[str, list[tuple]], template: Path,
                 template_dump: dict[str, list[tuple]]) -> None:
        self.good = good  # a backup, by copy_database, of a database with a few mentees and sessions
        self.source_dump = source_dump  # what that database held
        self.template = template  # a folder with a closed database, coachdesk.sqlite, to restore over
        self.template_dump = template_dump

    def __repr__(self) -> str:
        return f"BackupWorld(good=<{len(self.good)} bytes>, template={self.template})"


@pytest.fixture(scope="session")
def backup_world(tmp_path_factory: Any) -> BackupWorld:
    root = tmp_path_factory.mktemp("backup-world")
    with open_workspace(root / "source.sqlite") as source:
        generate_demo(source, mentees=3, seed=5)
        source_dump = table_dump(source)
    good = copy_database(root / "source.sqlite", root / "good.sqlite").read_bytes()
    template = root / "template"
    template.mkdir()
    with open_workspace(template / "coachdesk.sqlite") as target:
        template_dump = table_dump(target)
    return BackupWorld(good, source_dump, template, template_dump)


def write_backup(good: bytes, recipe: tuple, folder: Path) -> Path:
    """The backup ``recipe`` says (see ``backup_bases`` and ``damage``), alone in an empty ``folder``."""
    base, ops = recipe
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    path = folder / "backup.sqlite"
    if base == "good":
        path.write_bytes(good)
    elif base[0] == "bytes":
        path.write_bytes(base[1])
    else:
        kind, *tables, revision = base
        if kind == "revision":
            path.write_bytes(good)
        with closing(sqlite3.connect(path)) as connection, connection:
            if kind == "revision":
                connection.execute("DELETE FROM alembic_version")
            for table in tables[0] if tables else ():
                column = "version_num VARCHAR(32) NOT NULL PRIMARY KEY" if table == "alembic_version" else "x"
                connection.execute(f"CREATE TABLE {table} ({column})")
            if revision is not None and (kind == "revision" or "alembic_version" in tables[0]):
                connection.execute("INSERT INTO alembic_version VALUES (?)", (revision,))
    path.write_bytes(damage(path.read_bytes(), ops))
    assert sorted(folder.iterdir()) == [path]
    return path


def folder_contents(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder``, by its path inside it."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def file_dump(path: Path) -> dict[str, list[tuple]]:
    """What ``table_dump`` says of a database, read from its file without writing to it."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
        tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {table: sorted(connection.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
                for table in sorted(tables) if not table.startswith("search_")}


def fresh_database(world: BackupWorld, folder: Path) -> Path:
    """The template's database, copied to ``folder`` (emptied first)."""
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(world.template, folder)
    return folder / "coachdesk.sqlite"


def check_refusal(error: InputError, backup: Path) -> str:
    """A refusal says, in plain words, what is wrong with the backup, and names it. Returns the kind
    of refusal (the message without the file name and the details)."""
    message = str(error)
    assert message.strip() and backup.name in message, message
    return message.replace(backup.name, "FILE").split(" (")[0]


def check_restore(world: BackupWorld, database: Path, backup: Path) -> Any:
    """Restore ``backup`` over ``database``: refused with nothing changed in the database's folder, or
    a whole database in its place (every row of it reads) that CoachDesk opens, and the one it
    replaced kept in backups/.
    Returns the kind of refusal (see ``check_refusal``), or the restored database's ``table_dump``."""
    before = folder_contents(database.parent)
    try:
        restored = restore(database, backup)
    except InputError as error:
        refusal = check_refusal(error, backup)
        assert folder_contents(database.parent) == before
        return refusal
    assert restored.restored == database
    assert sorted(p.name for p in database.parent.iterdir()) == ["backups", database.name]
    assert restored.previous is not None and restored.previous.parent == database.parent / "backups"
    assert file_dump(restored.previous) == world.template_dump
    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    with open_workspace(database) as db:
        return table_dump(db)


def test_a_good_backup_is_validated_and_restored_whole(backup_world, tmp_path):
    """The harness reaches a restore: a good backup replaces the database with what it holds."""
    backup = write_backup(backup_world.good, ("good", ()), tmp_path / "in")
    assert validate_backup(backup) == HEAD
    assert check_restore(backup_world, fresh_database(backup_world, tmp_path / "db"), backup) \
        == backup_world.source_dump


@fuzz(150)
@given(backup_recipes)
@example(("good", ()))
@example((("revision", NEXT_REVISION), ()))
@example((("tables", ("notes",), None), ()))
@example((("bytes", b""), ()))
def test_a_backup_is_validated_or_refused_with_a_sentence(backup_world, tmp_path, recipe):
    """Damaged, random, empty, someone else's or a newer CoachDesk's: validated, or an InputError."""
    path = write_backup(backup_world.good, recipe, tmp_path / "in")
    content = path.read_bytes()
    try:
        revision = validate_backup(path)
    except InputError as error:
        event(check_refusal(error, path))
    else:
        event("validated")
        assert isinstance(revision, str) and revision <= HEAD
        if recipe == ("good", ()):
            assert revision == HEAD
    assert path.read_bytes() == content  # checking a backup never writes to it


@fuzz(40)
@given(backup_recipes)
@example(("good", ()))
@example((("revision", "9999"), ()))
# Each of these was validated and restored, and then the restored database did not open: a header that
# says SQLite may read the file but not write it (one bit of byte 18; OperationalError: attempt to write
# a readonly database), only the tables a CoachDesk database is known by (OperationalError: no such
# column), and a schema revision that is not the one of the tables, older (MigrationError) or no
# revision of CoachDesk's (NewerDatabaseError: "made by a newer CoachDesk (schema 0000)").
@example(("good", (("header", "write version", 3),)))
@example((("tables", RECOGNISED, HEAD), ()))
@example((("revision", f"{int(HEAD) - 1:04d}"), ()))
@example((("revision", "0000"), ()))
# Text that is not UTF-8 (one bit flipped in a character) passes SQLite's integrity check, is restored
# and opens, and then its row cannot be read (OperationalError: Could not decode to UTF-8 column).
@example(("good", (("spoil text", SHIPPED_TEXT[0]),)))
# A page copied over a page of the schema: SQLite's own message about it quotes bytes that are not UTF-8.
@example(("good", (("copy page", 58, 610),)))
def test_a_restore_replaces_the_database_whole_or_changes_nothing(backup_world, tmp_path, recipe):
    """The same backups restored over a database: it is replaced by one CoachDesk opens, or stays as it was."""
    backup = write_backup(backup_world.good, recipe, tmp_path / "in")
    result = check_restore(backup_world, fresh_database(backup_world, tmp_path / "db"), backup)
    event(result if isinstance(result, str) else "restored")


# ------------------------------------------------------------------------------ the corpus

def corpus_files(suffix: str) -> list[Path]:
    return sorted(p for p in CORPUS.iterdir() if p.suffix == suffix and p.name != "make_corpus.py")


def test_the_corpus_is_what_its_script_writes_and_small():
    written = corpus.corpus()
    on_disk = {p.name for p in CORPUS.iterdir() if p.name != "make_corpus.py" and p.is_file()}
    assert on_disk == set(written)
    for name, data in written.items():
        assert len(data) < 50_000, name
        if not name.endswith(".cdsync"):  # bundles depend on the zlib build; the rest must match exactly
            assert (CORPUS / name).read_bytes() == data, name


def test_every_bundle_of_the_corpus_is_refused_everywhere(team):
    files = corpus_files(".cdsync")
    assert len(files) >= 20
    for path in files:
        data = path.read_bytes()
        for reader in (HUB, DEVICE):
            with pytest.raises(BundleError):
                read_bundle(data, reader)
        assert hub_ingests(team, data, path.name).status == "refused", path.name
        assert isinstance(device_imports(team, data), InputError), path.name


def test_every_invitation_of_the_corpus_is_refused_and_joins_nothing(lone_device):
    files = corpus_files(".cdteam")
    assert len(files) >= 10
    for path in files:
        with pytest.raises(InputError):
            read_invitation(path)
        assert isinstance(refused_or_done(lambda: join_team(lone_device, path), lone_device), InputError), path.name


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_csv_of_the_corpus_is_imported_whole_or_refused_whole(small_db, kind):
    files = corpus_files(".csv")
    assert len(files) >= 15
    for path in files:
        check_import(small_db, kind, path)


def test_every_settings_file_of_the_corpus_loads(tmp_path):
    files = [p for p in corpus_files(".json") if p.name.startswith("settings-")]
    assert len(files) >= 10
    folder = tmp_path / "settings"
    folder.mkdir()
    for path in files:
        check_settings(folder / "settings.json", path.read_bytes())


BACKUP_CORPUS = sorted((CORPUS / "backup").iterdir())


def test_the_backup_corpus_is_what_its_script_writes_and_small():
    written = corpus.backup_files()
    assert {p.name for p in BACKUP_CORPUS} == set(written) and len(written) >= 15
    for path in BACKUP_CORPUS:
        data = written[path.name]
        assert len(data) < corpus.MAX_BACKUP_BYTES, path.name
        # Bytes 96-99 of a SQLite file are the version of SQLite that wrote it; the rest must match.
        on_disk = path.read_bytes()
        assert (on_disk[:96], on_disk[100:]) == (data[:96], data[100:]), path.name


@pytest.mark.parametrize("original", BACKUP_CORPUS, ids=lambda p: p.name)
def test_every_backup_of_the_corpus_is_refused_and_restores_nothing(backup_world, tmp_path, original):
    backup = tmp_path / "in" / original.name
    backup.parent.mkdir()
    shutil.copyfile(original, backup)
    with pytest.raises(InputError) as refused:
        validate_backup(backup)
    check_refusal(refused.value, backup)
    assert isinstance(check_restore(backup_world, fresh_database(backup_world, tmp_path / "db"), backup), str)
