"""What the engine-parity tests check: one engine's tidy table against DuckDB's."""

from __future__ import annotations

import pyarrow as pa


def assert_same_rows(found: pa.Table, expected: pa.Table) -> None:
    """The same schema and the same rows in the same order, naming the first row that differs."""
    assert found.schema == expected.schema
    assert found.num_rows == expected.num_rows
    for index, (got, want) in enumerate(zip(found.to_pylist(), expected.to_pylist(), strict=True)):
        assert got == want, f"row {index} differs"
