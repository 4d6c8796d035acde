"""The migrations build exactly the schema the models describe, from an empty database."""
import os
import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import inspect

from portal import create_app
from portal.config import ROOT
from portal.extensions import db
from portal.search_index import is_index_table


def test_upgrade_from_empty_matches_the_models(tmp_path):
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'migrated.sqlite'}"
    app = create_app({"GEHOORD_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url, "MIGRATIONS": True})
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as connection:
            connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        try:
            upgrade(directory=str(ROOT / "migrations"))
            assert "complaints" in inspect(db.engine).get_table_names()
            with db.engine.connect() as connection, warnings.catch_warnings():
                # SQLite cannot reflect an index on an expression (lower(email)); PostgreSQL can,
                # and CI compares there too.
                warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
                warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression-based index")
                # The search index is the database's own (triggers, FTS5's shadow tables), not a model.
                context = MigrationContext.configure(connection, opts={
                    "compare_type": True,
                    "include_name": lambda name, kind, _parent: not (kind == "table" and is_index_table(name))})
                differences = compare_metadata(context, db.metadata)
            assert differences == [], f"models and migrations differ: {differences}"
            # Expression indexes, which the comparison cannot see on SQLite: a table copied by a later
            # migration must not lose them (filing counts open complaints per lower-cased address).
            with db.engine.connect() as connection:
                names = set(connection.exec_driver_sql(
                    "SELECT indexname FROM pg_indexes WHERE tablename = 'complaints'" if url.startswith("postgresql")
                    else "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'complaints'").scalars())
            assert "ix_complaints_lower_email" in names
        finally:
            db.drop_all()
            with db.engine.begin() as connection:
                connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
            db.engine.dispose()
