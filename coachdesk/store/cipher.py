"""Encryption at rest: SQLCipher keys derived from a person's passphrase, and database files opened with them.

A protected database is an SQLCipher 4 file: AES-256 pages with an HMAC each, its key derived from the
passphrase with PBKDF2-HMAC-SHA512 (256,000 rounds) and the 16-byte salt SQLCipher keeps at the start of
the file. The key is derived here once per salt and handed to SQLCipher raw, with the salt, so that
every connection (and every backup, written with the same key and salt) opens without deriving it again,
and the passphrase alone still opens each file with any SQLCipher tool.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from coachdesk.errors import PassphraseError, PassphraseNeeded
from coachdesk.i18n import _

HEADER = b"SQLite format 3\x00"
SALT_BYTES = 16
KEY_BYTES = 32
KDF_ROUNDS = 256_000  # SQLCipher 4's default, so `PRAGMA key = 'passphrase'` opens our files too
MIN_PASSPHRASE = 8
MIN_PAGE = 512  # SQLite's smallest page: every database file is a whole number of them


@dataclass(frozen=True)
class FileKey:
    """The raw key and salt of one family of files (a database and its backups). ``repr`` hides the key."""

    key: bytes = field(repr=False)
    salt: bytes

    def pragma_value(self) -> str:
        """SQLCipher's raw-key form: x'<key><salt>' (the salt is written into a new file's header)."""
        return f"x'{self.key.hex()}{self.salt.hex()}'"


class Secret:
    """A passphrase and the keys derived from it, one per salt (a derivation takes a tenth of a second)."""

    def __init__(self, passphrase: str) -> None:
        if not isinstance(passphrase, str) or not passphrase:
            raise PassphraseNeeded(_("The passphrase is empty."))
        self._passphrase = passphrase
        self._keys: dict[bytes, FileKey] = {}
        self._derived: dict[bytes, bytes] = {}

    def __repr__(self) -> str:
        return "Secret(…)"

    @property
    def passphrase(self) -> str:
        return self._passphrase

    def key_for_salt(self, salt: bytes) -> FileKey:
        if salt not in self._keys:
            raw = hashlib.pbkdf2_hmac("sha512", self._passphrase.encode("utf-8"), salt, KDF_ROUNDS, KEY_BYTES)
            self._keys[salt] = FileKey(raw, salt)
        return self._keys[salt]

    def derived(self, name: str, salt: bytes, derive: Any) -> bytes:
        """``derive(passphrase_bytes, salt)``, computed once per name and salt (for key files)."""
        slot = (name.encode() + b"\0" + salt)
        if slot not in self._derived:
            self._derived[slot] = derive(self._passphrase.encode("utf-8"), salt)
        return self._derived[slot]

    def new_key(self) -> FileKey:
        """A key for a new family of files, with a fresh random salt."""
        return self.key_for_salt(os.urandom(SALT_BYTES))

    def key_for(self, path: Path) -> FileKey:
        """The key that opens the encrypted file at ``path`` if this is its passphrase (see ``check``)."""
        return self.key_for_salt(file_salt(path))


def check_new_passphrase(passphrase: str) -> Secret:
    """A passphrase someone chose: long enough to be worth having, else one sentence why not."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise PassphraseError(_("A passphrase needs at least {count} characters; a few words you will "
                                "remember are best.").format(count=MIN_PASSPHRASE))
    return Secret(passphrase)


def file_salt(path: Path) -> bytes:
    with Path(path).open("rb") as handle:
        return handle.read(SALT_BYTES)


def is_encrypted(path: Path) -> bool:
    """Whether ``path`` looks like an SQLCipher database: not a plain SQLite file, and whole pages long.

    Encrypted pages cannot be told from random bytes, so a file of another kind that happens to be
    whole pages long is taken for one too, and then refused as not opening with the passphrase.
    A missing or empty file is not encrypted: it becomes whatever is created in it."""
    try:
        with Path(path).open("rb") as handle:
            head = handle.read(len(HEADER))
            size = os.fstat(handle.fileno()).st_size
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return False
    return head != HEADER and size >= MIN_PAGE and size % MIN_PAGE == 0


_quiet = False


