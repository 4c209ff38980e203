"""The ``.cdsync`` bundle file: signed, compressed change records, encrypted for one or more recipients.

Sign, then encrypt. The cleartext header says only "this is a bundle, format N, for K recipients";
who sent it and for whom are inside the encryption. Reading happens wholly in memory and returns
records only once every check has passed, so a caller that applies nothing until ``read_bundle``
returns never applies part of a bad bundle.

Byte layout of format 1 (all integers big-endian)::

    offset  size  what
    0       7     MAGIC  b"CDSYNC\\x00"
    7       1     format version (u8) = 1
    8       2     number of recipient stanzas n (u16, >= 1)
    10      8     body length b (u64, >= 16)
    18      4     CRC-32 of bytes 0..17 (catches a damaged length before it is trusted)
    22      80*n  stanzas, sorted by their bytes; each: ephemeral X25519 public key (32)
                  + ChaCha20-Poly1305(wrap key, nonce 0) of the 32-byte file key (32 + 16 tag)
    22+80n  b     body: ChaCha20-Poly1305(file key, nonce 0, associated data = bytes 0..22+80n)
                  of the inner plaintext
    The file ends exactly there; anything after it is refused.

    inner plaintext:
    u32 manifest length m | manifest (canonical JSON, UTF-8, m bytes)
    | Ed25519 signature (64) of SIGN_CONTEXT + manifest | zlib level 9 of the payload (the rest)

    payload: the records as canonical JSON lines, sorted, joined by "\\n" (empty for no records).

Wrapping a file key for a recipient is age's X25519 recipient: shared = X25519(ephemeral, recipient),
wrap key = HKDF-SHA256(shared, salt = ephemeral public + recipient public, info = WRAP_INFO).

Determinism (the same state exports to the same bytes). Nothing is random; every secret is derived:

    D         = SHA-256(KEY_INPUT_CONTEXT | version | inner plaintext | sorted recipient box keys)
    file key  = HKDF-SHA256(ikm = signer's Ed25519 private key, salt = D, info = FILE_KEY_INFO)
    ephemeral = HKDF-SHA256(ikm = signer's Ed25519 private key, salt = D, info = EPHEMERAL_INFO + recipient)

Ed25519 signatures are deterministic (RFC 8032) and zlib at a fixed level is deterministic, so the
same records, manifest fields, signer and recipients give the same file, byte for byte (on the same
zlib build; ``bundle_id`` does not depend on compression at all).

Why a fixed nonce is safe here: ChaCha20-Poly1305 breaks only when one key encrypts two different
(plaintext, associated data) pairs under one nonce. D covers the whole inner plaintext — the
manifest with its payload hash, sender, version range and ``extra``, and the exact compressed bytes
(so even a different zlib cannot pair one key with two plaintexts) — and the recipient set, which
fixes the stanzas and therefore the header used as associated data. Different content or recipients
give a different D, hence a different file key; the same D gives the same key, nonce and input, so
the same ciphertext, which tells an observer nothing the identical file does not already show.
Each wrap key is unique to its (ephemeral, recipient) pair and only ever encrypts that one file key.
The file key stays secret because deriving it needs the signer's private key: a recipient, or anyone
who guesses the content, can compute D but not the key.
"""

from __future__ import annotations

import hashlib
import json
import struct
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from coachdesk.atomic import atomic_write
from coachdesk.errors import InputError
from coachdesk.i18n import N_, _
from coachdesk.sync.keys import KEY_BYTES, DeviceKeys, PublicKeys

FORMAT_VERSION = 1
MAGIC = b"CDSYNC\x00"
KINDS = ("device", "central")

SIGN_CONTEXT = b"coachdesk-sync/v1 manifest\x00"
KEY_INPUT_CONTEXT = b"coachdesk-sync/v1 key input\x00"
BUNDLE_ID_CONTEXT = b"coachdesk-sync/v1 bundle id\x00"
FILE_KEY_INFO = b"coachdesk-sync/v1 file key"
EPHEMERAL_INFO = b"coachdesk-sync/v1 ephemeral "
WRAP_INFO = b"coachdesk-sync/v1 X25519 wrap"

#: A bundle never holds more than this much uncompressed payload; a larger one is not ours.
MAX_PAYLOAD_BYTES = 1 << 30
#: The largest version or count a bundle may carry: what a database's 64-bit integer holds.
MAX_COUNT = (1 << 63) - 1

