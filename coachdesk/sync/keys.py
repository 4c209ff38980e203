"""A device's own keys: Ed25519 to sign the bundles it writes, X25519 to open the bundles sent to it."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from coachdesk.atomic import atomic_write
from coachdesk.errors import InputError, PassphraseError, PassphraseNeeded
from coachdesk.i18n import N_, _
from coachdesk.store.cipher import Secret

KEY_BYTES = 32
SITE_ID_BYTES = 16  # the same width as coachdesk.model.syncstate.SITE_ID_BYTES
KEY_FILE_KIND = "coachdesk-device-keys"
KEY_FILE_VERSION = 1
SEALED_KIND = "coachdesk-device-keys-sealed"
#: scrypt's cost for the key that seals a key file: 32 MiB and about a tenth of a second, once per run.
SCRYPT = {"n": 2 ** 15, "r": 8, "p": 1}
SEAL_CONTEXT = b"coachdesk device keys"


class KeyFileError(InputError):
    """A key file could not be read; nothing was changed."""

    # Marked for the catalog here, translated where the error is raised.
    message = N_("The key file {path} is damaged or is not a CoachDesk key file.")

    def __init__(self, path: Path | str) -> None:
        super().__init__(_(self.message).format(path=path))
        self.path = Path(path)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: Any, what: str) -> bytes:
    """Strict base64 of exactly KEY_BYTES bytes, else ValueError."""
    if not isinstance(text, str):
        raise ValueError(f"{what} must be a base64 string")
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as error:
        raise ValueError(f"{what} is not valid base64") from error
    if len(raw) != KEY_BYTES:
        raise ValueError(f"{what} must be {KEY_BYTES} bytes, not {len(raw)}")
    return raw


@dataclass(frozen=True)
class PublicKeys:
    """What others need to know about a device: how to check its signature and how to write to it."""

    sign: bytes  # Ed25519 public key, raw 32 bytes
    box: bytes  # X25519 public key, raw 32 bytes

    def __post_init__(self) -> None:
        for name in ("sign", "box"):
            value = getattr(self, name)
            if not isinstance(value, bytes) or len(value) != KEY_BYTES:
                raise ValueError(f"PublicKeys.{name} must be {KEY_BYTES} bytes")

    @property
    def site_id(self) -> bytes:
        """The device's 16-byte site id: the first 16 bytes of SHA-256 of its signing key."""
        return hashlib.sha256(self.sign).digest()[:SITE_ID_BYTES]

    def to_json(self) -> dict[str, str]:
        return {"sign": _b64(self.sign), "box": _b64(self.box)}

    @classmethod
    def from_json(cls, data: dict[str, Any] | str) -> PublicKeys:
        """Read what ``to_json`` wrote (a dict, or its JSON text); ValueError if it is not that."""
        if isinstance(data, str):
            data = json.loads(data)
        if not isinstance(data, dict) or set(data) != {"sign", "box"}:
            raise ValueError("public keys must be an object with exactly 'sign' and 'box'")
        return cls(sign=_unb64(data["sign"], "sign"), box=_unb64(data["box"], "box"))