def sqlcipher_module() -> Any:
    """The SQLCipher module, told not to print its own errors (a wrong key is ours to explain)."""
    global _quiet
    import sqlcipher3

    if not _quiet:
        probe = sqlcipher3.connect(":memory:")
        try:
            probe.execute("PRAGMA cipher_log_level = NONE")
        finally:
            probe.close()
        _quiet = True
    return sqlcipher3


def database_errors() -> tuple[type[BaseException], ...]:
    """The errors a plain or an encrypted connection raises for a file it cannot read (SQLite's own message
    about a damaged schema may quote bytes that are not UTF-8: that is damage too)."""
    return (sqlite3.DatabaseError, sqlcipher_module().DatabaseError, UnicodeDecodeError)


def connect(path: Path, key: FileKey | None, *, readonly: bool = False, **args: Any) -> Any:
    """A DB-API connection to ``path``: SQLite's own module without a key, SQLCipher's with one."""
    target = f"file:{Path(path)}?mode=ro" if readonly else str(path)
    if key is None:
        connection = sqlite3.connect(target, uri=readonly, **args)
    else:
        connection = sqlcipher_module().connect(target, uri=readonly, **args)
        connection.execute(f"PRAGMA key = \"{key.pragma_value()}\"")
    if readonly:
        # A damaged file's text (names, SQLite's own report about them) need not be UTF-8: a check that
        # reads it must report the damage, not fail on the bytes.
        connection.text_factory = lambda raw: raw.decode("utf-8", "replace")
    return connection


def opens_with(path: Path, key: FileKey | None) -> bool:
    """Whether ``key`` (None: no key) reads the database file at ``path``."""
    try:
        connection = connect(path, key, readonly=True)
    except database_errors():
        return False
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except database_errors():
        return False
    finally:
        connection.close()


def key_for_file(path: Path, secret: Secret | None) -> FileKey | None:
    """The key that opens the database file at ``path``: None for a plain file; the passphrase's key for an
    encrypted one. PassphraseNeeded without a passphrase, PassphraseError when it is not this file's."""
    if not is_encrypted(path):
        return None
    if secret is None:
        raise PassphraseNeeded(_("{file} is protected by a passphrase.").format(file=Path(path).name))
    key = secret.key_for(path)
    if not opens_with(path, key):
        raise PassphraseError(_("The passphrase is wrong for {file}; nothing was changed.").format(
            file=Path(path).name))
    return key


def export(source: Path, source_key: FileKey | None, destination: Path, destination_key: FileKey | None) -> None:
    """Copy the database ``source`` into a new file ``destination`` under another key (None: plain).

    Runs SQLCipher's ``sqlcipher_export`` in one read transaction, so the copy is consistent; the
    destination must not exist. The caller syncs and renames it."""
    sqlcipher = sqlcipher_module()
    connection = sqlcipher.connect(str(source), isolation_level=None)
    try:
        if source_key is not None:
            connection.execute(f"PRAGMA key = \"{source_key.pragma_value()}\"")
        value = f"\"{destination_key.pragma_value()}\"" if destination_key else "''"
        connection.execute("ATTACH DATABASE ? AS next KEY " + value, (str(destination),))
        try:
            connection.execute("BEGIN")
            user_version = connection.execute("PRAGMA main.user_version").fetchone()[0]
            connection.execute("SELECT sqlcipher_export('next')")
            connection.execute(f"PRAGMA next.user_version = {int(user_version)}")
            connection.execute("COMMIT")
        finally:
            connection.execute("DETACH DATABASE next")
    finally:
        connection.close()


def same_content(first: Path, first_key: FileKey | None, second: Path, second_key: FileKey | None) -> bool:
    """Whether two database files hold the same tables with the same number of rows, and the second
    passes SQLite's integrity check: the test an encrypted copy passes before it replaces its source."""
    def counts(path: Path, key: FileKey | None) -> dict[str, int]:
        connection = connect(path, key, readonly=True)
        try:
            names = [r[0] for r in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'")]
            return {name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}
        finally:
            connection.close()

    try:
        connection = connect(second, second_key, readonly=True)
        try:
            whole = [r[0] for r in connection.execute("PRAGMA integrity_check")] == ["ok"]
        finally:
            connection.close()
        return whole and counts(first, first_key) == counts(second, second_key)
    except database_errors():
        return False


__all__ = ["FileKey", "PassphraseError", "PassphraseNeeded", "Secret", "check_new_passphrase", "connect",
           "database_errors", "export", "is_encrypted", "key_for_file", "opens_with", "same_content"]
