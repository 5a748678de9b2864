"""Loading statistics in long form: a batch with the file's SHA-256, revisions that keep the earlier value, and every
bad row refused by row and column with nothing written; the command does the same."""

import hashlib
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from planea.audit.models import AuditEvent
from planea.statistics.loading import MAX_ERRORS, StatisticsRejected, load_csv, read_csv
from planea.statistics.models import StatisticalVariable, StatisticRevision, StatisticsBatch, StatisticYear
from planea.strategy.models import UnitOfMeasure

pytestmark = pytest.mark.django_db

GOOD = (
    b"variable,centro_costo,mes,valor\n"
    b"CTRL-TERR,0201,2025-01,65142\n"
    b'CTRL-TERR,0202,2025-01,"34,743"\n'
    b"CTRL-TERR,0201,2025-02,51183\n"
    b"PAS-EMIT,,2025-01,46136\n"
)


@pytest.fixture
def variables(demo):
    persons, documents = (UnitOfMeasure.objects.get_or_create(name=n)[0] for n in ("Persona", "Documento"))
    return (
        StatisticalVariable.objects.create(
            code="CTRL-TERR", name="Personas controladas en puestos terrestres", unit=persons
        ),
        StatisticalVariable.objects.create(
            code="PAS-EMIT", name="Pasaportes emitidos", unit=documents, per_cost_center=False
        ),
    )


def test_a_load_is_one_batch_with_its_file_and_an_audit_event(variables, demo):
    result = load_csv(GOOD, file_name="enero.csv", actor=demo["estadistica"])
    batch = StatisticsBatch.objects.get()
    assert (batch.file_name, batch.rows, batch.sha256) == ("enero.csv", 4, hashlib.sha256(GOOD).hexdigest())
    assert (result.created, result.revised, result.unchanged) == (4, 0, 0)
    assert StatisticYear.objects.get(variable__code="CTRL-TERR", cost_center__code="0202").value(1) == Decimal(34743)
    assert StatisticYear.objects.get(variable__code="PAS-EMIT").cost_center is None
    event = AuditEvent.objects.get(action="statistics_loaded")
    assert event.after["sha256"] == batch.sha256 and "4 datos" in event.summary


def test_a_value_loaded_again_is_a_revision_that_keeps_the_earlier_one(variables, demo):
    first = load_csv(GOOD, file_name="enero.csv", actor=demo["estadistica"]).batch
    again = GOOD.replace(b"65142", b"65200")
    result = load_csv(again, file_name="enero-revisado.csv", actor=demo["estadistica"])
    assert (result.created, result.revised, result.unchanged) == (0, 1, 3)
    revised = StatisticYear.objects.get(variable__code="CTRL-TERR", cost_center__code="0201", year=2025)
    assert revised.value(1) == 65200 and revised.batch_id_of(1) == result.batch.pk
    (revision,) = StatisticRevision.objects.all()
    assert (revision.statistic, revision.month) == (revised, 1)
    assert (revision.value, revision.batch, revision.replaced_by) == (Decimal(65142), first, result.batch)
    assert result.batch.revised == 1


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("NO-EXISTE,0201,2025-03,5", "Fila 2, columna variable: «NO-EXISTE» no está en el catálogo de variables."),
        (",0201,2025-03,5", "Fila 2, columna variable: falta el código de la variable."),
        ("CTRL-TERR,9999,2025-03,5", "Fila 2, columna centro_costo: «9999» no es un centro de costo."),
        ("CTRL-TERR,,2025-03,5", "Fila 2, columna centro_costo: la variable CTRL-TERR se cuenta por centro de costo."),
        ("PAS-EMIT,0201,2025-03,5", "Fila 2, columna centro_costo: la variable PAS-EMIT es de toda la institución"),
        ("CTRL-TERR,0201,2099-01,5", "Fila 2, columna mes: 2099-01 aún no ha terminado; se cargan meses cerrados."),
        ("CTRL-TERR,0201,marzo,5", "Fila 2, columna mes: «marzo» no es un mes como 2026-03."),
        ("CTRL-TERR,0201,2025-13,5", "Fila 2, columna mes: «2025-13» no es un mes como 2026-03."),
        ("CTRL-TERR,0201,2025-03,mucho", "Fila 2, columna valor: «mucho» no es un número."),
        ("CTRL-TERR,0201,2025-03,1e308", "Fila 2, columna valor: «1e308» no es un número."),
        ("CTRL-TERR,0201,2025-03,١٠", "Fila 2, columna valor: «١٠» tiene dígitos de otra escritura"),
        ("CTRL-TERR,0201,2025-03,-4", "Fila 2, columna valor: «-4» no puede ser negativo."),
        ("CTRL-TERR,0201,2025-03,", "Fila 2, columna valor: está vacía."),
        ("CTRL-TERR,0201,2025-03", "Fila 2, tiene 3 columnas; se esperan 4"),
    ],
)
def test_a_bad_row_is_named_by_row_and_column_and_nothing_is_written(variables, demo, row, message):
    data = f"variable,centro_costo,mes,valor\n{row}\nCTRL-TERR,0201,2025-04,7\n".encode()
    with pytest.raises(StatisticsRejected) as rejected:
        load_csv(data, file_name="malo.csv", actor=demo["estadistica"])
    assert any(error.startswith(message) for error in rejected.value.errors), rejected.value.errors
    assert not StatisticYear.objects.exists() and not StatisticsBatch.objects.exists()


