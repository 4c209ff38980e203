"""The .cdsync bundle: what each recipient reads back, the bytes it is made of, and every way it is refused."""

from __future__ import annotations

import hashlib
import json
import os
import random
import stat
import zlib
from functools import cache

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from coachdesk.errors import InputError
from coachdesk.sync import bundle
from coachdesk.sync.bundle import (
    FORMAT_VERSION,
    MAGIC,
    BundleError,
    NewerFormat,
    NotABundle,
    TamperedBundle,
    TruncatedBundle,
    WrongRecipient,
    build_bundle,
    peek_format,
    read_bundle,
    write_bundle,
    write_bundle_file,
)
from coachdesk.sync.keys import DeviceKeys, KeyFileError, PublicKeys, load_keys, save_keys

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def keys(n: int) -> DeviceKeys:
    """Fixed keys, so a failing example reproduces."""
    return DeviceKeys(sign_private=bytes([n]) * 32, box_private=bytes([n + 100]) * 32)


DEVICE, HUB, TEAMMATE, STRANGER = keys(1), keys(2), keys(3), keys(4)


def record(i: int, rng: random.Random) -> dict:
    return {"t": "mentee", "id": f"{rng.getrandbits(128):032x}", "c": "name", "v": f"Aisha Bello {i}",
            "h": 1234567890123456 + i, "s": f"{rng.getrandbits(128):032x}", "cl": 1}


