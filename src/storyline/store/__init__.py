"""Persistence. Only this package touches the database."""

from .sqlite import DEFAULT_DB, Store, StoreError, default_db_path

__all__ = ["DEFAULT_DB", "Store", "StoreError", "default_db_path"]
