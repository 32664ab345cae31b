"""The readers' claim list (E1) served by django-ninja, the framework peer a user might pick instead of DRF: the
app's settings with bench/ninja_urls.py (bench/ninja_settings.py). Bench only: `pip install -r bench/requirements.txt`.

Run it under gunicorn: `DATABASE_URL=... gunicorn bench.ninja_wsgi:application`.
"""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

# Not setdefault: the runner's environment names the app's settings for every server it starts.
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.ninja_settings"

application = get_wsgi_application()
