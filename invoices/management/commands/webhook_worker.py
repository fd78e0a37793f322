"""
Delivers due merchant callbacks and expires invoices, in a loop. Several copies may run: each
delivery is claimed with a lease (SKIP LOCKED on PostgreSQL), so none is sent twice at once,
and a delivery whose worker died is taken again when its lease runs out.
"""

import signal
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from invoices import webhooks
from invoices.services import invoices_expire_due


class Command(BaseCommand):
    help = "Send due webhook deliveries and expire invoices (loop; --once for a single pass)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument("--threads", type=int, default=8, help="Deliveries sent at once.")
        parser.add_argument("--once", action="store_true")

    def handle(self, *args, interval, threads, once, **options):
        self._stopping = False
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        if once:
            sent = sum(1 for pk in webhooks.due_deliveries() if webhooks.deliver(pk) is not None)
            expired = invoices_expire_due()
            self.stdout.write(f"sent {sent} delivery attempt(s), expired {expired} invoice(s)")
            return
        # Up to `threads` deliveries in flight, refilled as each one ends: a slow endpoint holds
        # one thread, never the rest of the queue.
        in_flight = set()
        last_expiry = 0.0
        with ThreadPoolExecutor(max_workers=threads) as pool:
            while not self._stopping:
                free = threads - len(in_flight)
                if free:
                    for pk in webhooks.due_deliveries(limit=free):
                        in_flight.add(pool.submit(_deliver_in_thread, pk))
                if time.monotonic() - last_expiry > interval:
                    invoices_expire_due()
                    last_expiry = time.monotonic()
                    close_old_connections()  # between passes, like the request cycle does
                if in_flight:
                    _, in_flight = wait(in_flight, timeout=interval, return_when=FIRST_COMPLETED)
                else:
                    time.sleep(interval)

    def _stop(self, signum, frame):
        self._stopping = True


def _deliver_in_thread(delivery_id):
    # Each pool thread keeps its own database connection between deliveries (opening one per
    # delivery cost more than the delivery); like a request, it is checked before use and
    # dropped after an error or CONN_MAX_AGE.
    close_old_connections()
    try:
        return webhooks.deliver(delivery_id)
    finally:
        close_old_connections()