def records(n: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    return [record(i, rng) for i in range(n)]


def make(recs=None, *, signer=DEVICE, recipients=None, **fields) -> bytes:
    options = {"schema_version": "0001", "from_version": 3, "to_version": 9} | fields
    return write_bundle(records(5) if recs is None else recs, signer=signer,
                        recipients=[HUB.public()] if recipients is None else recipients, **options)


@cache
def small() -> bytes:
    """Made for the hub and a teammate; the tests read it as the hub, so the teammate's stanza is a stranger's."""
    return make(recipients=[HUB.public(), TEAMMATE.public()])


def canonical_set(recs):
    return sorted(json.dumps(r, sort_keys=True) for r in recs)


def refusal(data: bytes, reader: DeviceKeys = HUB) -> BundleError:
    with pytest.raises(BundleError) as caught:
        read_bundle(data, reader)
    return caught.value


# ------------------------------------------------------------------------------------- round trips

def test_the_recipient_reads_back_the_records_and_the_signed_manifest():
    recs = records(20) + [{"t": "session", "id": "x", "v": "نشاط — कार्यशाला", "n": None, "f": 1.5}]
    data = make(recs, extra={"ack": {"a" * 32: 12}}, kind="device")
    manifest, got = read_bundle(data, HUB)
    assert canonical_set(got) == canonical_set(recs)
    assert manifest.sender == DEVICE.public()
    assert manifest.site_id == DEVICE.public().site_id.hex()
    assert (manifest.schema_version, manifest.from_version, manifest.to_version) == ("0001", 3, 9)
    assert manifest.counts == {"mentee": 20, "session": 1}
    assert manifest.kind == "device" and manifest.extra == {"ack": {"a" * 32: 12}}
    lines = b"\n".join(sorted(json.dumps(r, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
                              .encode() for r in recs))
    assert manifest.payload_sha256 == hashlib.sha256(lines).hexdigest()


def test_each_of_several_recipients_reads_the_same_bundle():
    data = make(kind="central", signer=HUB, recipients=[DEVICE.public(), TEAMMATE.public(), HUB.public()])
    results = [read_bundle(data, reader) for reader in (DEVICE, TEAMMATE, HUB)]
    assert all(r == results[0] for r in results)
    assert results[0][0].kind == "central"
    assert canonical_set(results[0][1]) == canonical_set(records(5))


def test_an_empty_bundle_round_trips():
    manifest, got = read_bundle(make([]), HUB)
    assert got == [] and manifest.counts == {}


def test_a_key_it_was_not_made_for_cannot_open_it():
    error = refusal(small(), STRANGER)
    assert isinstance(error, WrongRecipient)
    assert str(error) == "This bundle was not made for this device or hub."
    assert isinstance(error, InputError)  # the command line and the UI show it as it is


def test_the_cleartext_header_names_no_one():
    data = small()
    header = data[: 22 + 2 * 80]
    for party in (DEVICE, HUB, TEAMMATE):
        public = party.public()
        for secret in (public.sign, public.box, public.site_id, public.site_id.hex().encode()):
            assert secret not in data
    assert header.startswith(MAGIC + bytes([FORMAT_VERSION]))
    stanzas = [header[22 + 80 * i: 22 + 80 * (i + 1)] for i in range(2)]
    assert stanzas == sorted(stanzas)  # in byte order, not in an order that follows the recipients


# ------------------------------------------------------------------------------------- determinism

def test_the_same_state_exports_to_the_same_bytes_whatever_the_order():
    recs = records(50)
    first = make(recs, recipients=[HUB.public(), TEAMMATE.public()])
    again = make(list(reversed(recs)), recipients=[TEAMMATE.public(), HUB.public(), HUB.public()])
    assert first == again


def test_different_content_gets_a_different_id_and_different_bytes():
    one, _ = build_bundle(records(10), schema_version="1", from_version=0, to_version=1,
                          signer=DEVICE, recipients=[HUB.public()])
    changed = records(10)
    changed[3]["v"] = "Aisha Bello (renamed)"
    two, _ = build_bundle(changed, schema_version="1", from_version=0, to_version=1,
                          signer=DEVICE, recipients=[HUB.public()])
    three, _ = build_bundle(records(10), schema_version="1", from_version=0, to_version=1,
                            signer=DEVICE, recipients=[HUB.public()], extra={"ack": {}})
    assert len({one.bundle_id, two.bundle_id, three.bundle_id}) == 3
    assert one.payload_sha256 != two.payload_sha256


def test_a_different_recipient_set_gets_a_different_file_key():
    """Same plaintext, other recipients: the body must not reuse the key (with a different header)."""
    for_hub = make(recipients=[HUB.public()])
    for_both = make(recipients=[HUB.public(), TEAMMATE.public()])
    assert for_hub[22 + 80:] != for_both[22 + 160:]
    assert read_bundle(for_hub, HUB) == read_bundle(for_both, HUB)


# ------------------------------------------------------------------------------------- refusals

def test_every_single_bit_flip_after_the_version_byte_is_refused():
    data = small()
    for position in range(len(MAGIC) + 1, len(data)):
        damaged = bytearray(data)
        damaged[position] ^= 0x01
        assert type(refusal(bytes(damaged))) in (TamperedBundle, WrongRecipient), position


@FAST
@given(st.data())
def test_any_byte_changed_in_header_stanzas_or_body_is_refused(draw):
    data = small()
    position = draw.draw(st.integers(len(MAGIC) + 1, len(data) - 1), label="position")
    mask = draw.draw(st.integers(1, 255), label="mask")
    damaged = bytearray(data)
    damaged[position] ^= mask
    assert type(refusal(bytes(damaged))) in (TamperedBundle, WrongRecipient)


def test_a_damaged_magic_or_version_is_named_for_what_it_is():
    data = small()
    for position in range(len(MAGIC)):
        damaged = bytearray(data)
        damaged[position] ^= 0x20
        assert type(refusal(bytes(damaged))) is NotABundle
    assert type(refusal(data[:7] + b"\x00" + data[8:])) is NotABundle


def test_a_newer_format_is_refused_with_its_number():
    newer = small()[:7] + bytes([2]) + small()[8:]
    assert peek_format(newer) == 2 and peek_format(small()) == FORMAT_VERSION
    error = refusal(newer)
    assert isinstance(error, NewerFormat) and error.found == 2
    assert str(error) == "This bundle was made by a newer CoachDesk (format 2); update CoachDesk to read it."


def test_every_truncation_is_refused():
    data = small()
    for length in range(1, len(data)):
        assert type(refusal(data[:length])) in (TruncatedBundle, TamperedBundle), length
    assert str(refusal(data[:100])) == "This bundle is damaged: it ends before its contents are complete."


@FAST
@given(st.data())
def test_truncating_a_bigger_bundle_anywhere_is_refused(draw):
    data = big_for_three()
    length = draw.draw(st.integers(1, len(data) - 1), label="length")
    assert type(refusal(data[:length])) in (TruncatedBundle, TamperedBundle)


@cache
def big_for_three() -> bytes:
    return make(records(300), recipients=[HUB.public(), TEAMMATE.public(), STRANGER.public()])


def test_anything_appended_is_refused():
    assert type(refusal(small() + b"\x00")) is TamperedBundle
    assert str(refusal(small() + b"more")) == "This bundle was changed after it was made, so it was refused."


def test_an_empty_file_is_not_a_bundle():
    error = refusal(b"")
    assert type(error) is NotABundle and str(error) == "This file is not a CoachDesk sync bundle."
    with pytest.raises(NotABundle):
        peek_format(b"")


@FAST
@given(st.binary(max_size=400))
def test_random_bytes_are_not_a_bundle(data):
    assume(not MAGIC.startswith(data[:7]))
    assert type(refusal(data)) is NotABundle


@FAST
@given(st.binary(max_size=600))
def test_nothing_after_the_magic_raises_anything_but_a_refusal(rest):
    refusal(MAGIC + bytes([FORMAT_VERSION]) + rest)


@FAST
@given(st.binary(max_size=300))
def test_nothing_a_key_holder_encrypts_raises_anything_but_a_refusal(inner):
    """Past the AEAD: arbitrary inner plaintexts, properly encrypted for the hub."""
    refusal(bundle._seal(inner, DEVICE, [HUB.public()]))


@FAST
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
                    max_leaves=10))
