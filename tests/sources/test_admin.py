"""The admin for sources and appearances: pages render, search finds by name, alias and address."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from sources.models import Source, SourceKind
from tests.factories import AppearanceFactory, SourceFactory, StaffFactory

pytestmark = pytest.mark.django_db

SOURCES = reverse("admin:sources_source_changelist")
APPEARANCES = reverse("admin:sources_appearance_changelist")


@pytest.fixture
def desk(client, admin_user):
    """A superuser: the editor fixture is staff but holds no model permissions, which the admin requires."""
    client.force_login(admin_user)
    return client


def change_url(obj: Any) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def form_data(response: Any) -> dict[str, str]:
    """What a browser would post back for the rendered change form, left as it is."""
    data: dict[str, str] = {}
    for field in response.context["adminform"].form:
        value = field.value()
        data[field.html_name] = "" if value is None else str(value)
        if field.field.show_hidden_initial:
            data[field.html_initial_name] = data[field.html_name]
    return data


def test_staff_without_a_desk_role_is_refused_the_source_changelist(client):
    client.force_login(StaffFactory(roles=[]))
    assert client.get(SOURCES).status_code == 403


@pytest.mark.parametrize("factory", [SourceFactory, AppearanceFactory])
def test_changelist_add_and_change_pages_render(desk, factory):
    obj = factory()
    opts = obj._meta
    for url in (
        reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
        reverse(f"admin:{opts.app_label}_{opts.model_name}_add"),
        change_url(obj),
    ):
        assert desk.get(url).status_code == 200, url


def test_source_search_finds_part_of_a_name_in_any_case(desk):
    wanted = SourceFactory(name="Ministry of Health", kind=SourceKind.MINISTRY)
    SourceFactory(name="TASS", kind=SourceKind.NEWS_AGENCY)
    assert list(desk.get(SOURCES, {"q": "of HEALTH"}).context["cl"].result_list) == [wanted]


def test_source_search_finds_a_whole_alias(desk):
    wanted = SourceFactory(name="Telegraph Agency of the Soviet Union", aliases=["TASS", "ITAR-TASS"])
    SourceFactory(name="Reuters")
    assert list(desk.get(SOURCES, {"q": "tass"}).context["cl"].result_list) == [wanted]
    assert list(desk.get(SOURCES, {"q": "itar-tass"}).context["cl"].result_list) == [wanted]


def test_source_country_filter_lists_the_countries_in_use(desk):
    russian = SourceFactory(country="RU")
    SourceFactory(country="IL")
    response = desk.get(SOURCES, {"country": "RU"})
    assert list(response.context["cl"].result_list) == [russian]
    assert "?country=IL" in response.content.decode()


def test_appearance_search_finds_a_pasted_address_and_a_word_of_the_title(desk):
    wanted = AppearanceFactory(url="https://tass.com/politics/123", title="Talks open in Moscow")
    AppearanceFactory(url="https://example.org/a", title="Something else")
    pasted = "https://TASS.com/politics/123#comments"
    assert list(desk.get(APPEARANCES, {"q": pasted}).context["cl"].result_list) == [wanted]
    assert list(desk.get(APPEARANCES, {"q": "moscow"}).context["cl"].result_list) == [wanted]
    assert list(desk.get(APPEARANCES, {"q": "tass.com"}).context["cl"].result_list) == [wanted]


def test_source_autocomplete_answers_with_matching_sources(desk):
    SourceFactory(name="Hamas", kind=SourceKind.POLITICAL_GROUP)
    response = desk.get(
        reverse("admin:autocomplete"),
        {"term": "ham", "app_label": "claims", "model_name": "claim", "field_name": "claimant"},
    )
    assert [row["text"] for row in response.json()["results"]] == ["Hamas"]


def test_adding_a_source_goes_through_source_create(desk):
    data = form_data(desk.get(reverse("admin:sources_source_add")))
    data.update(name="TASS", kind=SourceKind.NEWS_AGENCY, aliases="ITAR-TASS, ITAR-TASS")
    assert desk.post(reverse("admin:sources_source_add"), data).status_code == 302
    assert Source.objects.get(name="TASS").aliases == ["ITAR-TASS"]


def test_a_parent_cycle_refused_by_the_service_shows_on_the_form_and_nothing_changes(desk):
    government = SourceFactory(name="Government", kind=SourceKind.GOVERNMENT)
    ministry = SourceFactory(name="Ministry of Health", kind=SourceKind.MINISTRY, parent=government)
    data = form_data(desk.get(change_url(government)))
    data.update(parent=str(ministry.pk), description="Typed before saving")
    response = desk.post(change_url(government), data)
    assert response.status_code == 200
    assert "This parent would make the source its own ancestor." in response.content.decode()
    assert response.context["adminform"].form["description"].value() == "Typed before saving"
    government.refresh_from_db()
    assert (government.parent, government.description) == (None, "")


def test_an_editor_saving_a_source_does_not_undo_a_colleagues_change(desk):
    source = SourceFactory(name="Reuters", country="GB")
    data = form_data(desk.get(change_url(source)))
    Source.objects.filter(pk=source.pk).update(country="US")
    data["description"] = "News agency"
    assert desk.post(change_url(source), data).status_code == 302
    source.refresh_from_db()
    assert (source.description, source.country) == ("News agency", "US")
