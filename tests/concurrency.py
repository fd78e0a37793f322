"""Run one callable from many threads at once, each with its own database connection."""

import threading

import pytest
from django.db import connection, connections

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="real parallel transactions need PostgreSQL (CI runs this file there)",
)


def race(function, *, threads=10):
    """Start ``function(i)`` in ``threads`` threads at the same moment; return results/errors."""
    barrier = threading.Barrier(threads)
    outcomes = [None] * threads

    def worker(index):
        try:
            barrier.wait()
            outcomes[index] = ("ok", function(index))
        except Exception as error:
            outcomes[index] = ("error", error)
        finally:
            connections.close_all()

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=60)
    return outcomes
