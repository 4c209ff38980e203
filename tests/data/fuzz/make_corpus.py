"""Write the corpus of nasty inputs that tests/test_fuzz.py feeds to every parser of outside data.

Run it from the repository's root after changing it, and commit what it writes::

    .venv/bin/python tests/data/fuzz/make_corpus.py

It is deterministic: fixed keys, a fixed hub secret and a seeded random generator, so it writes
the same files every time (bundles: on the same zlib build). Every file it writes must be refused
by its parser (a CSV file may also be imported whole, settings files fall back to the defaults),
and stay under 50 KB.

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


def corpus() -> dict[str, bytes]:
    return bundles() | invitations() | csv_files() | settings_files()


def main() -> None:
    for name, data in sorted(corpus().items()):
        assert len(data) < MAX_BYTES, name
        (HERE / name).write_bytes(data)
        print(f"{len(data):6d}  {name}")


if __name__ == "__main__":
    main()
