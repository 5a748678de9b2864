"""Sessions open when Planea began loading people with its own backend (`org.backends.PersonBackend`) named
Django's model backend; Django signs such a session out. They are moved to the new backend, so that nobody is signed
out, and a form being saved at that moment is not lost, by an update."""

from typing import Any

from django.db import migrations

OLD = "django.contrib.auth.backends.ModelBackend"
NEW = "planea.org.backends.PersonBackend"


def _move(apps: Any, schema_editor: Any, source: str, target: str) -> None:
    from django.contrib.auth import BACKEND_SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session_model = apps.get_model("sessions", "Session")
    store = SessionStore()
    for session in session_model.objects.using(schema_editor.connection.alias).iterator():
        data = store.decode(session.session_data)  # {} for data that does not decode
        if data.get(BACKEND_SESSION_KEY) == source:
            data[BACKEND_SESSION_KEY] = target
            session.session_data = store.encode(data)
            session.save(update_fields=["session_data"])


def forward(apps: Any, schema_editor: Any) -> None:
    _move(apps, schema_editor, OLD, NEW)


def backward(apps: Any, schema_editor: Any) -> None:
    _move(apps, schema_editor, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [("sessions", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