_PREFIX = struct.Struct(">7sBHQ")  # magic, version, stanza count, body length
_PREFIX_CHECKED = _PREFIX.size + 4  # + CRC-32
_TAG = 16
_NONCE = bytes(12)  # see the module docstring: every key here encrypts exactly one input
_WRAPPED = KEY_BYTES + _TAG
_STANZA = KEY_BYTES + _WRAPPED
_SIGNATURE = 64
_MANIFEST_LEN = struct.Struct(">I")


# ---------------------------------------------------------------------------------------- refusals

class BundleError(InputError):
    """A sync bundle was refused; nothing in it was applied. ``str()`` is one sentence for people."""

    # Marked for the catalog here, translated where the error is raised.
    message = N_("This sync bundle was refused.")

    def __init__(self, **fields: Any) -> None:
        super().__init__(_(self.message).format(**fields))
        self.fields = fields


class NotABundle(BundleError):
    message = N_("This file is not a CoachDesk sync bundle.")


class TruncatedBundle(BundleError):
    message = N_("This bundle is damaged: it ends before its contents are complete.")


class TamperedBundle(BundleError):
    message = N_("This bundle was changed after it was made, so it was refused.")


class WrongRecipient(BundleError):
    message = N_("This bundle was not made for this device or hub.")


class NewerFormat(BundleError):
    message = N_("This bundle was made by a newer CoachDesk (format {found}); update CoachDesk to read it.")

    def __init__(self, found: int) -> None:
        super().__init__(found=found)
        self.found = found


# ---------------------------------------------------------------------------------------- manifest

@dataclass(frozen=True)
class Manifest:
    """What a bundle says about itself, signed by its sender.

    ``sender`` is the signer's public keys (in the signed JSON, ``PublicKeys.to_json()``): the
    signature was checked against them, so whether that device is known and not revoked is for the
    caller to decide.
    """

    bundle_id: str  # 32 hex; SHA-256 of every other field, so the same content has the same id
    site_id: str  # 32 hex: sender.site_id.hex()
    sender: PublicKeys
    schema_version: str
    from_version: int
    to_version: int
    counts: dict[str, int]  # records per record type ("t"; "*" for records without one)
    payload_sha256: str  # 64 hex, of the uncompressed canonical JSON lines
    kind: str  # "device" or "central"
    extra: dict[str, Any] = field(default_factory=dict)  # for the caller, e.g. acknowledgements

    def to_json(self) -> dict[str, Any]:
        """The manifest as it is signed: plain JSON values, the sender as a dict."""
        return {**{f.name: getattr(self, f.name) for f in fields(self)}, "sender": self.sender.to_json()}


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def _bundle_id(fields_without_id: Mapping[str, Any]) -> str:
    return hashlib.sha256(BUNDLE_ID_CONTEXT + _canonical(fields_without_id)).hexdigest()[:32]


def _record_type(record: Mapping[str, Any]) -> str:
    kind = record.get("t")
    if kind is None:
        return "*"
    return kind if isinstance(kind, str) else _canonical(kind).decode("utf-8")


def _count(records: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    return dict(sorted(Counter(_record_type(r) for r in records).items()))


# ------------------------------------------------------------------------------------------ writing

def _hkdf(ikm: bytes, salt: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=salt, info=info).derive(ikm)


def _wrap_key(shared: bytes, ephemeral_public: bytes, recipient_public: bytes) -> bytes:
    return _hkdf(shared, ephemeral_public + recipient_public, WRAP_INFO)


def _seal(inner: bytes, signer: DeviceKeys, recipients: Sequence[PublicKeys]) -> bytes:
    """Encrypt ``inner`` for ``recipients``: the envelope, with every secret derived (module docstring)."""
    boxes = sorted({r.box for r in recipients})
    if not boxes:
        raise ValueError("a bundle needs at least one recipient")
    if len(boxes) > 0xFFFF:
        raise ValueError("a bundle can have at most 65535 recipients")
    digest = hashlib.sha256(KEY_INPUT_CONTEXT + bytes([FORMAT_VERSION]) + inner + b"".join(boxes)).digest()
    file_key = _hkdf(signer.sign_private, digest, FILE_KEY_INFO)
    stanzas = []
    for box in boxes:
        ephemeral = X25519PrivateKey.from_private_bytes(_hkdf(signer.sign_private, digest, EPHEMERAL_INFO + box))
        ephemeral_public = ephemeral.public_key().public_bytes_raw()
        shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(box))
        wrapped = ChaCha20Poly1305(_wrap_key(shared, ephemeral_public, box)).encrypt(_NONCE, file_key, None)
        stanzas.append(ephemeral_public + wrapped)
    stanzas.sort()  # in no order that says which recipient is which
    prefix = _PREFIX.pack(MAGIC, FORMAT_VERSION, len(stanzas), len(inner) + _TAG)
    header = prefix + struct.pack(">I", zlib.crc32(prefix)) + b"".join(stanzas)
    return header + ChaCha20Poly1305(file_key).encrypt(_NONCE, inner, header)


