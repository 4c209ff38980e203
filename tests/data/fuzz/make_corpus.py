"""Write the corpus of nasty inputs that tests/test_fuzz.py feeds to every parser of outside data.

Run it from the repository's root after changing it, and commit what it writes::

    .venv/bin/python tests/data/fuzz/make_corpus.py

It is deterministic: fixed keys, a fixed hub secret and a seeded random generator, so it writes
the same files every time (bundles: on the same zlib build; backups: on the same SQLite build).
Every file it writes must be refused by its parser (a CSV file may also be imported whole,
settings files fall back to the defaults), and stay under 50 KB; the backups, in backup/, under 8 KB.

Each bundle is made for the hub ``HUB`` by the device ``DEVICE`` (both fixed below); the tests set
up a hub and a device with exactly these keys, so a bundle that survives its damage would reach
the merge.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
import sqlite3
import struct
import zlib
from pathlib import Path

from coachdesk.sync import bundle
from coachdesk.sync.keys import DeviceKeys

HERE = Path(__file__).resolve().parent
MAX_BYTES = 50_000


def fixed_keys(n: int) -> DeviceKeys:
    return DeviceKeys(sign_private=bytes([n]) * 32, box_private=bytes([n + 100]) * 32)


DEVICE, HUB, STRANGER = fixed_keys(1), fixed_keys(2), fixed_keys(4)
HUB_SECRET = bytes(range(32))
SCHEMA = "0001"  # bundles of the corpus are refused before their schema matters
MENTEE_ID = "019a0410c800706db01966a0c381e88f"


def invitation_proof(signer: DeviceKeys = DEVICE) -> str:
    """What ``coachdesk.services.team`` puts in a device's bundle to show it holds the invitation."""
    return hmac.new(HUB_SECRET, signer.public().sign, hashlib.sha256).hexdigest()


def mentee_records(site_hex: str, name: str = "Aisha Bello", hlc: int = 117675178037084160) -> list[dict]:
    """Every record of one new mentee, as a device sends it."""
    values = {"__row__": None, "name": name, "kind": "person", "community_id": None, "languages": ["ha", "en"],
              "region": "West Africa", "journey_stage": "first_contact", "coach_id": None,
              "consent_given_on": "2026-03-24", "consent_given_by": "spoken consent", "archived": False}
    return [{"t": "mentee", "id": MENTEE_ID, "c": column, "v": value, "h": hlc, "s": site_hex, "p": None, "cl": 1}
            for column, value in values.items()]


def device_bundle(recipient: DeviceKeys = HUB) -> bytes:
    site = DEVICE.public().site_id.hex()
    return bundle.write_bundle(mentee_records(site), schema_version=SCHEMA, from_version=0, to_version=1,
                               signer=DEVICE, recipients=[recipient.public()], kind="device",
                               extra={"invitation_proof": invitation_proof(), "device_name": "tablet"})


def hand_signed(payload: bytes, *, counts: dict, signer: DeviceKeys = DEVICE, reader: DeviceKeys = HUB,
                to_version: int = 1, kind: str = "device", extra: dict | None = None,
                schema_version: str = SCHEMA) -> bytes:
    """A bundle whose payload bytes are put together by hand, properly signed and encrypted by a key
    holder: what a faulty or hostile CoachDesk of the team could send."""
    sender = signer.public()
    fields = {"site_id": sender.site_id.hex(), "sender": sender.to_json(), "schema_version": schema_version,
              "from_version": 0, "to_version": to_version, "counts": counts,
              "payload_sha256": hashlib.sha256(payload).hexdigest(), "kind": kind,
              "extra": {"invitation_proof": invitation_proof(signer), "device_name": "tablet"}
              if extra is None else extra}
    manifest = bundle._canonical({"bundle_id": bundle._bundle_id(fields), **fields})
    inner = bundle._sign_inner(manifest, zlib.compress(payload, 9), signer)
    return bundle._seal(inner, signer, [reader.public()])


def with_prefix(data: bytes, *, version: int | None = None, count: int | None = None,
                length: int | None = None) -> bytes:
    """``data`` with its cleartext prefix rewritten and a CRC that fits, so only later checks catch it."""
    _magic, old_version, old_count, old_length = bundle._PREFIX.unpack_from(data)
    prefix = bundle._PREFIX.pack(bundle.MAGIC, old_version if version is None else version,
                                 old_count if count is None else count, old_length if length is None else length)
    return prefix + struct.pack(">I", zlib.crc32(prefix)) + data[bundle._PREFIX_CHECKED:]


def flip(data: bytes, offset: int, bit: int = 0) -> bytes:
    return data[:offset] + bytes([data[offset] ^ (1 << bit)]) + data[offset + 1:]


