"""The audit chain: append-only, written with the change, and any tampering is named by audit_verify."""

from collections.abc import Sequence
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from planea.audit.models import AppendOnlyError, AuditEvent
from planea.audit.services import batch, record, save_audited
from planea.audit.verify import verify_chain

pytestmark = pytest.mark.django_db

# Any audited model will do; a cost center of the demo is one (taken from the registry: audit imports no app).
CostCenter = apps.get_model("org", "CostCenter")


def table() -> str:
    return connection.ops.quote_name(AuditEvent._meta.db_table)


def raw(sql: str, params: Sequence[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def verify_command() -> str:
    with pytest.raises(CommandError) as failure:
        call_command("audit_verify")
    assert failure.value.returncode == 1
    return str(failure.value)


def test_intact_chain_verifies(demo, capsys):
    call_command("audit_verify")
    out = capsys.readouterr().out
    count = AuditEvent.objects.count()
    assert count > 50
    assert f"íntegra: {count} eventos" in out
    events = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in events] == list(range(1, count + 1))
    assert all(b.prev_hash == a.hash for a, b in zip(events, events[1:], strict=False))


def test_edited_event_is_named(demo):
    target = AuditEvent.objects.get(seq=10)
    raw(f"UPDATE {table()} SET summary = %s WHERE id = %s", ["retocado", target.pk])
    message = verify_command()
    assert "evento #10 " in message and "modificado" in message


def test_edited_event_with_recomputed_hash_breaks_the_next_link(demo):
    event = AuditEvent.objects.get(seq=20)
    event.after = {"name": "otro"}
    new_hash = event.compute_hash()
    raw(f"UPDATE {table()} SET after = %s, hash = %s WHERE id = %s", ['{"name": "otro"}', new_hash, event.pk])
    assert "evento #21 " in verify_command()


def test_deleted_event_is_named(demo):
    raw(f"DELETE FROM {table()} WHERE seq = %s", [15])
    message = verify_command()
    assert "evento #16 " in message and "se esperaba el evento número 15" in message


def test_deleted_tail_is_detected(demo):
    last = AuditEvent.objects.order_by("-seq").first()
    raw(f"DELETE FROM {table()} WHERE seq = %s", [last.seq])
    assert f"evento #{last.seq} " in verify_command()


def test_reordered_events_are_detected(demo):
    a, b = AuditEvent.objects.get(seq=5), AuditEvent.objects.get(seq=6)
    raw(f"UPDATE {table()} SET seq = %s WHERE id = %s", [1_000_000, a.pk])
    raw(f"UPDATE {table()} SET seq = %s WHERE id = %s", [5, b.pk])
    raw(f"UPDATE {table()} SET seq = %s WHERE id = %s", [6, a.pk])
    assert "evento #5 " in verify_command()


def test_events_cannot_be_changed_or_deleted_through_the_orm(demo):
    event = AuditEvent.objects.first()
    event.summary = "otro"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert verify_chain().ok


def test_event_is_written_in_the_same_transaction_as_the_change(demo):
    center = CostCenter.objects.get(code="0101")
    before_events = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        center.name = "Cambio que no debe quedar"
        save_audited(center, actor=demo["administrador"])
        raise RuntimeError("falla después de guardar")
    assert CostCenter.objects.get(code="0101").name == "Aeropuerto Internacional La Aurora"
    assert AuditEvent.objects.count() == before_events
    assert verify_chain().ok


def test_before_and_after_are_recorded(demo):
    center = CostCenter.objects.get(code="0203")
    center.municipality = "La Democracia (aldea La Mesilla)"
    event = save_audited(center, actor=demo["administrador"])
    assert event.actor_username == "administrador"
    assert event.action == "update"
    assert event.before["municipality"] == "La Democracia"
    assert event.after["municipality"] == "La Democracia (aldea La Mesilla)"
    assert event.changed_fields() == [("municipality", "La Democracia", "La Democracia (aldea La Mesilla)")]


def test_system_events_have_no_person(db):
    before = AuditEvent.objects.count()
    event = record(actor=None, action="maintenance", summary="tarea programada")
    assert event.actor is None and event.actor_username == "sistema"
    assert event.seq == before + 1 and verify_chain().ok


def test_a_batch_appends_its_events_together_in_the_order_recorded(db, django_assert_max_num_queries):
    first = record(actor=None, action="before", summary="antes del lote")
    with transaction.atomic(), django_assert_max_num_queries(3):  # the head locked, one insert, the head moved
        with batch():
            events = [record(actor=None, action=f"step_{n}", summary=f"evento {n}") for n in range(4)]
            assert all(event.pk is None for event in events)  # nothing written until the batch ends
    stored = list(AuditEvent.objects.filter(seq__gt=first.seq).order_by("seq"))
    assert [e.action for e in stored] == ["step_0", "step_1", "step_2", "step_3"]
    assert [e.seq for e in stored] == [first.seq + n for n in range(1, 5)]
    assert stored[0].prev_hash == first.hash and verify_chain().ok


def test_a_failed_batch_writes_no_event(db):
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic(), batch():
        record(actor=None, action="lost", summary="no debe quedar")
        raise RuntimeError("falla antes de terminar el lote")
    assert AuditEvent.objects.count() == before and verify_chain().ok


def test_an_event_of_a_savepoint_rolled_back_inside_a_batch_goes_with_it(db):
    """An event recorded in a nested atomic block is appended at once, so that rolling the block back takes the
    event with it while the batch's own events stay."""
    before = AuditEvent.objects.count()
    with transaction.atomic(), batch():
        record(actor=None, action="kept", summary="queda")
        with pytest.raises(RuntimeError), transaction.atomic():
            record(actor=None, action="rolled_back", summary="se deshace")
            raise RuntimeError("el bloque anidado falla")
        record(actor=None, action="kept_too", summary="queda también")
    actions = list(AuditEvent.objects.filter(seq__gt=before).order_by("seq").values_list("action", flat=True))
    assert actions == ["kept", "kept_too"] and verify_chain().ok
