"""The lifecycle of a PEI version (strategy/lifecycle.py over procedures/lifecycle.py): linked to its P1 case while a
draft, in review, returned and approved, each change one audit event, through the service, the case and the page
that starts the case."""

import pytest
from django.core.exceptions import ValidationError

from planea.audit.models import AuditEvent
from planea.audit.verify import verify_chain
from planea.procedures.drive import step_through
from planea.strategy import case_link, lifecycle
from planea.strategy.models import ApprovedPlanError, PlanStatus
from planea.strategy.plans import StrategyError, update_plan

pytestmark = pytest.mark.django_db


def summaries(action):
    return list(AuditEvent.objects.filter(action=action).order_by("seq").values_list("summary", flat=True))


def test_the_p1_case_moves_the_version_to_review_back_to_draft_and_to_approved(draft, demo, client_as):
    case = case_link.start_case(draft, actor=demo["subdirector_planificacion"])
    step_through(case, until="9", people=demo)
    draft.refresh_from_db()
    assert draft.status == PlanStatus.REVIEW
    with pytest.raises(ValidationError):
        update_plan(draft, actor=demo["jefe_planes_programas"], data={"mission": "Otra."})
    step_through(case, {"9": ["9.1"], "9.1": ["5"]}, until="6", people=demo)
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT
    step_through(case, until="9.2", people=demo)  # "No tiene observaciones": the Subdirector's visto bueno
    draft.refresh_from_db()
    assert draft.status == PlanStatus.ENDORSED and not draft.is_editable and draft.approved_at is None
    page = client_as("jefe_planes_programas").get(f"/pei/{draft.pk}/").content.decode()
    assert "Con visto bueno de la Subdirección de Planificación: aún no está aprobada" in page
    step_through(
        case, {"10": ["10.2"], "10.2": ["6"]}, until="6", people=demo
    )  # SEGEPLAN finds it not conforme: corrections
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT
    step_through(case, until="12", people=demo)  # step 11 sent it to the Dirección General and the AMN
    draft.refresh_from_db()
    assert draft.status == PlanStatus.PRESENTED and not draft.is_approved
    page = client_as("jefe_planes_programas").get(f"/pei/{draft.pk}/").content.decode()
    assert "Presentada a la Dirección General y a la Autoridad Migratoria Nacional" in page
    assert "Versión aprobada" not in page
    step_through(case, people=demo)  # step 12 sends the approved PEI
    draft.refresh_from_db()
    assert draft.status == PlanStatus.APPROVED and draft.approved_at
    assert verify_chain().ok


def test_each_change_is_one_audit_event_with_its_summary(draft, demo):
    actor = demo["subdirector_planificacion"]
    case = case_link.start_case(draft, actor=actor)
    assert summaries("pei_case_linked") == [f"PEI-2021-2030 v1 en trámite por el expediente {case.number}"]
    lifecycle.send_to_review(draft, actor=actor)
    lifecycle.send_to_review(draft, actor=actor)  # a step finished twice moves it once
    lifecycle.return_to_draft(draft, actor=actor, observations="Revise el 100% de las metas.")
    lifecycle.send_to_review(draft, actor=actor)
    lifecycle.endorse(draft, actor=actor)
    lifecycle.present(draft, actor=actor)
    lifecycle.approve(draft, actor=actor)
    lifecycle.approve(draft, actor=actor)
    assert summaries("pei_in_review") == ["PEI-2021-2030 v1 en revisión"] * 2
    assert summaries("pei_endorsed") == ["PEI-2021-2030 v1 con visto bueno de la Subdirección de Planificación"]
    assert summaries("pei_presented") == ["PEI-2021-2030 v1 remitido a la Dirección General para su aprobación"]
    assert summaries("pei_returned") == ["PEI-2021-2030 v1 devuelto con observaciones: Revise el 100% de las metas."]
    assert summaries("pei_approved") == ["PEI-2021-2030 v1 aprobado"]
    assert draft.status == PlanStatus.APPROVED and draft.approved_at
    assert verify_chain().ok


def test_only_a_draft_out_of_any_case_in_process_is_linked(draft, demo):
    actor = demo["subdirector_planificacion"]
    case = case_link.start_case(draft, actor=actor)
    with pytest.raises(StrategyError, match=f"PEI-2021-2030 v1 ya está en el expediente {case.number}."):
        case_link.start_case(draft, actor=actor)
    lifecycle.send_to_review(draft, actor=actor)
    with pytest.raises(StrategyError, match="PEI-2021-2030 v1 está en revisión; solo se edita un borrador."):
        lifecycle.link_case(draft, case, actor=actor)
    lifecycle.endorse(draft, actor=actor)
    with pytest.raises(StrategyError, match="PEI-2021-2030 v1 está con visto bueno; solo se edita un borrador."):
        lifecycle.link_case(draft, case, actor=actor)
    lifecycle.present(draft, actor=actor)
    lifecycle.approve(draft, actor=actor)
    with pytest.raises(ApprovedPlanError):
        lifecycle.link_case(draft, case, actor=actor)


def test_the_case_starts_from_the_pei_page_once(draft, client_as):
    client = client_as("subdirector_planificacion")
    response = client.post(f"/pei/{draft.pk}/expediente/")
    draft.refresh_from_db()
    assert response["Location"] == f"/expedientes/{draft.case_id}/"
    case_page = client.get(response["Location"]).content.decode()
    assert "PEI 2021-2030, versión 1" in case_page and "PEI PEI-" not in case_page  # the plan it works on, once
    page = client.post(f"/pei/{draft.pk}/expediente/", follow=True).content.decode()
    assert f"PEI-2021-2030 v1 ya está en el expediente {draft.case.number}." in page
    assert client_as("jefe_planes_programas").post(f"/pei/{draft.pk}/expediente/").status_code == 403
