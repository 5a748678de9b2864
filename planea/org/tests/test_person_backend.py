"""The signed-in person is read with their active roles in one statement, as every page needs both."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from planea.org.backends import PersonBackend
from planea.org.models import Institution, RoleAssignment, _active_assignments_of

pytestmark = pytest.mark.django_db


def test_the_person_comes_with_their_active_roles_in_one_statement(demo):
    jefe = demo["jefe_planes_programas"]
    ended = RoleAssignment.objects.filter(person=jefe).first()
    RoleAssignment.objects.create(
        person=jefe, role=ended.role, org_unit=ended.org_unit.parent or ended.org_unit, active=False
    )
    with CaptureQueriesContext(connection) as queries:
        person = PersonBackend().get_user(jefe.pk)
        roles = [(a.role, a.org_unit.code) for a in person.active_assignments()]
    assert len(queries) == 1
    assert roles == [(a.role, a.org_unit.code) for a in _active_assignments_of(jefe.pk)] and roles
    assert all(a.active for a in person.active_assignments())


def test_a_person_without_roles_an_inactive_one_and_bad_ids(demo):
    backend = PersonBackend()
    lonely = type(demo["jefe_planes_programas"]).objects.create(username="sin_roles")
    assert backend.get_user(lonely.pk).active_assignments() == []
    lonely.is_active = False
    lonely.save(update_fields=["is_active"])
    assert backend.get_user(lonely.pk) is None
    for bad in (None, "x", "0", -1, 2**70, "99999999"):
        assert backend.get_user(bad) is None


def test_every_signed_in_page_reads_person_roles_and_institution_once(client_as):
    client = client_as("jefe_planes_programas")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/")
    assert page.status_code == 200 and Institution.current().short_name in page.content.decode()
    role_reads = [q["sql"] for q in queries.captured_queries if "org_roleassignment" in q["sql"]]
    assert len(role_reads) == 1 and "org_person" in role_reads[0] and "org_institution" in role_reads[0]
    assert [q for q in queries.captured_queries if "org_institution" in q["sql"]] == [
        q for q in queries.captured_queries if "org_roleassignment" in q["sql"]
    ]


def test_the_header_names_the_institution_also_when_nobody_is_signed_in(client, demo):
    page = client.get("/ingresar/")
    assert Institution.current().short_name in page.content.decode()
