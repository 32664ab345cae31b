"""Rate counters are written on every API request and are worthless after a crash: an UNLOGGED table skips the
write-ahead log (PostgreSQL empties it after a crash, and it is not copied to replicas, which only the primary's
throttle reads anyway)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_cache_table")]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE accounts_ratecounter SET UNLOGGED", reverse_sql="ALTER TABLE accounts_ratecounter SET LOGGED"
        )
    ]
