"""Finding a source by the name a text gives it: SourceQuerySet.named and sources.services.source_get_or_create."""

from __future__ import annotations

import pytest

from sources.models import Source, SourceKind
from sources.services import source_get_or_create
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


def test_named_finds_a_name_or_an_alias_ignoring_case_and_spacing():
    ministry = SourceFactory(
        name="Ministry of Health in Gaza", aliases=["Gaza Health Ministry", "Hamas's Ministry of Health"]
    )
    SourceFactory(name="Ministry of Health of Israel")

    assert list(Source.objects.named("ministry of health in gaza")) == [ministry]
    assert list(Source.objects.named("  HAMAS'S   ministry of health ")) == [ministry]
    assert list(Source.objects.named("Ministry of Health")) == []  # a part of a name is not the name


def test_named_puts_the_source_whose_own_name_it_is_first():
    by_alias = SourceFactory(name="Islamic Resistance Movement", aliases=["Hamas"], kind=SourceKind.POLITICAL_GROUP)
    by_name = SourceFactory(name="Hamas", kind=SourceKind.OTHER)

    assert list(Source.objects.named("hamas")) == [by_name, by_alias]


def test_named_works_with_the_parent_joined():
    parent = SourceFactory(name="Government of Russia", aliases=["Russian Government"])
    child = SourceFactory(name="Ministry of Foreign Affairs of Russia", aliases=["Russian MFA"], parent=parent)

    assert list(Source.objects.for_api().named("russian mfa")) == [child]


def test_source_get_or_create_finds_before_it_creates(editor):
    tass = SourceFactory(name="TASS", aliases=["Russian News Agency TASS"], kind=SourceKind.NEWS_AGENCY)

    assert source_get_or_create(actor=editor, name="russian news agency tass", kind=SourceKind.OUTLET) == (tass, False)
    created, was_created = source_get_or_create(actor=editor, name=" Interfax ", kind=SourceKind.NEWS_AGENCY)
    assert was_created
    assert (created.name, created.kind) == ("Interfax", SourceKind.NEWS_AGENCY)
    assert source_get_or_create(actor=editor, name="INTERFAX", kind=SourceKind.OTHER) == (created, False)
