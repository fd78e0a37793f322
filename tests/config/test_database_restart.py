"""
PostgreSQL restarted while requests are flowing: requests caught by it fail cleanly (503 in
the error shape, with Retry-After; never a 500 or a hang) and the same server processes
recover by themselves once the database is back (connection health checks reconnect).
"""

import os
import shlex
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
import requests
from django.db import connection
from django.utils import timezone

from invoices.services import invoice_create
from tests.concurrency import postgres_only
from tests.processes import ROOT, database_url, wait_for

RESTART = os.environ.get("PG_RESTART")
pytestmark = [
    postgres_only,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not RESTART, reason="needs the server .ci/with-postgres can restart"),
]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def server():
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        [
            *(sys.executable, "-m", "gunicorn", "config.wsgi:application"),
            *("--bind", f"127.0.0.1:{port}", "--workers", "2"),
            *("--worker-class", "gthread", "--threads", "4", "--timeout", "30"),
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": database_url(),
            "TASKS_BACKEND": "django.tasks.backends.dummy.DummyBackend",
            "ALLOWED_HOSTS": "127.0.0.1",
            "DEBUG": "false",  # as deployed: no technical error pages
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"

    def up():
        try:
            return requests.get(f"{base}/healthz", timeout=1).status_code == 200
        except requests.RequestException:  # refused, or accepted but still booting (read timeout)
            return False

    assert wait_for(up, seconds=30)
    yield base
    process.terminate()
    process.wait(timeout=10)


def test_a_database_restart_under_load_fails_cleanly_and_recovers(server, merchant_keys):
    merchant, api_key, _ = merchant_keys
    invoice = invoice_create(
        merchant=merchant,
        kind="ingress",
        amount=100,
        currency="INR",
        reference="restart",
        callback_url="https://merchant.example.com/cb",
        expires_at=timezone.now() + timedelta(hours=1),
    )
    url = f"{server}/v1/ingress/invoice/{invoice.pk}"
    headers = {"Authorization": f"Bearer {api_key}"}
    answers, stop = [], threading.Event()

    def client():
        session = requests.Session()
        while not stop.is_set():
            response = session.get(url, headers=headers, timeout=15)
            answers.append((time.monotonic(), response))

    clients = [threading.Thread(target=client) for _ in range(6)]
    for thread in clients:
        thread.start()
    time.sleep(1)
    subprocess.run(shlex.split(RESTART), check=True, capture_output=True)  # noqa: S603
    back = time.monotonic()
    time.sleep(4)
    stop.set()
    for thread in clients:
        thread.join(timeout=30)
    connection.close()  # this test's own connection died with the restart

    statuses = {response.status_code for _, response in answers}
    assert statuses == {200, 503}, statuses  # the restart was felt, and never as a 500
    for _, response in answers:
        if response.status_code == 503:
            assert response.headers["Retry-After"] == "5"
            assert response.json()["error"]["code"] == "service_unavailable"
    settled = [r.status_code for at, r in answers if at > back + 1]  # a second to reconnect
    assert settled and set(settled) == {200}
    assert any(r.status_code == 200 for at, r in answers if at < back - 0.5)
