"""
Callback delivery benchmark: 5,000 deliveries to 100 loopback endpoints, 20 of which hang past
the timeout; webhook_worker processes with a thread pool each. Reports how fast the healthy
endpoints are served and the p99 of their delivery delay.

    .ci/with-postgres .venv/bin/python .ci/callbench.py
"""

import os
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DELIVERIES = int(os.environ.get("DELIVERIES", "5000"))
ENDPOINTS, HANGING = 100, 20
WORKERS, THREADS, TIMEOUT = (
    int(os.environ.get("WORKERS", "2")),
    int(os.environ.get("THREADS", "16")),
    2,
)
os.environ.update(
    DJANGO_SETTINGS_MODULE="config.settings",
    TASKS_BACKEND="django.tasks.backends.dummy.DummyBackend",  # only the workers send
    WEBHOOK_TIMEOUT_SECONDS=str(TIMEOUT),
)
sys.path.insert(0, str(ROOT))


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path.startswith("/hang"):
            time.sleep(TIMEOUT * 3)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


def main():
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True)
    import django

    django.setup()
    from django.db import transaction

    from accounts.merchants import merchant_create
    from invoices import webhooks
    from invoices.models import WebhookDelivery

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    urls = [f"{base}/{'hang' if n < HANGING else 'ok'}{n}" for n in range(ENDPOINTS)]
    merchant, _, _ = merchant_create(
        name=f"Callback bench {time.time():.0f}", owner_email="bench@example.com"
    )
    with transaction.atomic():
        for n in range(DELIVERIES):
            webhooks.enqueue(
                merchant=merchant, event_type="ingress.paid", url=urls[n % ENDPOINTS], data={"n": n}
            )

    started = time.monotonic()
    workers = [
        subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "manage.py",
                "webhook_worker",
                "--threads",
                str(THREADS),
                "--interval",
                "0.2",
            ],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(WORKERS)
    ]
    healthy = WebhookDelivery.objects.filter(merchant=merchant, url__contains="/ok")
    expected = healthy.count()
    try:
        while (
            healthy.filter(status="delivered").count() < expected
            and time.monotonic() - started < 600
        ):
            time.sleep(0.5)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
        server.shutdown()
    elapsed = time.monotonic() - started
    rows = list(healthy.filter(status="delivered").values_list("created_at", "delivered_at"))
    delays = sorted((done - made).total_seconds() for made, done in rows)
    hanging_attempts = sum(
        d.attempt_count
        for d in WebhookDelivery.objects.filter(merchant=merchant, url__contains="/hang")
    )
    p99 = delays[int(len(delays) * 0.99) - 1]
    print(
        f"\n{DELIVERIES} deliveries to {ENDPOINTS} endpoints ({HANGING} hang past the {TIMEOUT} s"
        f" timeout), {WORKERS} workers x {THREADS} threads\n"
    )
    print(
        "| healthy delivered | seconds | healthy deliveries/s | p50 delay s | p99 delay s"
        " | attempts on hanging endpoints |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    print(
        f"| {len(rows)}/{expected} | {elapsed:.1f} | {len(rows) / elapsed:.0f}"
        f" | {statistics.median(delays):.2f} | {p99:.2f} | {hanging_attempts} |"
    )


if __name__ == "__main__":
    main()
