"""PostgreSQL: every stored event wakes the dispatcher (NOTIFY, sent at commit)."""

from django.db import migrations

CHANNEL = "webhook_events"

CREATE = f"""
CREATE OR REPLACE FUNCTION webhooks_event_stored() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('{CHANNEL}', '');
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS webhooks_event_stored ON webhooks_webhookevent;
CREATE TRIGGER webhooks_event_stored AFTER INSERT ON webhooks_webhookevent
FOR EACH STATEMENT EXECUTE FUNCTION webhooks_event_stored();
"""
DROP = """
DROP TRIGGER IF EXISTS webhooks_event_stored ON webhooks_webhookevent;
DROP FUNCTION IF EXISTS webhooks_event_stored();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("webhooks", "0002_queued_at")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
