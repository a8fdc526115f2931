from django.db import migrations

INDEX = "rooms_message_original_fts"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON rooms_message "
            "USING GIN (to_tsvector('simple', original_text))"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    """Full-text search over messages, on PostgreSQL only (SQLite searches without an index)."""

    dependencies = [("rooms", "0002_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