def _sign_inner(manifest_bytes: bytes, compressed: bytes, signer: DeviceKeys) -> bytes:
    signature = signer.signing_key().sign(SIGN_CONTEXT + manifest_bytes)
    return _MANIFEST_LEN.pack(len(manifest_bytes)) + manifest_bytes + signature + compressed


def build_bundle(
    records: Iterable[Mapping[str, Any]],
    *,
    schema_version: str,
    from_version: int,
    to_version: int,
    signer: DeviceKeys,
    recipients: Sequence[PublicKeys],
    kind: str = "device",
    extra: Mapping[str, Any] | None = None,
) -> tuple[Manifest, bytes]:
    """Make a bundle; returns its manifest (for the caller's bookkeeping) and its bytes."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    if not isinstance(schema_version, str):
        raise TypeError("schema_version must be a string")
    for name, value in (("from_version", from_version), ("to_version", to_version)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError(f"{name} must be a non-negative integer")
    if from_version > to_version:
        raise ValueError("from_version must not be after to_version")
    records = list(records)
    if not all(isinstance(r, Mapping) for r in records):
        raise TypeError("every record must be a mapping")
    lines = sorted(_canonical(dict(r)) for r in records)
    payload = b"\n".join(lines)
    if len(payload) > MAX_PAYLOAD_BYTES:
        raise ValueError("the records are too large for one bundle; split them")
    sender = signer.public()
    signed: dict[str, Any] = {
        "site_id": sender.site_id.hex(),
        "sender": sender.to_json(),
        "schema_version": schema_version,
        "from_version": from_version,
        "to_version": to_version,
        "counts": _count(records),
        "payload_sha256": hashlib.sha256(payload).hexdigest(),
        "kind": kind,
        "extra": json.loads(_canonical(dict(extra or {}))),  # as it will read back
    }
    manifest = Manifest(bundle_id=_bundle_id(signed), **signed | {"sender": sender})
    inner = _sign_inner(_canonical(manifest.to_json()), zlib.compress(payload, 9), signer)
    return manifest, _seal(inner, signer, recipients)


def write_bundle(
    records: Iterable[Mapping[str, Any]],
    *,
    schema_version: str,
    from_version: int,
    to_version: int,
    signer: DeviceKeys,
    recipients: Sequence[PublicKeys],
    kind: str = "device",
    extra: Mapping[str, Any] | None = None,
) -> bytes:
    """The bytes of a bundle of ``records`` signed by ``signer`` that each of ``recipients`` can open."""
    return build_bundle(records, schema_version=schema_version, from_version=from_version,
                        to_version=to_version, signer=signer, recipients=recipients,
                        kind=kind, extra=extra)[1]


def write_bundle_file(path: Path | str, data: bytes) -> None:
    """Write a bundle so that a pulled USB stick leaves the old file or the new one, never half of one."""
    with atomic_write(path, "wb") as handle:
        handle.write(data)


# ------------------------------------------------------------------------------------------ reading

def peek_format(data: bytes) -> int:
    """The format version a bundle declares, without opening it."""
    data = bytes(data)
    if not data or not MAGIC.startswith(data[: len(MAGIC)]):
        raise NotABundle()
    if len(data) <= len(MAGIC):  # the start of a bundle, cut short
        raise TruncatedBundle()
    return data[len(MAGIC)]


def _open_envelope(data: bytes, reader: DeviceKeys) -> bytes:
    """Check the framing, find our stanza, decrypt the body: the inner plaintext."""
    version = peek_format(data)
    if version > FORMAT_VERSION:
        raise NewerFormat(found=version)
    if version < 1:
        raise NotABundle()
    if len(data) < _PREFIX_CHECKED:
        raise TruncatedBundle()
    _magic, _version, count, body_length = _PREFIX.unpack_from(data)
    (crc,) = struct.unpack_from(">I", data, _PREFIX.size)
    if crc != zlib.crc32(data[: _PREFIX.size]) or count == 0 or body_length < _TAG:
        raise TamperedBundle()
    header_end = _PREFIX_CHECKED + count * _STANZA
    if len(data) < header_end + body_length:
        raise TruncatedBundle()
    if len(data) > header_end + body_length:
        raise TamperedBundle()

    box = reader.box_key()
    box_public = box.public_key().public_bytes_raw()
    file_key = None
    for offset in range(_PREFIX_CHECKED, header_end, _STANZA):
        ephemeral_public = data[offset: offset + KEY_BYTES]
        try:
            shared = box.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
            file_key = ChaCha20Poly1305(_wrap_key(shared, ephemeral_public, box_public)).decrypt(
                _NONCE, data[offset + KEY_BYTES: offset + _STANZA], None)
            break
        except (InvalidTag, ValueError):  # ValueError: a low-order point gives no shared secret
            continue
    if file_key is None:
        raise WrongRecipient()
    try:
        return ChaCha20Poly1305(file_key).decrypt(_NONCE, data[header_end:], data[:header_end])
    except InvalidTag:
        raise TamperedBundle() from None


def _is_hex(value: Any, length: int) -> bool:
    return (isinstance(value, str) and len(value) == length
            and all(c in "0123456789abcdef" for c in value))


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_COUNT


def _parse_manifest(manifest_bytes: bytes) -> Manifest:
    """The manifest if it is exactly what ``build_bundle`` writes; TamperedBundle otherwise."""
    try:
        raw = json.loads(manifest_bytes.decode("utf-8"))
        if not isinstance(raw, dict) or set(raw) != {f.name for f in fields(Manifest)}:
            raise ValueError("manifest fields")
        if _canonical(raw) != manifest_bytes:
            raise ValueError("not canonical")
        sender = PublicKeys.from_json(raw["sender"])
        counts = raw["counts"]
        valid = (
            _is_hex(raw["bundle_id"], 32) and raw["site_id"] == sender.site_id.hex()
            and isinstance(raw["schema_version"], str)
            and _is_count(raw["from_version"]) and _is_count(raw["to_version"])
            and raw["from_version"] <= raw["to_version"]
            and isinstance(counts, dict) and all(_is_count(n) for n in counts.values())
            and _is_hex(raw["payload_sha256"], 64) and raw["kind"] in KINDS
            and isinstance(raw["extra"], dict)
        )
        if not valid:
            raise ValueError("manifest values")
        if raw["bundle_id"] != _bundle_id({k: v for k, v in raw.items() if k != "bundle_id"}):
            raise ValueError("bundle id")
    except (ValueError, RecursionError) as error:  # JSONDecodeError, UnicodeDecodeError are ValueErrors
        raise TamperedBundle() from error
    return Manifest(**raw | {"sender": sender})


def _decompress(compressed: bytes) -> bytes:
    try:
        inflater = zlib.decompressobj()
        payload = inflater.decompress(compressed, MAX_PAYLOAD_BYTES + 1)
    except zlib.error:
        raise TamperedBundle() from None
    if len(payload) > MAX_PAYLOAD_BYTES or not inflater.eof or inflater.unused_data:
        raise TamperedBundle()
    return payload


def _parse_records(payload: bytes) -> list[dict[str, Any]]:
    if not payload:
        return []
    records = []
    try:
        for line in payload.split(b"\n"):
            record = json.loads(line)
            if not isinstance(record, dict):
                raise ValueError("a record is not an object")
            # NaN, or a lone surrogate from a "\\ud800" escape: JSON, but nothing build_bundle writes,
            # and no database can store it.
            _canonical(record)
            records.append(record)
    except (ValueError, RecursionError):
        raise TamperedBundle() from None
    return records


def read_bundle(data: bytes, reader: DeviceKeys) -> tuple[Manifest, list[dict[str, Any]]]:
    """Open and check a bundle in memory; the verified manifest and records, or a BundleError.

    The manifest names the signer (``manifest.sender_keys``): refusing unknown or revoked devices
    is the caller's decision, made before anything is applied.
    """
    data = bytes(data)
    inner = _open_envelope(data, reader)
    # The body decrypted, so it was made with the file key; a malformed inside is a forgery.
    prefix = _MANIFEST_LEN.size
    if len(inner) < prefix:
        raise TamperedBundle()
    (length,) = _MANIFEST_LEN.unpack_from(inner)
    if len(inner) < prefix + length + _SIGNATURE:
        raise TamperedBundle()
    manifest_bytes = inner[prefix: prefix + length]
    signature = inner[prefix + length: prefix + length + _SIGNATURE]
    compressed = inner[prefix + length + _SIGNATURE:]

    manifest = _parse_manifest(manifest_bytes)
    try:
        Ed25519PublicKey.from_public_bytes(manifest.sender.sign).verify(signature, SIGN_CONTEXT + manifest_bytes)
    except (InvalidSignature, ValueError):
        raise TamperedBundle() from None

    payload = _decompress(compressed)
    if hashlib.sha256(payload).hexdigest() != manifest.payload_sha256:
        raise TamperedBundle()
    records = _parse_records(payload)
    if _count(records) != manifest.counts:
        raise TamperedBundle()
    return manifest, records
