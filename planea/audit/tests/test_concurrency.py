"""Concurrent writers never fork the chain: the head row serializes them (on SQLite and on PostgreSQL)."""

import threading

import pytest
from django.db import connection, transaction

from planea.audit.models import AuditEvent
from planea.audit.services import record
from planea.audit.verify import verify_chain


@pytest.mark.django_db(transaction=True)
def test_parallel_writers_keep_one_chain():
    errors: list[BaseException] = []
    before = AuditEvent.objects.count()
    barrier = threading.Barrier(4)

    def writer(n: int) -> None:
        try:
            barrier.wait()
            for i in range(15):
                with transaction.atomic():
                    record(actor=None, action="concurrency", object_repr=f"hilo {n} evento {i}")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert AuditEvent.objects.count() == before + 60
    report = verify_chain()
    assert report.ok and report.checked == before + 60
