"""Helpers for fault tests that run the product's own worker commands as real processes."""

import contextlib
import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def database_url():
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def command(*args, **env):
    """`manage.py <args>` against the test database; tasks kept out of the way."""
    return subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": database_url(),
            "TASKS_BACKEND": "django.tasks.backends.dummy.DummyBackend",
            **env,
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(condition, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@contextlib.contextmanager
def row_locked(table, pk):
    """Hold a row lock from another connection, as a slow transaction would."""
    with psycopg.connect(database_url()) as held:
        held.execute(f'SELECT 1 FROM "{table}" WHERE id = %s FOR UPDATE', [pk])  # noqa: S608
        yield
        held.rollback()


def someone_waits_for_a_lock():
    with psycopg.connect(database_url(), autocommit=True) as probe:
        waiting = probe.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
        ).fetchone()[0]
    return waiting > 0
