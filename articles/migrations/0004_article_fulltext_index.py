"""French full-text search over title and text: a GIN expression index on PostgreSQL.

The expression is exactly the one ``articles.filters`` queries with (Django's
``SearchVector("title", "text", config="french")``), so the planner uses the index.
SQLite has no such index: the queue falls back to a plain substring search there.
"""

from django.db import migrations

INDEX = "articles_article_fts_fr"
EXPRESSION = "to_tsvector('french'::regconfig, COALESCE(title, '') || ' ' || COALESCE(text, ''))"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON articles_article USING gin ({EXPRESSION})")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_review_claims_audit_versions")]
    operations = [migrations.RunPython(create, drop)]
