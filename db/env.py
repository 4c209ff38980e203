"""Alembic environment for CoachDesk: migrations run on the connection the app hands over.

From a shell (developers): ``alembic -c db/alembic.ini revision --autogenerate -m "..."``
against the database named by ``-x db=PATH`` (default: a scratch file).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from coachdesk.model import Base
from coachdesk.store.engine import make_engine
from coachdesk.store.migrate import include_object

config = context.config

def run_on(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        transactional_ddl=True,  # the app's SQLite engine makes DDL transactional
        include_object=include_object,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_on(connection)
else:
    target = context.get_x_argument(as_dictionary=True).get("db", "scratch.sqlite")
    with make_engine(target).begin() as own_connection:
        run_on(own_connection)