def test_a_repeated_row_a_wrong_header_and_a_corrupt_file_are_refused(variables):
    repeated = b"variable,centro_costo,mes,valor\nCTRL-TERR,0201,2025-03,5\nCTRL-TERR,0201,2025-03,6\n"
    with pytest.raises(StatisticsRejected, match="Fila 3, repite CTRL-TERR, 0201, 2025-03 de una fila anterior."):
        read_csv(repeated)
    with pytest.raises(StatisticsRejected, match="La primera fila debe ser el encabezado"):
        read_csv(b"var,cc,month,value\nCTRL-TERR,0201,2025-03,5\n")
    with pytest.raises(StatisticsRejected, match="no es un CSV de texto en UTF-8"):
        read_csv(b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xff\xfe")
    with pytest.raises(StatisticsRejected, match="no trae ningún dato"):
        read_csv(b"variable,centro_costo,mes,valor\n\n")


def test_the_command_loads_a_good_file_and_refuses_a_bad_one_writing_nothing(variables, tmp_path, capsys):
    good, bad = tmp_path / "enero.csv", tmp_path / "malo.csv"
    good.write_bytes(GOOD)
    bad.write_bytes(GOOD + b"CTRL-TERR,0201,2025-03,-1\n")
    with pytest.raises(CommandError) as refused:
        call_command("import_statistics", str(bad))
    assert "No se cargó nada" in str(refused.value) and "Fila 6, columna valor" in str(refused.value)
    assert not StatisticYear.objects.exists()
    call_command("import_statistics", str(good))
    assert "4 datos: 4 nuevos, 0 revisados, 0 iguales." in capsys.readouterr().out
    assert StatisticsBatch.objects.get().loaded_by.username == "estadistica"


def test_a_large_file_is_read_row_by_row_and_stops_at_the_error_limit(variables):
    """Reading stops at MAX_ERRORS: what follows (here bytes that are not UTF-8) is never decoded, so a huge file of
    bad rows is refused at once instead of being held whole as text and as a list of rows."""
    bad_rows = "".join(f"CTRL-TERR,0201,2025-03,x{n}\n" for n in range(MAX_ERRORS + 5000))
    data = "\ufeffvariable,centro_costo,mes,valor\n".encode() + bad_rows.encode() + b"\xff\xfe" * 1000
    with pytest.raises(StatisticsRejected) as rejected:
        read_csv(data)
    assert rejected.value.errors[0] == "Fila 2, columna valor: «x0» no es un número."
    assert rejected.value.errors[-1].startswith("… y quizá más")
    # bytes that are not UTF-8 among the first rows are still named as such
    with pytest.raises(StatisticsRejected, match="no es un CSV de texto en UTF-8"):
        read_csv(b"variable,centro_costo,mes,valor\nCTRL-TERR,0201,2025-03,5\n\xff\n")


INSERT = "INSERT INTO statistics_statisticyear (variable_id, cost_center_id, year, last_month)"


@pytest.mark.parametrize(
    "sql",
    [
        f"{INSERT} VALUES (999999, NULL, 2025, 1)",
        f"{INSERT} SELECT {{variable}}, 999999, 2025, 1",
        "UPDATE statistics_statisticyear SET cost_center_id = 999999",
        "UPDATE statistics_statisticyear SET variable_id = 999999",
        "DELETE FROM org_costcenter WHERE code = '0202'",
        "DELETE FROM statistics_statisticalvariable WHERE code = 'PAS-EMIT'",
    ],
)
def test_the_database_refuses_rows_that_name_nothing_and_deleting_what_rows_name(variables, demo, sql):
    """What a foreign key refuses, the triggers that stand for it refuse too, whatever writes to the database (on
    SQLite, a deletion is refused by Django: see migration 0003)."""
    from django.db import IntegrityError, connection, transaction
    from django.db.models import ProtectedError

    from planea.org.models import CostCenter

    load_csv(GOOD, file_name="enero.csv", actor=demo["estadistica"])
    if sql.startswith("DELETE") and connection.vendor == "sqlite":
        with pytest.raises(ProtectedError), transaction.atomic():
            CostCenter.objects.get(code="0202").delete() if "costcenter" in sql else variables[1].delete()
    else:
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql.format(variable=variables[0].pk))
    assert StatisticYear.objects.count() == 3


