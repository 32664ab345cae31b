"""The sources and appearances APIs: who may read and write, bodies, validation and query counts."""

from __future__ import annotations

import datetime as dt

import pytest

from sources.models import Appearance, Source
from tests.factories import AppearanceFactory, SourceFactory

pytestmark = pytest.mark.django_db

SOURCES = "/api/v1/sources/"
APPEARANCES = "/api/v1/appearances/"


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


# Sources ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("client_name", ["anon_client", "outsider_client", "editor_client"])
def test_everyone_lists_and_reads_sources(request, client_name):
    government = SourceFactory(name="Government of Russia", kind="government", country="RU")
    ministry = SourceFactory(
        name="Ministry of Foreign Affairs",
        kind="ministry",
        country="RU",
        parent=government,
        aliases=["MID", "Russian MFA"],
        wikidata_id="Q1363310",
        homepage="https://mid.ru/",
    )
    client = request.getfixturevalue(client_name)

    listed = client.get(SOURCES)
    read = client.get(f"{SOURCES}{ministry.pk}/")

    assert listed.status_code == read.status_code == 200
    assert ids(listed) == [government.pk, ministry.pk]
    assert read.json() == {
        "id": ministry.pk,
        "url": f"http://testserver/api/v1/sources/{ministry.pk}/",
        "name": "Ministry of Foreign Affairs",
        "kind": "ministry",
        "description": "",
        "country": "RU",
        "aliases": ["MID", "Russian MFA"],
        "parent": {"id": government.pk, "name": "Government of Russia", "kind": "government"},
        "wikidata_id": "Q1363310",
        "homepage": "https://mid.ru/",
        "created_at": read.json()["created_at"],
        "updated_at": read.json()["updated_at"],
    }


def test_anonymous_source_writes_get_401(anon_client):
    source = SourceFactory()

    assert anon_client.post(SOURCES, {"name": "TASS", "kind": "news_agency"}, format="json").status_code == 401
    assert anon_client.patch(f"{SOURCES}{source.pk}/", {"name": "TASS"}, format="json").status_code == 401
    assert list(Source.objects.values_list("name", flat=True)) == [source.name]


def test_outsiders_source_writes_get_403(outsider_client):
    source = SourceFactory()

    assert outsider_client.post(SOURCES, {"name": "TASS", "kind": "news_agency"}, format="json").status_code == 403
    assert outsider_client.patch(f"{SOURCES}{source.pk}/", {"name": "TASS"}, format="json").status_code == 403
    assert list(Source.objects.values_list("name", flat=True)) == [source.name]


def test_the_desk_creates_a_source(editor_client):
    government = SourceFactory(kind="government")

    response = editor_client.post(
        SOURCES,
        {
            "name": "Ministry of Defence",
            "kind": "ministry",
            "country": "RU",
            "parent": government.pk,
            "aliases": [" MoD ", "MoD"],
            "created_at": "2001-01-01T00:00:00Z",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    source = Source.objects.get(name="Ministry of Defence")
    assert response["Location"] == response.json()["url"]
    assert source.parent == government
    assert source.aliases == ["MoD"]
    assert source.created_at.year > 2001
    assert response.json()["parent"]["id"] == government.pk


def test_the_desk_patches_a_source(fact_checker_client):
    source = SourceFactory(country="RU")

    response = fact_checker_client.patch(f"{SOURCES}{source.pk}/", {"description": "State news agency"}, format="json")

    assert response.status_code == 200
    source.refresh_from_db()
    assert (source.description, source.country) == ("State news agency", "RU")


def test_put_and_delete_are_not_offered_for_sources(editor_client):
    source = SourceFactory()

    assert editor_client.put(f"{SOURCES}{source.pk}/", {"name": "x", "kind": "other"}, format="json").status_code == 405
    assert editor_client.delete(f"{SOURCES}{source.pk}/").status_code == 405


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "X", "kind": "other", "country": "ru"}, "country"),
        ({"name": "X", "kind": "other", "wikidata_id": "193563"}, "wikidata_id"),
        ({"name": "X", "kind": "alien"}, "kind"),
        ({"name": "X", "kind": "other", "homepage": "ftp://example.org/"}, "homepage"),
        ({"name": "X", "kind": "other", "parent": 999999}, "parent"),
        ({"name": "", "kind": "other"}, "name"),
        ({"kind": "other"}, "name"),
        ({"name": "X" * 201, "kind": "other"}, "name"),
    ],
)
def test_it_rejects_a_malformed_source_naming_the_field(editor_client, body, field):
    response = editor_client.post(SOURCES, body, format="json")

    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert not Source.objects.exists()


def test_it_rejects_a_second_source_of_the_same_name_and_kind_in_another_case(editor_client):
    SourceFactory(name="TASS", kind="news_agency")

    response = editor_client.post(SOURCES, {"name": "tass", "kind": "news_agency"}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "A source of this kind with this name already exists."


def test_it_rejects_a_parent_that_would_make_a_cycle(editor_client):
    movement = SourceFactory(kind="political_group")
    politburo = SourceFactory(kind="political_group", parent=movement)

    response = editor_client.patch(f"{SOURCES}{movement.pk}/", {"parent": politburo.pk}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "parent", "code": "invalid", "message": "This parent would make the source its own ancestor."}
    ]
    movement.refresh_from_db()
    assert movement.parent is None