def bundles() -> dict[str, bytes]:
    rng = random.Random(8)
    good = device_bundle()
    header_end = bundle._PREFIX_CHECKED + bundle._STANZA
    forged_header = with_prefix(good[:header_end], length=116) + rng.randbytes(116)
    return {
        "empty.cdsync": b"",
        "magic-only.cdsync": bundle.MAGIC,
        "truncated.cdsync": good[: len(good) // 2],
        "truncated-header.cdsync": good[:20],
        "truncated-by-one.cdsync": good[:-1],
        "appended.cdsync": good + b"\n",
        "bitflip-crc.cdsync": flip(good, 19, 3),
        "bitflip-length.cdsync": flip(good, 17, 5),
        "bitflip-stanza.cdsync": flip(good, 40, 1),
        "bitflip-body.cdsync": flip(good, len(good) - 1, 7),
        "newer-format.cdsync": with_prefix(good, version=2),
        "format-zero.cdsync": with_prefix(good, version=0),
        "zero-recipients.cdsync": with_prefix(good, count=0),
        "many-recipients.cdsync": with_prefix(good, count=0xFFFF),
        "huge-length.cdsync": with_prefix(good, length=2**64 - 1),
        "garbage-after-header.cdsync": forged_header,
        "random.cdsync": rng.randbytes(512),
        "csv-renamed.cdsync": b"id,name\n,Aisha Bello\n",
        "for-someone-else.cdsync": device_bundle(STRANGER),
        "signed-not-json.cdsync": hand_signed(b"name,kind\nAisha,person", counts={"*": 1}),
        "signed-not-objects.cdsync": hand_signed(b"[1,2]\n3", counts={"*": 2}),
        # A lone surrogate is valid JSON but not text: counting the records once raised UnicodeEncodeError.
        "signed-lone-surrogate.cdsync": hand_signed(b'{"t":["\\ud800"]}', counts={}),
        "signed-lone-surrogate-value.cdsync": hand_signed(
            json.dumps({"t": "mentee", "v": "\ud800"}, sort_keys=True).encode(), counts={"mentee": 1}),
        "signed-nan.cdsync": hand_signed(b'{"t":"mentee","v":NaN}', counts={"mentee": 1}),
        # Versions past what a database integer holds once reached the database and overflowed there.
        "signed-huge-version.cdsync": hand_signed(b"", counts={}, to_version=2**64),
        "signed-wrong-counts.cdsync": hand_signed(b'{"t":"mentee"}', counts={"mentee": 2}),
    }


def invitation(**changes: object) -> dict:
    hub = HUB.public()
    b64 = base64.b64encode
    valid = {"format": 1, "kind": "coachdesk-team-invitation", "team": "Kano circuit",
             "hub_site_id": hub.site_id.hex(), "hub_sign": b64(hub.sign).decode(), "hub_box": b64(hub.box).decode(),
             "secret": b64(HUB_SECRET).decode()}
    return {k: v for k, v in (valid | changes).items() if v is not ...}


def as_json(value: object) -> bytes:
    return json.dumps(value, indent=2).encode("utf-8")


def invitations() -> dict[str, bytes]:
    return {
        "empty.cdteam": b"",
        "not-json.cdteam": b"team: Kano circuit\nsecret: abc\n",
        "array.cdteam": b"[]",
        "wrong-kind.cdteam": as_json(invitation(kind="coachdesk-device-keys")),
        "wrong-types.cdteam": as_json(invitation(team=7, hub_site_id=12, hub_sign=[], hub_box={}, secret=None)),
        # A format that is not a number once raised TypeError comparing it with 1.
        "format-text.cdteam": as_json(invitation(format="1")),
        "format-null.cdteam": as_json(invitation(format=None)),
        # A team that is not text was taken as the text of its value.
        "team-object.cdteam": as_json(invitation(team={"name": "Kano circuit"})),
        "missing-secret.cdteam": as_json(invitation(secret=...)),
        "bad-base64.cdteam": as_json(invitation(hub_sign="not base64!!")),
        "short-key.cdteam": as_json(invitation(hub_box="AAAA")),
        "site-id-not-hex.cdteam": as_json(invitation(hub_site_id="zz" * 16)),
        "non-ascii-base64.cdteam": as_json(invitation(secret="ÄÖÜ=")),
        # Nesting deeper than the JSON reader's recursion once raised RecursionError.
        "deep-nesting.cdteam": b"[" * 5000,
        "latin1.cdteam": json.dumps(invitation(team="Société"), ensure_ascii=False).encode("latin-1"),
        "nul-bytes.cdteam": as_json(invitation())[:40] + b"\0\0\0",
        "huge-number.cdteam": b'{"kind": "coachdesk-team-invitation", "format": 1' + b"0" * 5000 + b"}",
    }


def csv_files() -> dict[str, bytes]:
    header = b"id,name,kind,consent_given_on,archived,languages\n"
    return {
        "empty.csv": b"",
        "bom-only.csv": b"\xef\xbb\xbf",
        "utf16-bom-only.csv": b"\xff\xfe",
        "utf16-odd-length.csv": b"\xff\xfei\x00d\x00,",
        "blank-lines.csv": b"\r\n \r\n\t\n",
        "nul-bytes.csv": b"id,name\n,Ai\x00sha\n",
        "latin1.csv": "id,name,region\n,Aïcha Diop,Thiès\n".encode("latin-1"),
        "binary.csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        "ragged.csv": b"id,name\n,Aisha,extra,cells\n,Bello\n,\n",
        "huge-field.csv": b"id,name\n," + b"A" * 40_000 + b"\n",
        "unclosed-quote.csv": b'id,name\n,"Aisha\n,Bello\n',
        "quotes-inside.csv": b'id,name,kind\n,Ai"sha,"pers"on\n',
        "semicolons.csv": b"id;name;kind;archived\n;Aisha;robot;maybe\n",
        "tabs.csv": b"id\tname\tjourney_stage\n\tAisha\tnowhere\n",
        "pipes.csv": b"id|name\n|Aisha\n",
        "duplicate-columns.csv": b"id,name,name\n,Aisha,Bello\n",
        "unknown-column.csv": b"id,name,password\n,Aisha,secret\n",
        "no-name-column.csv": b"id,kind\n,person\n",
        "bad-values.csv": header + b"not-an-id,Aisha,robot,2026-02-30,maybe,xx-klingon\n"
                                   b"{00000000-0000-0000-0000-000000000000},,,31/12/2026,,ar;;;zz\n",
        "bad-session-values.csv": b"id,title,started_at,duration_minutes,language,participant_ids,capacities,method\n"
                                  b",Visit,2026-13-01 25:61,inf,ar;hi,zzz,unknown,nope\n"
                                  b",Visit,,1e400,,,,\n,Visit,2026-03-01 10:00,-5,xx,,,\n",
        "formula-and-newlines.csv": b'id,title,started_at,notes\n,=HYPERLINK("x"),2026-03-01 10:00,"a\r\nb"\n'
                                    b",+cmd,not a date,@SUM(1)\n",
        "crlf-cr-mixed.csv": b"id,name\r,Aisha\r\n,Bello\n,\r,robot,x\r",
    }


def settings_files() -> dict[str, bytes]:
    return {
        "settings-empty.json": b"",
        "settings-not-json.json": b"{language: ar",
        "settings-not-object.json": b"[1, 2, 3]",
        "settings-null.json": b"null",
        "settings-latin1.json": b'{"user_name": "Soci\xe9t\xe9"}',
        "settings-nul-bytes.json": b'{"user_name": "\x00"}\x00',
        # These once raised instead of falling back to the defaults.
        "settings-deep-nesting.json": b"[" * 5000,
        "settings-version-text.json": b'{"version": "one", "language": "fr"}',
        "settings-version-infinite.json": b'{"version": 1e400}',
        "settings-version-list.json": b'{"version": [1]}',
        "settings-wrong-types.json": b'{"language": 5, "role": "king", "lock_after_minutes": "15", '
                                     b'"user_name": null, "version": true}',
        # An unknown language once made the next start fail in set_language.
        "settings-unknown-language.json": b'{"language": "klingon", "role": "mentor"}',
    }


BACKUPS = HERE / "backup"
MAX_BACKUP_BYTES = 8_000
#: SQLite's smallest page, so that a whole database is a few KB.
PAGE = 512
SQLITE_MAGIC = b"SQLite format 3\x00"

#: The tables by which a backup is recognised as CoachDesk's, as CoachDesk's migrations make them
#: (fewer columns), with a few rows: a small stand-in for a real backup, to damage.
COACHDESK_SHAPED = """
CREATE TABLE alembic_version (
    version_num VARCHAR(32) NOT NULL,
    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));
CREATE TABLE sync_site (
    idx INTEGER NOT NULL, site_id BLOB NOT NULL, name VARCHAR(200) NOT NULL,
    CONSTRAINT pk_sync_site PRIMARY KEY (idx), CONSTRAINT uq_sync_site_site_id UNIQUE (site_id));
CREATE TABLE sync_state (
    id INTEGER NOT NULL, local_site_idx INTEGER NOT NULL, db_version BIGINT NOT NULL,
    CONSTRAINT pk_sync_state PRIMARY KEY (id),
    CONSTRAINT fk_sync_state_local_site_idx_sync_site FOREIGN KEY(local_site_idx) REFERENCES sync_site (idx));
CREATE TABLE mentee (
    kind VARCHAR(12) NOT NULL, name VARCHAR(200) NOT NULL, region VARCHAR(100) NOT NULL, id BLOB NOT NULL,
    CONSTRAINT pk_mentee PRIMARY KEY (id));
CREATE INDEX ix_mentee_name ON mentee (name);
INSERT INTO sync_site VALUES (1, x'00112233445566778899aabbccddeeff', 'laptop');
"""


def sqlite_file(script: str) -> bytes:
    """The file of a database that ``script`` makes, in pages of ``PAGE`` bytes."""
    connection = sqlite3.connect(":memory:")
    try:
        connection.execute(f"PRAGMA page_size = {PAGE}")
        connection.executescript(script)
        return connection.serialize()
    finally:
        connection.close()


def coachdesk_shaped(version: str | None = "0007", local_site: int = 1) -> bytes:
    """A small database with CoachDesk's tables, schema ``version`` (None: no version row)."""
    mentees = "".join(f"INSERT INTO mentee VALUES ('person', 'Mentee {n:02d} Bello', 'West Africa', "
                      f"x'{n:032x}');\n" for n in range(8))
    version_row = "" if version is None else f"INSERT INTO alembic_version VALUES ('{version}');\n"
    return sqlite_file(f"{COACHDESK_SHAPED}{version_row}INSERT INTO sync_state VALUES (1, {local_site}, 0);\n"
                       f"{mentees}")


def header_field(data: bytes, offset: int, value: int, size: int) -> bytes:
    """``data`` with the big-endian field of SQLite's 100-byte header at ``offset`` set to ``value``."""
    return data[:offset] + value.to_bytes(size, "big") + data[offset + size:]


def zero_page(data: bytes, page: int) -> bytes:
    """``data`` with its page ``page`` (from 1) all zeros."""
    start = (page - 1) * PAGE
    return data[:start] + bytes(PAGE) + data[start + PAGE:]


def backup_files() -> dict[str, bytes]:
    """Backups to restore, in backup/: each must be refused, with a sentence naming the file. (Named
    .backup: a restore takes any name, and .gitignore leaves out *.sqlite.)"""
    rng = random.Random(11)
    good = coachdesk_shaped()
    pages = len(good) // PAGE
    name_at = good.find(b"Mentee 07 Bello")  # in the table's row (the index comes later in the file)
    assert name_at > 0
    return {
        "empty.backup": b"",
        "random.backup": rng.randbytes(2048),
        "magic-then-random.backup": SQLITE_MAGIC + rng.randbytes(2032),
        "csv-renamed.backup": b"id,name\n,Aisha Bello\n",
        "magic-only.backup": SQLITE_MAGIC,
        "truncated-in-header.backup": good[:60],
        "header-only.backup": good[:100],
        "first-page-only.backup": good[:PAGE],
        "truncated-by-one-page.backup": good[:-PAGE],
        "truncated-mid-page.backup": good[: (pages // 2) * PAGE + 100],
        "all-zeros.backup": bytes(len(good)),
        "zero-first-page.backup": zero_page(good, 1),
        "zero-page.backup": zero_page(good, 2),
        "zero-last-page.backup": zero_page(good, pages),
        "swapped-pages.backup": good[:PAGE] + good[2 * PAGE:3 * PAGE] + good[PAGE:2 * PAGE] + good[3 * PAGE:],
        "bitflip-in-row.backup": flip(good, name_at + 7, 1),
        "page-size-not-a-power-of-two.backup": header_field(good, 16, 1000, 2),
        "page-size-wrong.backup": header_field(good, 16, 1024, 2),
        "read-version-newer.backup": header_field(good, 19, 3, 1),
        "not-coachdesk.backup": sqlite_file("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);\n"
                                            "INSERT INTO notes (body) VALUES ('shopping list');"),
        "no-version-row.backup": coachdesk_shaped(version=None),
        "newer-revision.backup": coachdesk_shaped(version="9999"),
        "dangling-foreign-key.backup": coachdesk_shaped(local_site=7),
    }


def corpus() -> dict[str, bytes]:
    return bundles() | invitations() | csv_files() | settings_files()


def main() -> None:
    for name, data in sorted(corpus().items()):
        assert len(data) < MAX_BYTES, name
        (HERE / name).write_bytes(data)
        print(f"{len(data):6d}  {name}")
    BACKUPS.mkdir(exist_ok=True)
    for name, data in sorted(backup_files().items()):
        assert len(data) < MAX_BACKUP_BYTES, name
        (BACKUPS / name).write_bytes(data)
        print(f"{len(data):6d}  backup/{name}")


if __name__ == "__main__":
    main()
