"""The django-ninja peer (bench/ninja_api.py) serves the readers' claim list as the app does: the same claims in the
same shape, and with its orjson renderer the same bytes. Called through Django's test client on ninja's URLs."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import clear_url_caches
from rest_framework.test import APIClient

pytest.importorskip("ninja", reason="bench-only dependency: pip install -r bench/requirements.txt")
from tests.bench.test_baseline import claims  # noqa: F401 - fixture


@pytest.fixture
def ninja(settings):
    settings.API_ANON_RATE = None

    def get(query: str = "") -> tuple[int, bytes]:
        settings.ROOT_URLCONF = "bench.ninja_urls"
        try:
            response = Client().get(f"/api/v1/claims/?{query}" if query else "/api/v1/claims/")
        finally:
            settings.ROOT_URLCONF = "factcheck.urls"
            clear_url_caches()
        return response.status_code, response.content

    return get


def test_it_serves_the_apps_first_list_page(claims, ninja, django_assert_num_queries):  # noqa: F811
    app = APIClient().get("/api/v1/claims/")
    # The page's claims joined to the version shown, its rating and scale.
    with django_assert_num_queries(1):
        status, body = ninja()

    assert status == 200
    assert len(app.json()["results"]) == 3
    assert body == app.content


def test_it_pages_with_the_apps_cursors_both_ways(claims, ninja):  # noqa: F811
    first = APIClient().get("/api/v1/claims/", {"page_size": 1})
    assert ninja("page_size=1")[1] == first.content
    page, pages = first.json(), 1
    while page["next"]:
        query = page["next"].split("?", 1)[1]
        app = APIClient().get(f"/api/v1/claims/?{query}")
        assert ninja(query)[1] == app.content
        page, pages = app.json(), pages + 1
    back = page["previous"].split("?", 1)[1]

    assert pages == 3
    assert ninja(back)[1] == APIClient().get(f"/api/v1/claims/?{back}").content


def test_it_refuses_what_it_does_not_serve(claims, ninja):  # noqa: F811
    # A search answered with the default list would be measured as a search.
    assert ninja("q=ships")[0] == 400
    assert ninja("cursor=nonsense")[0] == 400