@pytest.mark.parametrize("client_name", ["anon_client", "editor_client"])
def test_the_source_list_takes_one_query_however_many_sources(request, client_name, django_assert_num_queries):
    # 1. the page of sources joined to their parents
    client = request.getfixturevalue(client_name)
    for _ in range(3):
        SourceFactory(parent=SourceFactory())
    with django_assert_num_queries(1):
        assert len(client.get(SOURCES).json()["results"]) == 6
    for _ in range(12):
        SourceFactory(parent=SourceFactory())
    with django_assert_num_queries(1):
        assert len(client.get(SOURCES).json()["results"]) == 30


# Appearances ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("client_name", ["anon_client", "outsider_client", "editor_client"])
def test_everyone_lists_and_reads_appearances(request, client_name):
    publisher = SourceFactory(name="Kommersant")
    appearance = AppearanceFactory(
        url="https://www.kommersant.ru/doc/6530000",
        title="Moscow meeting",
        publisher=publisher,
        published_on=dt.date(2024, 2, 29),
        language="ru",
    )
    client = request.getfixturevalue(client_name)

    listed = client.get(APPEARANCES)
    read = client.get(f"{APPEARANCES}{appearance.pk}/")

    assert listed.status_code == read.status_code == 200
    assert ids(listed) == [appearance.pk]
    assert read.json() == {
        "id": appearance.pk,
        "url": "https://www.kommersant.ru/doc/6530000",
        "title": "Moscow meeting",
        "publisher": {"id": publisher.pk, "name": "Kommersant", "kind": "outlet"},
        "published_on": "2024-02-29",
        "language": "ru",
        "retrieved_at": None,
        "content_hash": "",
        "archive_url": "",
        "created_at": read.json()["created_at"],
        "updated_at": read.json()["updated_at"],
    }


def test_anonymous_appearance_writes_get_401(anon_client):
    appearance = AppearanceFactory()

    assert anon_client.post(APPEARANCES, {"url": "https://a.example/"}, format="json").status_code == 401
    assert anon_client.patch(f"{APPEARANCES}{appearance.pk}/", {"title": "x"}, format="json").status_code == 401
    assert Appearance.objects.count() == 1


def test_outsiders_appearance_writes_get_403(outsider_client):
    appearance = AppearanceFactory()

    assert outsider_client.post(APPEARANCES, {"url": "https://a.example/"}, format="json").status_code == 403
    assert outsider_client.patch(f"{APPEARANCES}{appearance.pk}/", {"title": "x"}, format="json").status_code == 403
    assert Appearance.objects.get().title != "x"


def test_the_desk_creates_an_appearance_with_its_url_normalised(editor_client):
    publisher = SourceFactory()

    response = editor_client.post(
        APPEARANCES,
        {
            "url": "HTTPS://News.Example.org:443/a/Story?utm_source=x&b=2&a=1#top",
            "title": "The story",
            "publisher": publisher.pk,
            "published_on": "2024-02-29",
            "content_hash": "a" * 64,
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    appearance = Appearance.objects.get()
    assert appearance.url == "https://news.example.org/a/Story?a=1&b=2"
    assert response.json()["url"] == appearance.url
    assert response["Location"] == f"http://testserver/api/v1/appearances/{appearance.pk}/"


def test_the_desk_patches_an_appearance(editor_client):
    appearance = AppearanceFactory()

    response = editor_client.patch(f"{APPEARANCES}{appearance.pk}/", {"language": "pt-BR"}, format="json")

    assert response.status_code == 200
    appearance.refresh_from_db()
    assert appearance.language == "pt-BR"


def test_it_rejects_a_url_already_recorded_in_another_spelling(editor_client):
    AppearanceFactory(url="https://news.example.org/a")

    response = editor_client.post(APPEARANCES, {"url": "https://NEWS.example.org/a?utm_medium=rss"}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "url"
    assert Appearance.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "not a url"}, "url"),
        ({"url": "ftp://files.example.org/a"}, "url"),
        ({"url": "https://a.example/", "language": "Russian"}, "language"),
        ({"url": "https://a.example/", "content_hash": "ABC"}, "content_hash"),
        ({"url": "https://a.example/", "published_on": "29/02/2024"}, "published_on"),
        ({"url": "https://a.example/", "publisher": "abc"}, "publisher"),
        ({"title": "No address"}, "url"),
    ],
)
def test_it_rejects_a_malformed_appearance_naming_the_field(editor_client, body, field):
    response = editor_client.post(APPEARANCES, body, format="json")

    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert not Appearance.objects.exists()


@pytest.mark.parametrize("client_name", ["anon_client", "editor_client"])
def test_the_appearance_list_takes_one_query_however_many_appearances(request, client_name, django_assert_num_queries):
    # 1. the page of appearances joined to their publishers
    client = request.getfixturevalue(client_name)
    for _ in range(3):
        AppearanceFactory()
    with django_assert_num_queries(1):
        assert len(client.get(APPEARANCES).json()["results"]) == 3
    for _ in range(27):
        AppearanceFactory()
    with django_assert_num_queries(1):
        assert len(client.get(APPEARANCES).json()["results"]) == 30
