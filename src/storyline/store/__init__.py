"""Persistence. Only this package touches the database."""

from .sqlite import DEFAULT_DB, MigrationNeeded, Store, StoreError, default_db_path

__all__ = ["DEFAULT_DB", "MigrationNeeded", "Store", "StoreError", "default_db_path"]
