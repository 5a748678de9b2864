"""Two loads at the same moment that bring months of the same variable, cost center and year, whose row does not
exist yet: the second waits for the first and revises or keeps what it wrote, instead of failing on the row the first
inserted (a 500 on the load page, a failed job). Runs on SQLite and on PostgreSQL."""

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, transaction

from planea.audit.verify import verify_chain
from planea.statistics.loading import load, read_csv
from planea.statistics.models import StatisticalVariable, StatisticsBatch, StatisticYear
from planea.strategy.models import UnitOfMeasure

HEADER = "variable,centro_costo,mes,valor\n"


@pytest.mark.django_db(transaction=True)
def test_two_loads_of_a_new_year_at_once_both_succeed(demo):
    unit = UnitOfMeasure.objects.get_or_create(name="Persona")[0]
    StatisticalVariable.objects.create(code="CTRL-TERR", name="Personas controladas", unit=unit)
    january = (HEADER + "CTRL-TERR,0201,2025-01,100\n").encode()
    february = (HEADER + "CTRL-TERR,0201,2025-01,101\nCTRL-TERR,0201,2025-02,200\n").encode()
    first_loaded = threading.Event()
    outcomes: dict[str, str] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                load(read_csv(january), file_name="enero.csv", data=january, actor=demo["estadistica"])
                first_loaded.set()
                time.sleep(1)  # the second load starts and waits while this one is still open
            outcomes["first"] = "ok"
        except BaseException as exc:
            outcomes["first"] = f"ERROR {exc!r}"
        finally:
            first_loaded.set()
            connection.close()

    def second() -> None:
        try:
            first_loaded.wait()
            result = load(read_csv(february), file_name="febrero.csv", data=february, actor=demo["estadistica"])
            outcomes["second"] = str(result)
        except BaseException as exc:
            outcomes["second"] = f"ERROR {exc!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes == {"first": "ok", "second": "2 datos: 1 nuevos, 1 revisados, 0 iguales."}, outcomes
    row = StatisticYear.objects.get()
    assert (row.value(1), row.value(2), row.last_month) == (Decimal(101), Decimal(200), 2)
    assert row.revisions.get().value == 100
    assert StatisticsBatch.objects.count() == 2
    assert verify_chain().ok
