"""PostgreSQL extensions the schema relies on.

pg_trgm: trigram indexes for autocomplete, admin search and duplicate detection.
btree_gist: exclusion constraints that mix equality on ids with range overlap (verdict publication periods).
"""

from django.contrib.postgres.operations import BtreeGistExtension, TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [TrigramExtension(), BtreeGistExtension()]