def test_a_signed_manifest_of_any_shape_is_refused_unless_well_formed(value):
    refusal(craft(value, b"", signer=DEVICE))


def craft(manifest: object, payload: bytes, *, signer: DeviceKeys, reader: DeviceKeys = HUB) -> bytes:
    """A bundle put together by hand: any manifest, signed by ``signer``, encrypted for ``reader``."""
    manifest_bytes = bundle._canonical(manifest)
    signature = signer.signing_key().sign(bundle.SIGN_CONTEXT + manifest_bytes)
    inner = len(manifest_bytes).to_bytes(4, "big") + manifest_bytes + signature + zlib.compress(payload, 9)
    return bundle._seal(inner, signer, [reader.public()])


def honest_manifest(claimed: DeviceKeys, payload: bytes) -> dict:
    sender = claimed.public()
    fields = {"site_id": sender.site_id.hex(), "sender": sender.to_json(), "schema_version": "1",
              "from_version": 0, "to_version": 1, "counts": {"note": 1},
              "payload_sha256": hashlib.sha256(payload).hexdigest(), "kind": "device", "extra": {}}
    return {"bundle_id": bundle._bundle_id(fields), **fields}


PAYLOAD = b'{"t":"note","v":"hello"}'


def test_a_hand_made_bundle_reads_when_signer_and_sender_agree():
    manifest, got = read_bundle(craft(honest_manifest(DEVICE, PAYLOAD), PAYLOAD, signer=DEVICE), HUB)
    assert got == [{"t": "note", "v": "hello"}] and manifest.sender == DEVICE.public()


def test_a_bundle_signed_by_one_key_but_claiming_another_sender_is_refused():
    forged = craft(honest_manifest(TEAMMATE, PAYLOAD), PAYLOAD, signer=DEVICE)
    assert type(refusal(forged)) is TamperedBundle


def test_a_signed_manifest_that_does_not_match_its_payload_is_refused():
    manifest = honest_manifest(DEVICE, PAYLOAD)
    assert type(refusal(craft(manifest, PAYLOAD.replace(b"hello", b"HELLO"), signer=DEVICE))) is TamperedBundle
    wrong_counts = honest_manifest(DEVICE, PAYLOAD) | {"counts": {"note": 2}}
    assert type(refusal(craft(wrong_counts, PAYLOAD, signer=DEVICE))) is TamperedBundle  # and its id no longer fits


# ------------------------------------------------------------------------------------- keys and files

def test_keys_survive_json_and_the_key_file_is_private(tmp_path):
    device = DeviceKeys.generate()
    assert DeviceKeys.from_json(json.loads(json.dumps(device.to_json()))) == device
    public = device.public()
    assert PublicKeys.from_json(public.to_json()) == public
    assert PublicKeys.from_json(json.dumps(public.to_json())) == public
    assert public.site_id == hashlib.sha256(public.sign).digest()[:16]
    assert device.sign_private.hex() not in repr(device)

    path = tmp_path / "device.keys"
    save_keys(path, device)
    assert load_keys(path) == device
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["device.keys"]

    path.write_text('{"kind": "coachdesk-device-keys", "version": 1, "sign_private": "short"}')
    with pytest.raises(KeyFileError, match="damaged or is not a CoachDesk key file"):
        load_keys(path)


def test_a_bundle_file_is_written_whole(tmp_path):
    target = tmp_path / "laptop-1.cdsync"
    write_bundle_file(target, small())
    write_bundle_file(target, small())
    assert target.read_bytes() == small()
    assert [p.name for p in tmp_path.iterdir()] == ["laptop-1.cdsync"]


def test_ten_thousand_typical_records_stay_well_under_a_megabyte():
    recs = records(10_000, seed=2026)
    data = make(recs, recipients=[HUB.public(), TEAMMATE.public()])
    print(f"\n10,000 records: {len(data):,} bytes")
    assert len(data) < 1_000_000
    manifest, got = read_bundle(data, TEAMMATE)
    assert manifest.counts == {"mentee": 10_000} and len(got) == 10_000
