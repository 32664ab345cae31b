"""Source and appearance invariants, enforced by the database itself."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from sources.models import Appearance, Source, SourceKind
from sources.urlnorm import normalize_url
from tests.factories import AppearanceFactory, SourceFactory

pytestmark = pytest.mark.django_db


def _violates(constraint: str, write) -> None:
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        write()
    assert caught.value.__cause__.diag.constraint_name == constraint


def test_it_rejects_a_second_source_with_the_same_name_and_kind_in_any_case():
    SourceFactory(name="TASS", kind=SourceKind.NEWS_AGENCY)
    _violates("source_name_kind_unique", lambda: SourceFactory(name="tass", kind=SourceKind.NEWS_AGENCY))


def test_it_allows_the_same_name_for_sources_of_different_kinds():
    SourceFactory(name="Hamas", kind=SourceKind.POLITICAL_GROUP)
    SourceFactory(name="Hamas", kind=SourceKind.OTHER)
    assert Source.objects.filter(name="Hamas").count() == 2


def test_it_rejects_a_blank_source_name():
    _violates("source_name_not_blank", lambda: SourceFactory(name=""))


@pytest.mark.parametrize("country", ["ru", "R1", "1A"])
def test_it_rejects_a_country_that_is_not_an_iso_alpha2_code(country):
    _violates("source_country_iso2", lambda: SourceFactory(country=country))


def test_it_rejects_a_malformed_wikidata_id():
    _violates("source_wikidata_qid", lambda: SourceFactory(wikidata_id="193563"))


def test_it_rejects_a_source_that_is_its_own_parent():
    source = SourceFactory()
    source.parent_id = source.pk
    _violates("source_not_own_parent", lambda: source.save())


def test_it_rejects_a_non_http_appearance_url():
    _violates("appearance_url_http", lambda: AppearanceFactory(url="ftp://example.org/file"))


def test_it_records_one_appearance_per_normalised_url():
    AppearanceFactory(url="https://News.Example.org/a?utm_source=x#top")
    _violates("appearance_url_unique", lambda: AppearanceFactory(url="https://news.example.org/a"))


def test_it_rejects_a_content_hash_that_is_not_sha256_hex():
    _violates("appearance_content_hash_sha256", lambda: AppearanceFactory(content_hash="abc"))


def test_it_rejects_a_language_that_is_not_a_bcp47_tag():
    _violates("appearance_language_bcp47", lambda: AppearanceFactory(language="English"))


def test_it_stores_the_normalised_url():
    appearance = AppearanceFactory(url="HTTPS://Example.org:443/Path/?b=2&a=1&fbclid=zz#frag")
    appearance.refresh_from_db()
    assert appearance.url == "https://example.org/Path/?a=1&b=2"
    assert Appearance.objects.get(url="https://example.org/Path/?a=1&b=2") == appearance


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("https://example.org", "https://example.org/"),
        ("http://example.org:8080/x", "http://example.org:8080/x"),
        ("https://user:secret@example.org/x", "https://example.org/x"),
        ("https://example.org/x?utm_medium=social&id=7", "https://example.org/x?id=7"),
        ("https://example.org./x", "https://example.org/x"),
        ("  https://example.org/x  ", "https://example.org/x"),
        ("not a url", "not a url"),
        ("http://[::1]:8080/x", "http://[::1]:8080/x"),
        ("https://[2001:DB8::1]/x", "https://[2001:db8::1]/x"),
    ],
)
def test_it_normalises_urls(given, stored):
    assert normalize_url(given) == stored


def test_full_clean_checks_the_length_of_the_normalised_url():
    # A non-ASCII query grows when it is percent-encoded: the limit applies to what would be stored.
    url = "https://example.org/a?q=" + "é" * 700
    appearance = AppearanceFactory.build(url=url, publisher=None)
    with pytest.raises(ValidationError) as caught:
        appearance.full_clean()
    assert "url" in caught.value.message_dict
