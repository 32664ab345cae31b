"""One test per query parameter of the sources and appearances lists."""

from __future__ import annotations

import datetime as dt

import pytest

from sources.models import Appearance, Source
from tests.factories import AppearanceFactory, SourceFactory

pytestmark = pytest.mark.django_db

SOURCES = "/api/v1/sources/"
APPEARANCES = "/api/v1/appearances/"


def found(client, url: str) -> set[int]:
    response = client.get(url)
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


def test_sources_filter_by_kind(anon_client):
    agency = SourceFactory(kind="news_agency")
    SourceFactory(kind="outlet")

    assert found(anon_client, SOURCES + "?kind=news_agency") == {agency.pk}


def test_sources_filter_by_country_in_any_case(anon_client):
    russian = SourceFactory(country="RU")
    SourceFactory(country="IL")

    assert found(anon_client, SOURCES + "?country=ru") == {russian.pk}


def test_sources_filter_by_parent(anon_client):
    government = SourceFactory(kind="government")
    ministry = SourceFactory(kind="ministry", parent=government)
    SourceFactory(kind="ministry")

    assert found(anon_client, SOURCES + f"?parent={government.pk}") == {ministry.pk}


def test_sources_search_by_part_of_the_name_in_any_case(anon_client):
    tass = SourceFactory(name="TASS Russian News Agency")
    SourceFactory(name="Reuters")

    assert found(anon_client, SOURCES + "?q=russian news") == {tass.pk}


def test_sources_search_treats_like_wildcards_as_text(anon_client):
    percent = SourceFactory(name="100% Facts")
    SourceFactory(name="1000 Facts")

    assert found(anon_client, SOURCES + "?q=0%25") == {percent.pk}


def test_sources_filter_by_updated_since(anon_client):
    old, recent = SourceFactory(), SourceFactory()
    Source.objects.filter(pk=old.pk).update(updated_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    Source.objects.filter(pk=recent.pk).update(updated_at=dt.datetime(2024, 6, 1, tzinfo=dt.UTC))

    assert found(anon_client, SOURCES + "?updated_since=2024-05-01T00:00:00Z") == {recent.pk}


def test_appearances_filter_by_publisher(anon_client):
    publisher = SourceFactory()
    theirs = AppearanceFactory(publisher=publisher)
    AppearanceFactory()

    assert found(anon_client, APPEARANCES + f"?publisher={publisher.pk}") == {theirs.pk}


def test_appearances_filter_by_published_on_after_inclusive(anon_client):
    AppearanceFactory(published_on=dt.date(2024, 2, 28))
    on = AppearanceFactory(published_on=dt.date(2024, 2, 29))

    assert found(anon_client, APPEARANCES + "?published_on_after=2024-02-29") == {on.pk}


def test_appearances_filter_by_published_on_before_inclusive(anon_client):
    on = AppearanceFactory(published_on=dt.date(2024, 2, 29))
    AppearanceFactory(published_on=dt.date(2024, 3, 1))

    assert found(anon_client, APPEARANCES + "?published_on_before=2024-02-29") == {on.pk}


def test_appearances_filter_by_language(anon_client):
    russian = AppearanceFactory(language="ru")
    AppearanceFactory(language="en")

    assert found(anon_client, APPEARANCES + "?language=ru") == {russian.pk}


def test_appearances_filter_by_url_after_normalising_it(anon_client):
    page = AppearanceFactory(url="https://news.example.org/a/Story?a=1&b=2")
    AppearanceFactory(url="https://news.example.org/a/story")

    response = anon_client.get(APPEARANCES, {"url": "HTTPS://NEWS.example.org/a/Story?b=2&a=1&utm_source=feed#top"})

    assert [row["id"] for row in response.json()["results"]] == [page.pk]


def test_appearances_filter_by_updated_since(anon_client):
    old, recent = AppearanceFactory(), AppearanceFactory()
    Appearance.objects.filter(pk=old.pk).update(updated_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    Appearance.objects.filter(pk=recent.pk).update(updated_at=dt.datetime(2024, 6, 1, tzinfo=dt.UTC))

    assert found(anon_client, APPEARANCES + "?updated_since=2024-05-01T00:00:00Z") == {recent.pk}


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        (SOURCES + "?kind=alien", "kind"),
        (SOURCES + "?country=RUS", "country"),
        (SOURCES + "?parent=abc", "parent"),
        (SOURCES + "?q=" + "x" * 201, "q"),
        (APPEARANCES + "?publisher=1.5", "publisher"),
        (APPEARANCES + "?published_on_after=2024-02-30", "published_on_after"),
        (APPEARANCES + "?published_on_before=tomorrow", "published_on_before"),
        (APPEARANCES + "?updated_since=2024", "updated_since"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_parameter(anon_client, url, parameter):
    response = anon_client.get(url)

    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == [parameter]