def test_what_excel_does_to_a_csv_is_named_or_read(variables, demo):
    """Three things Excel does to a CSV a planner opens and saves: the semicolon of a comma-decimal language (named),
    a center code without its leading zeros (the code it was is suggested), and a month as 03/2025 (read)."""
    with pytest.raises(StatisticsRejected) as rejected:
        read_csv(b"variable;centro_costo;mes;valor\nCTRL-TERR;0201;2025-03;5\n")
    assert "separa las columnas con punto y coma" in rejected.value.errors[0]
    with pytest.raises(StatisticsRejected) as rejected:
        read_csv(b"variable,centro_costo,mes,valor\nCTRL-TERR,201,2025-03,5\n")
    expected = "Fila 2, columna centro_costo: «201» no es un centro de costo. ¿Es 0201?"
    assert rejected.value.errors[0].startswith(expected)
    with pytest.raises(StatisticsRejected) as rejected:  # no center 0999: no suggestion
        read_csv(b"variable,centro_costo,mes,valor\nCTRL-TERR,999,2025-03,5\n")
    assert rejected.value.errors == ["Fila 2, columna centro_costo: «999» no es un centro de costo."]
    result = load_csv(
        b"variable,centro_costo,mes,valor\nCTRL-TERR,0201,03/2025,5\nCTRL-TERR,0201,4/2025,6\n",
        file_name="excel.csv",
        actor=demo["estadistica"],
    )
    assert result.created == 2
    row = StatisticYear.objects.get(variable__code="CTRL-TERR", cost_center__code="0201", year=2025)
    assert (row.value(3), row.value(4)) == (Decimal(5), Decimal(6))
    with pytest.raises(StatisticsRejected, match="«13/2025» no es un mes como 2026-03"):
        read_csv(b"variable,centro_costo,mes,valor\nCTRL-TERR,0201,13/2025,5\n")
