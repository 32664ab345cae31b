"""The database cache's table (settings.CACHES), so it exists wherever migrations ran, not only where someone
remembered `manage.py createcachetable`. The command is idempotent (it skips tables that exist), and it reads the
cache settings in force, so the migration creates nothing for a non-database cache."""

from django.conf import settings
from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_tables(apps, schema_editor):
    for cache in settings.CACHES.values():
        if cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
            schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(cache['LOCATION'])}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(create_cache_tables, drop_cache_tables, elidable=False)]
