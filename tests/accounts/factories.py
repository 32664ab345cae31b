"""Factories for accounts. Keys are issued through the service, as every real key is, so each test key works."""

from __future__ import annotations

import factory

from accounts.models import ApiClient
from accounts.services import IssuedKey, api_key_create


class ApiClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApiClient
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Newsroom {n}")
    contact = factory.LazyAttribute(lambda c: f"api@{c.name.lower().replace(' ', '-')}.example.org")


def issue_key(**kwargs) -> IssuedKey:
    """A key for `user=` or `client=` (a new client when neither is given); other arguments as api_key_create."""
    if "user" not in kwargs and "client" not in kwargs:
        kwargs["client"] = ApiClientFactory()
    return api_key_create(**kwargs)
