"""The engines of the adult indicator tests (a private PostgreSQL cluster, a local Spark)."""

from tests.indicators.conftest import postgres_url, spark_session

__all__ = ["postgres_url", "spark_session"]
