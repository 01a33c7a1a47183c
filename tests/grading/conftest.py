"""Archive tests here run on both backends: ask for ``target`` (a SQLite path or a URL)."""

from tests.support.postgres import pg_cluster, target

__all__ = ["pg_cluster", "target"]
