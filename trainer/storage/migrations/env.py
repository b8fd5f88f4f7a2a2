"""Alembic environment: runs on the connection handed in by trainer.storage.db.upgrade."""

from alembic import context
from sqlmodel import SQLModel

from trainer.storage import models  # noqa: F401  (registers the tables)
from trainer.storage.db import migration_connection

config = context.config
connection = config.attributes.get("connection")


def run(connection_to_use) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection_to_use,
        target_metadata=SQLModel.metadata,
        render_as_batch=connection_to_use.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    run(connection)
else:
    with migration_connection(config.get_main_option("sqlalchemy.url")) as own_connection:
        run(own_connection)
