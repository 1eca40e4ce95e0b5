"""Where the indicator expressions run: DuckDB in-process (the default), PostgreSQL from a URL,
or Apache Spark (a local session unless a cluster is named).

An engine takes Arrow tables in (``upload``), runs Ibis expressions over them
(``execute``) and gives Arrow tables back. Whatever is uploaded lives only as long as the
session: DuckDB keeps it in memory, PostgreSQL in temporary tables, Spark in temporary views.
"""

from __future__ import annotations

import os
import secrets
from typing import Any, Protocol
from urllib.parse import urlsplit

import ibis
import ibis.expr.types as ir
import pyarrow as pa

ENGINES = ("duckdb", "postgres", "spark")
POSTGRES_SCHEMES = ("postgres", "postgresql")


class EngineError(RuntimeError):
    """An engine cannot be reached or set up; the message says why in plain words."""


class Engine(Protocol):
    name: str

    def upload(self, name: str, table: pa.Table) -> ir.Table: ...

    def execute(self, expression: ir.Table) -> pa.Table: ...

    def close(self) -> None: ...


def _private_name(name: str) -> str:
    # A fresh suffix keeps concurrent runs (and a user's own tables) apart.
    return f"sg_{name}_{secrets.token_hex(4)}"


class DuckDBEngine:
    """An in-memory DuckDB database that reads the Arrow tables where they are."""

    name = "duckdb"

    def __init__(self) -> None:
        self.backend = ibis.duckdb.connect()
        # No DuckDB progress bar on stderr: the command shows its own, and only on a terminal.
        self.backend.con.execute("SET enable_progress_bar = false")

    def upload(self, name: str, table: pa.Table) -> ir.Table:
        view = _private_name(name)
        # Registering an Arrow table is zero-copy; DuckDB scans it in place.
        self.backend.con.register(view, table)
        return self.backend.table(view)

    def execute(self, expression: ir.Table) -> pa.Table:
        return self.backend.to_pyarrow(expression)

    def close(self) -> None:
        self.backend.disconnect()


class PostgresEngine:
    """A PostgreSQL database named by a URL; the tables go into its temporary schema."""

    name = "postgres"

    def __init__(self, url: str) -> None:
        scheme = urlsplit(url).scheme.split("+")[0]
        if scheme not in POSTGRES_SCHEMES:
            raise EngineError(
                f"The PostgreSQL engine needs a postgres:// URL, not a {scheme or 'bare'} one."
            )
        try:
            self.backend = ibis.connect(url.replace(f"{scheme}+psycopg://", f"{scheme}://", 1))
        except Exception as error:  # psycopg's own message is the useful part
            raise EngineError(f"Cannot connect to PostgreSQL: {_first_line(error)}") from None

    def upload(self, name: str, table: pa.Table) -> ir.Table:
        # Temporary tables belong to this connection and vanish with it, even after a crash.
        return self.backend.create_table(_private_name(name), table, temp=True)

    def execute(self, expression: ir.Table) -> pa.Table:
        return self.backend.to_pyarrow(expression)

    def close(self) -> None:
        self.backend.disconnect()


def local_spark_session(master: str = "local[2]") -> Any:
    """A small Spark session for one machine: two cores, few partitions, no UI, loopback only."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise EngineError(
            "The Spark engine needs PySpark: install the package with its 'spark' extra."
        ) from None
    builder = SparkSession.builder.appName("safeguarding-indicators")
    if master.startswith("sc://"):
        builder = builder.remote(master)
    else:
        builder = (
            builder.master(master)
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.default.parallelism", "2")
        )
    builder = builder.config("spark.sql.session.timeZone", "UTC").config(
        "spark.sql.execution.arrow.pyspark.enabled", "true"
    )
    try:
        session = builder.getOrCreate()
    except Exception as error:  # no Java, or the cluster is unreachable
        raise EngineError(f"Cannot start Spark: {_first_line(error)}") from None
    if not master.startswith("sc://"):
        session.sparkContext.setLogLevel("ERROR")
    return session


class SparkEngine:
    """Apache Spark through PySpark; the tables become temporary views."""

    name = "spark"

    def __init__(self, session: Any | None = None, master: str | None = None) -> None:
        self._owns_session = session is None
        if session is None:
            session = local_spark_session(master or os.environ.get("SPARK_REMOTE") or "local[2]")
        self.session = session
        self.backend = ibis.pyspark.connect(session)
        self._views: list[str] = []

    def upload(self, name: str, table: pa.Table) -> ir.Table:
        view = _private_name(name)
        self.session.createDataFrame(table).createOrReplaceTempView(view)
        self._views.append(view)
        return self.backend.table(view)

    def execute(self, expression: ir.Table) -> pa.Table:
        return self.backend.to_pyarrow(expression)

    def close(self) -> None:
        for view in self._views:
            self.session.catalog.dropTempView(view)
        self._views.clear()
        if self._owns_session:
            self.session.stop()


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]


def connect(
    engine: str = "duckdb",
    *,
    database_url: str | None = None,
    spark_master: str | None = None,
    spark_session: Any | None = None,
) -> Engine:
    """A session on ``engine``. PostgreSQL reads ``database_url`` or else ``DATABASE_URL``."""
    if engine == "duckdb":
        return DuckDBEngine()
    if engine == "postgres":
        url = database_url or os.environ.get("DATABASE_URL")
        if not url:
            raise EngineError("The PostgreSQL engine needs --database-url or DATABASE_URL.")
        return PostgresEngine(url)
    if engine == "spark":
        return SparkEngine(session=spark_session, master=spark_master)
    raise EngineError(f"Unknown engine {engine!r}: choose one of {', '.join(ENGINES)}.")
