"""Binary float4[] <-> numpy adapters for psycopg (the PostgreSQL store's vectors)."""

from __future__ import annotations

from typing import Any

import numpy as np

_FLOAT4_ARRAY_OID = 1021  # float4[]
_FLOAT4_OID = 700


def register_vector_adapters(conn: Any) -> None:
    """Binary float4[] <-> numpy for this connection (psycopg's own list adapters convert every
    element in Python: about 1,000 vectors/s instead of tens of thousands)."""
    from psycopg.adapt import Dumper, Loader
    from psycopg.pq import Format

    class VectorDumper(Dumper):
        format = Format.BINARY
        oid = _FLOAT4_ARRAY_OID

        def dump(self, obj: np.ndarray) -> bytes:
            """PostgreSQL's binary array: ndim, has-nulls, element oid, length, lower bound, then
            (element size, value) pairs, all big-endian."""
            cells = np.empty(len(obj), dtype=[("size", ">i4"), ("value", ">f4")])
            cells["size"], cells["value"] = 4, obj
            return np.array([1, 0, _FLOAT4_OID, len(obj), 1], dtype=">i4").tobytes() + cells.tobytes()

    class VectorLoader(Loader):
        format = Format.BINARY

        def load(self, data: Any) -> np.ndarray:
            """The inverse of VectorDumper.dump (one-dimensional, no nulls)."""
            return np.frombuffer(data, dtype=[("size", ">i4"), ("value", ">f4")], offset=20)["value"]

    conn.adapters.register_dumper(np.ndarray, VectorDumper)
    conn.adapters.register_loader(_FLOAT4_ARRAY_OID, VectorLoader)
