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
from coachdesk.errors import InputError
from coachdesk.i18n import N_, _

KEY_BYTES = 32
SITE_ID_BYTES = 16  # the same width as coachdesk.model.syncstate.SITE_ID_BYTES
KEY_FILE_KIND = "coachdesk-device-keys"
KEY_FILE_VERSION = 1


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


def save_keys(path: Path | str, keys: DeviceKeys) -> None:
    """Write the keys so that only this user can read them, atomically (never a half key file)."""
    text = json.dumps(keys.to_json(), indent=2, sort_keys=True) + "\n"
    with atomic_write(path, "wb") as handle:
        if hasattr(os, "fchmod"):  # mkstemp already makes 0o600; say so explicitly, on POSIX
            os.fchmod(handle.fileno(), 0o600)
        handle.write(text.encode("utf-8"))


def load_keys(path: Path | str) -> DeviceKeys:
    """Read a key file; KeyFileError (an InputError) if it is damaged or not a key file."""
    raw = Path(path).read_bytes()
    try:
        return DeviceKeys.from_json(json.loads(raw.decode("utf-8")))
    except (ValueError, RecursionError) as error:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise KeyFileError(path) from error
