"""
Delivers due merchant callbacks and expires invoices, in a loop. Several copies may run: each
delivery is claimed with a lease (SKIP LOCKED on PostgreSQL), so none is sent twice at once,
and a delivery whose worker died is taken again when its lease runs out.
"""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from invoices import webhooks
from invoices.services import invoices_expire_due


class Command(BaseCommand):
    help = "Send due webhook deliveries and expire invoices (loop; --once for a single pass)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument("--once", action="store_true")

    def handle(self, *args, interval, once, **options):
        self._stopping = False
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        while not self._stopping:
            sent = sum(1 for pk in webhooks.due_deliveries() if webhooks.deliver(pk) is not None)
            expired = invoices_expire_due()
            if once:
                self.stdout.write(f"sent {sent} delivery attempt(s), expired {expired} invoice(s)")
                return
            close_old_connections()  # between passes, like the request cycle does
            if not sent:
                time.sleep(interval)

    def _stop(self, signum, frame):
        self._stopping = True
