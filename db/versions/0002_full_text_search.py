"""Full-text search over session titles, notes and next steps, and over mentee names.

SQLite FTS5 indexes with external content, kept current by triggers and filled from the
rows already there. The indexes point at their tables' rowids, which VACUUM may renumber:
rebuild them after a VACUUM (``coachdesk.store.search.rebuild``). Other databases (a hub on
PostgreSQL) do not search, so there this migration does nothing.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Combining marks (M*) belong to words: without them Devanagari and other Indic words break apart.
TOKENIZER = "unicode61 remove_diacritics 2 categories 'L* N* Co M*'"

INDEXES = {
    "search_session": ("coaching_session", ("title", "notes", "next_steps")),
    "search_mentee": ("mentee", ("name", "region")),
}


def _statements(index: str, table: str, columns: tuple[str, ...]) -> list[str]:
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    return [
        f'CREATE VIRTUAL TABLE {index} USING fts5({cols}, content="{table}", content_rowid="rowid", '
        f'tokenize="{TOKENIZER}")',
        f"CREATE TRIGGER {index}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {index}(rowid, {cols}) VALUES (new.rowid, {new}); END",
        f"CREATE TRIGGER {index}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {index}({index}, rowid, {cols}) VALUES ('delete', old.rowid, {old}); END",
        f"CREATE TRIGGER {index}_au AFTER UPDATE OF {cols} ON {table} BEGIN "
        f"INSERT INTO {index}({index}, rowid, {cols}) VALUES ('delete', old.rowid, {old}); "
        f"INSERT INTO {index}(rowid, {cols}) VALUES (new.rowid, {new}); END",
        f"INSERT INTO {index}({index}) VALUES ('rebuild')",
    ]


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for index, (table, columns) in INDEXES.items():
        for statement in _statements(index, table, columns):
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for index in INDEXES:
        for suffix in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS {index}_{suffix}")
        op.execute(f"DROP TABLE IF EXISTS {index}")
