"""Checking the audit chain end to end."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import GENESIS_HASH, AuditEvent, AuditHead

CHUNK = 2000


@dataclass
class ChainReport:
    checked: int
    last_hash: str
    bad_seq: int | None = None
    bad_id: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.bad_seq is None and not self.reason


def verify_chain(progress: Callable[[int, int], None] | None = None) -> ChainReport:
    """Walk every event in order. The first event whose number, link or content does not match is reported."""
    total = AuditEvent.objects.count()
    expected_seq = 1
    prev_hash = GENESIS_HASH
    checked = 0
    for event in AuditEvent.objects.order_by("seq", "pk").iterator(chunk_size=CHUNK):
        problem = ""
        if event.seq != expected_seq:
            problem = _(
                "se esperaba el evento número %(expected)s y aparece el %(found)s (faltan eventos o se reordenaron)"
            ) % {"expected": expected_seq, "found": event.seq}
        elif event.prev_hash != prev_hash:
            problem = _("no enlaza con el evento anterior (se eliminó, reordenó o alteró un evento previo)")
        elif event.compute_hash() != event.hash:
            problem = _("su contenido no coincide con su hash (el evento fue modificado)")
        if problem:
            return ChainReport(checked=checked, last_hash=prev_hash, bad_seq=event.seq, bad_id=event.pk, reason=problem)
        checked += 1
        prev_hash = event.hash
        expected_seq += 1
        if progress and checked % CHUNK == 0:
            progress(checked, total)
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.last_seq != checked or head.last_hash != prev_hash):
        return ChainReport(
            checked=checked,
            last_hash=prev_hash,
            bad_seq=min(checked, head.last_seq) + 1,
            reason=_(
                "la cadena termina en el evento %(found)s pero se registraron %(expected)s "
                "(se eliminaron o añadieron eventos al final)"
            )
            % {"found": checked, "expected": head.last_seq},
        )
    if progress:
        progress(checked, total)
    return ChainReport(checked=checked, last_hash=prev_hash)
