"""`manage.py apikey create|list|revoke`: issue API keys (the key is printed once), list them, revoke them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from accounts.keys import prefix_of
from accounts.models import ApiClient, ApiKey
from accounts.services import MAX_KEY_DAYS, api_client_get_or_create, api_key_create, api_key_revoke


def _when(value: Any) -> str:
    return "-" if value is None else f"{value:%Y-%m-%d %H:%M}"


class Command(BaseCommand):
    help = "Issue, list and revoke API keys. A new key is printed once, on standard output; only its hash is kept."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, title="actions")

        create = actions.add_parser("create", help="Issue a key and print it once.")
        owner = create.add_mutually_exclusive_group(required=True)
        owner.add_argument("--user", help="Username: the key acts as this account (a desk member's sees drafts).")
        owner.add_argument("--client", help="API client name: the key reads published data; created if new.")
        create.add_argument(
            "--expires-in-days", type=int, default=None, help=f"1 to {MAX_KEY_DAYS} (default: API_KEY_DEFAULT_DAYS)."
        )
        create.add_argument("--rate", default=None, help="e.g. 1000/hour (default: API_KEY_DEFAULT_RATE).")
        create.add_argument("--name", default="", help="What the key is for.")
        create.add_argument("--contact", default="", help="Contact of a client created by this command.")

        listing = actions.add_parser("list", help="List keys: prefixes, owners, expiry, revocation, last use.")
        listing_owner = listing.add_mutually_exclusive_group()
        listing_owner.add_argument("--user")
        listing_owner.add_argument("--client")

        revoke = actions.add_parser("revoke", help="Revoke a key, given its prefix (or fck_<prefix>, or the key).")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        getattr(self, f"_{action}")(**options)

    def _create(
        self,
        *,
        user: str | None,
        client: str | None,
        expires_in_days: int | None,
        rate: str | None,
        name: str,
        contact: str,
        **options: Any,
    ) -> None:
        owner_user = owner_client = None
        try:
            if user is not None:
                owner_user = self._user(user)
            else:
                owner_client, created = api_client_get_or_create(name=client or "", contact=contact)
                if created:
                    self.stderr.write(f"Created API client {owner_client.name}.")
            issued = api_key_create(
                user=owner_user, client=owner_client, name=name, expires_in_days=expires_in_days, rate=rate
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        key = issued.api_key
        # The key alone on stdout, so `KEY=$(manage.py apikey create ...)` captures just it; the rest to stderr.
        self.stdout.write(issued.key)
        self.stderr.write(
            f"Key {key} for {key.owner_label}, rate {key.rate}, expires {_when(key.expires_at)} UTC. "
            "Store it now: it cannot be shown again."
        )

    def _list(self, *, user: str | None, client: str | None, **options: Any) -> None:
        keys = ApiKey.objects.with_owner().order_by("created_at", "id")
        if user is not None:
            keys = keys.of_owner(user=self._user(user))
        if client is not None:
            keys = keys.of_owner(client=self._client(client))
        now = timezone.now()
        row = "{:<13} {:<28} {:<20} {:<8} {:<12} {:<17} {:<17} {}"
        self.stdout.write(row.format("key", "owner", "name", "status", "rate", "expires", "last used", "revoked"))
        for key in keys:
            self.stdout.write(
                row.format(
                    str(key),
                    key.owner_label[:28],
                    key.name[:20],
                    key.status(now),
                    key.rate,
                    _when(key.expires_at),
                    _when(key.last_used_at),
                    _when(key.revoked_at),
                )
            )

    def _revoke(self, *, prefix: str, **options: Any) -> None:
        key = ApiKey.objects.with_owner().filter(prefix=prefix_of(prefix)).first()
        if key is None:
            raise CommandError(f"No API key with prefix {prefix_of(prefix)!r}.")
        if api_key_revoke(api_key=key):
            self.stdout.write(f"Revoked {key} ({key.owner_label}).")
        else:
            self.stdout.write(f"{key} was already revoked at {_when(key.revoked_at)} UTC.")

    def _user(self, username: str) -> Any:
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user {username!r}.") from None

    def _client(self, name: str) -> ApiClient:
        client = ApiClient.objects.filter(name__iexact=name).first()
        if client is None:
            raise CommandError(f"No API client {name!r}.")
        return client