@dataclass(frozen=True)
class DeviceKeys:
    """A device's private keys, as raw 32-byte values. ``repr`` never shows them."""

    sign_private: bytes = field(repr=False)
    box_private: bytes = field(repr=False)

    def __post_init__(self) -> None:
        for name in ("sign_private", "box_private"):
            value = getattr(self, name)
            if not isinstance(value, bytes) or len(value) != KEY_BYTES:
                raise ValueError(f"DeviceKeys.{name} must be {KEY_BYTES} bytes")

    @classmethod
    def generate(cls) -> DeviceKeys:
        return cls(sign_private=os.urandom(KEY_BYTES), box_private=os.urandom(KEY_BYTES))

    def signing_key(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(self.sign_private)

    def box_key(self) -> X25519PrivateKey:
        return X25519PrivateKey.from_private_bytes(self.box_private)

    def public(self) -> PublicKeys:
        return PublicKeys(
            sign=self.signing_key().public_key().public_bytes_raw(),
            box=self.box_key().public_key().public_bytes_raw(),
        )

    def to_json(self) -> dict[str, Any]:
        """The private keys and, for people reading the file, the public ones."""
        return {
            "kind": KEY_FILE_KIND,
            "version": KEY_FILE_VERSION,
            "sign_private": _b64(self.sign_private),
            "box_private": _b64(self.box_private),
            "public": self.public().to_json(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | str) -> DeviceKeys:
        """Read what ``to_json`` wrote; ValueError if it is not that or its public part disagrees."""
        if isinstance(data, str):
            data = json.loads(data)
        if not isinstance(data, dict) or data.get("kind") != KEY_FILE_KIND:
            raise ValueError("not a CoachDesk device key object")
        if data.get("version") != KEY_FILE_VERSION:
            raise ValueError(f"unsupported key file version {data.get('version')!r}")
        keys = cls(sign_private=_unb64(data.get("sign_private"), "sign_private"),
                   box_private=_unb64(data.get("box_private"), "box_private"))
        if "public" in data and PublicKeys.from_json(data["public"]) != keys.public():
            raise ValueError("the public keys do not belong to the private keys")
        return keys


def _seal_key(secret: Secret, salt: bytes, n: int, r: int, p: int) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return secret.derived(f"scrypt-{n}-{r}-{p}", salt,
                          lambda passphrase, salt: Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(passphrase))


def seal(keys: DeviceKeys, secret: Secret) -> dict[str, Any]:
    """The key file's content encrypted with the passphrase (scrypt, then AES-256-GCM); the public keys
    stay readable, so a person can still tell which device the file belongs to."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt, nonce = os.urandom(16), os.urandom(12)
    inner = json.dumps(keys.to_json(), sort_keys=True).encode("utf-8")
    sealed = AESGCM(_seal_key(secret, salt, **SCRYPT)).encrypt(nonce, inner, SEAL_CONTEXT)
    return {"kind": SEALED_KIND, "version": KEY_FILE_VERSION,
            "kdf": {"name": "scrypt", "salt": _b64(salt), **SCRYPT},
            "nonce": _b64(nonce), "sealed": _b64(sealed), "public": keys.public().to_json()}


def is_sealed(data: Any) -> bool:
    return isinstance(data, dict) and data.get("kind") == SEALED_KIND


def unseal(data: dict[str, Any], secret: Secret, path: Path | str) -> DeviceKeys:
    """The keys in a sealed key file; PassphraseError if ``secret`` is not its passphrase."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    kdf = data.get("kdf")
    if data.get("version") != KEY_FILE_VERSION or not isinstance(kdf, dict) or kdf.get("name") != "scrypt":
        raise ValueError("unsupported sealed key file")
    cost = {name: kdf.get(name) for name in ("n", "r", "p")}
    if cost != SCRYPT:  # a file asking for another cost could ask for gigabytes of memory
        raise ValueError("unexpected scrypt cost")
    salt = base64.b64decode(str(kdf.get("salt", "")).encode("ascii"), validate=True)
    nonce = base64.b64decode(str(data.get("nonce", "")).encode("ascii"), validate=True)
    sealed = base64.b64decode(str(data.get("sealed", "")).encode("ascii"), validate=True)
    if len(salt) != 16 or len(nonce) != 12:
        raise ValueError("bad salt or nonce")
    try:
        inner = AESGCM(_seal_key(secret, salt, **SCRYPT)).decrypt(nonce, sealed, SEAL_CONTEXT)
    except InvalidTag:
        raise PassphraseError(_("The passphrase does not open the key file {path}; nothing was changed.").format(
            path=path)) from None
    return DeviceKeys.from_json(json.loads(inner.decode("utf-8")))


def save_keys(path: Path | str, keys: DeviceKeys, secret: Secret | None = None) -> None:
    """Write the keys so that only this user can read them, atomically (never a half key file); with a
    passphrase (``secret``), sealed with it."""
    content = seal(keys, secret) if secret is not None else keys.to_json()
    text = json.dumps(content, indent=2, sort_keys=True) + "\n"
    with atomic_write(path, "wb") as handle:
        if hasattr(os, "fchmod"):  # mkstemp already makes 0o600; say so explicitly, on POSIX
            os.fchmod(handle.fileno(), 0o600)
        handle.write(text.encode("utf-8"))


def read_key_file(path: Path | str) -> dict[str, Any]:
    """The JSON object of a key file, sealed or not; KeyFileError if it is not one."""
    raw = Path(path).read_bytes()
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError) as error:
        raise KeyFileError(path) from error
    if not isinstance(data, dict):
        raise KeyFileError(path)
    return data


def load_keys(path: Path | str, secret: Secret | None = None) -> DeviceKeys:
    """Read a key file (a sealed one with its passphrase, ``secret``); KeyFileError (an InputError) if it
    is damaged or not a key file, PassphraseNeeded/PassphraseError for a sealed one."""
    data = read_key_file(path)
    try:
        if is_sealed(data):
            if secret is None:
                raise PassphraseNeeded(_("The key file {path} is protected by a passphrase.").format(path=path))
            return unseal(data, secret, path)
        return DeviceKeys.from_json(data)
    except (ValueError, RecursionError, TypeError, binascii.Error) as error:
        raise KeyFileError(path) from error
