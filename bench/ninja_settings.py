"""The app's settings serving django-ninja's API (bench/ninja_urls.py) instead of the app's URLs: the benchmark's
framework peer runs with the app's database, middleware and everything else."""

from __future__ import annotations

from factcheck.settings import *  # noqa: F403

ROOT_URLCONF = "bench.ninja_urls"
