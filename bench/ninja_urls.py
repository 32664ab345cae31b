"""URLs of the django-ninja peer (bench/ninja_settings.py): the readers' claim list at the app's path."""

from __future__ import annotations

from django.urls import path

from bench.ninja_api import api

urlpatterns = [path("api/v1/", api.urls)]
