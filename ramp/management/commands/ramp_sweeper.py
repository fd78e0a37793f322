"""
The sweeper: expires orders past their time and prunes old unused quotes, every ``--interval``
seconds. It works from what is due *now* in the database, so after any downtime its first pass
catches up on everything missed. Safe to run in several copies: each expiry is a conditional
update, so an order is expired once.
"""

import signal
import time
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from ramp.models import Quote
from ramp.services.orders import orders_expire_due

QUOTE_RETENTION = timedelta(days=1)


class Command(BaseCommand):
    help = "Expire overdue orders and prune old quotes, in a loop (or once with --once)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=15.0)
        parser.add_argument("--once", action="store_true")

    def handle(self, *args, interval, once, **options):
        self._stopping = False
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        while True:
            expired = orders_expire_due()
            pruned, _ = Quote.objects.filter(
                created_at__lt=timezone.now() - QUOTE_RETENTION, order__isnull=True
            ).delete()
            if expired or pruned or once:
                self.stdout.write(f"expired {expired} order(s), pruned {pruned} old quote(s)")
            if once or self._stopping:
                return
            close_old_connections()  # between passes, like the request cycle does
            deadline = time.monotonic() + interval
            while time.monotonic() < deadline and not self._stopping:
                time.sleep(0.2)
            if self._stopping:
                return

    def _stop(self, signum, frame):
        self._stopping = True
