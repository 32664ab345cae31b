"""`manage.py purge_rate_counters`: delete rate counters whose window has ended (run it daily, e.g. from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.models import RateCounter


class Command(BaseCommand):
    help = (
        "Delete the request counters of clients whose rate-limit window has ended. Each anonymous address leaves "
        "a row; nothing else removes them."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        deleted, _ = RateCounter.objects.ended(timezone.now()).delete()
        self.stdout.write(f"Deleted {deleted} ended rate counter(s).")
