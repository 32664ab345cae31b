"""`manage.py load_demo`: the demo article's sources, claims and verdicts, and the demo accounts (run by `make run`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from claims.demo.loader import load_demo
from factcheck.env import env_int, env_str


class Command(BaseCommand):
    help = (
        "Load the demo data (one article on the 2024 Moscow meeting of Palestinian factions, its sources, claims "
        "and verdicts) and the demo accounts 'editor' and 'factchecker'. Safe to run again: what exists is kept."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Give the demo accounts new passwords (DEMO_PASSWORD, or random ones) and print them.",
        )
        parser.add_argument(
            "--quiet",
            action="store_true",
            help="Print only passwords set in this run (they are shown once and stored nowhere).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even when DJANGO_DEBUG is off. The demo accounts' passwords are printed.",
        )

    def handle(self, *args: Any, reset_passwords: bool, quiet: bool, force: bool, **options: Any) -> None:
        # Demo desk accounts whose passwords go to the terminal: never on a server by accident.
        if not settings.DEBUG and not force:
            raise CommandError(
                "load_demo creates desk accounts with printed passwords, so it runs only with DJANGO_DEBUG=true "
                "(or with --force)."
            )
        report = load_demo(password=env_str("DEMO_PASSWORD") or None, reset_passwords=reset_passwords)
        if not quiet:
            self.stdout.write(report.summary())
        accounts = [account for account in report.accounts if account.password or not quiet]
        if not accounts:
            return
        admin_url = f"http://127.0.0.1:{env_int('PORT', 8000, minimum=1, maximum=65535)}{reverse('admin:index')}"
        self.stdout.write(f"Demo accounts, for local use only; sign in at {admin_url}")
        for account in accounts:
            role = f"({account.role}, {'superuser' if account.is_superuser else 'staff'})"
            if account.password:
                shown = f"password: {account.password}"
            else:
                shown = "password unchanged (load_demo --reset-passwords sets a new one)"
            self.stdout.write(f"  {account.username:<12} {role:<24} {shown}")
