"""`forecast_csv`: good files are forecast through the pipeline; a malformed one stops everything, nothing written."""

import csv
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from .series_factory import seasonal

HEADER = "fecha,valor\n"


def write(path: Path, rows: list[str], header: str = HEADER) -> Path:
    path.write_text(header + "".join(f"{r}\n" for r in rows), encoding="utf-8")
    return path


def good_rows(months: int = 48, seed: int = 20, day: bool = True) -> list[str]:
    values = seasonal(months, seed=seed)
    return [f"{2021 + i // 12}-{i % 12 + 1:02d}{'-01' if day else ''},{v}" for i, v in enumerate(values)]


def run(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("forecast_csv", *args, stdout=out)
    return out.getvalue()


def test_good_files_are_forecast(tmp_path):
    a = write(tmp_path / "a.csv", good_rows())
    b = write(tmp_path / "b.csv", good_rows(40, seed=21, day=False))
    out = tmp_path / "salida"
    printed = run(str(a), str(b), "--horizon", "12", "--output-dir", str(out))
    assert "a.csv: " in printed and "MASE del backtest" in printed
    rows = list(csv.reader((out / "a.csv").open(encoding="utf-8")))
    assert rows[0] == ["fecha", "yhat", "lo80", "hi80", "lo95", "hi95"]
    assert [r[0] for r in rows[1:]][:2] == ["2025-01-01", "2025-02-01"] and len(rows) == 13
    for row in rows[1:]:
        lo95, lo80, yhat, hi80, hi95 = (float(row[i]) for i in (4, 2, 1, 3, 5))
        assert 0 <= lo95 <= lo80 <= yhat <= hi80 <= hi95
    assert (out / "b.csv").exists()


def test_until_uses_only_the_months_up_to_it(tmp_path):
    a = write(tmp_path / "a.csv", good_rows(30))
    out = tmp_path / "salida"
    printed = run(str(a), "--horizon", "3", "--until", "2022-06", "--output-dir", str(out))
    rows = list(csv.reader((out / "a.csv").open(encoding="utf-8")))
    assert [r[0] for r in rows[1:]] == ["2022-07-01", "2022-08-01", "2022-09-01"]
    assert "sin backtest" in printed  # 18 months: too short, and it says so
    printed = run(
        str(a), "--horizon", "3", "--until", "2022-06", "--exclude", "2021-03:2021-04", "--output-dir", str(out)
    )
    assert "Periodos excluidos por la planificación: 2021-03 a 2021-04." in printed


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (["2021-01,5", "2021-03,6"], "a.csv, fila 3: faltan los meses entre 2021-01 y 2021-03"),
        (["2021-01,5", "2021-01-01,6"], "a.csv, fila 3: el mes 2021-01 está repetido (ya estaba en la fila 2)"),
        (["2021-02,5", "2021-01,6"], "a.csv, fila 3: 2021-01 viene después de 2021-02"),
        (["2021-01,5", "2021-02,cinco"], "a.csv, fila 3, valor: «cinco» no es un número."),
        (["2021-01,5", "2021-02,-4"], "a.csv, fila 3, valor: no puede ser negativo."),
        (["2021-01,5", "2021-02,"], "a.csv, fila 3: falta el valor de 2021-02."),
        (["2021-01,5", "marzo,6"], "a.csv, fila 3: «marzo» no es un mes"),
        (["2021-01-15,5"], "a.csv, fila 2: «2021-01-15» no es un mes"),
        (["2021-01"], "a.csv, fila 2: se esperan dos columnas"),
        (["2021-01,1,234"], "a.csv, fila 2: tiene 3 columnas con datos y se esperan dos"),
        ([], "a.csv: no tiene filas de datos."),
    ],
)
def test_a_malformed_file_stops_everything(tmp_path, rows, message):
    good = write(tmp_path / "bueno.csv", good_rows())
    bad = write(tmp_path / "a.csv", rows)
    out = tmp_path / "salida"
    with pytest.raises(CommandError) as error:
        run(str(good), str(bad), "--output-dir", str(out))
    assert "No se escribió nada" in str(error.value)
    assert message in str(error.value)
    assert not out.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"fecha,valor\n2021-01,5\n2021-02,\xe9\n", "a.csv: no está codificado en UTF-8"),
        (b"", "a.csv: el archivo está vacío."),
        (b"2021-01,5\n2021-02,6\n", "a.csv, fila 1: falta la fila de encabezado"),
    ],
)
def test_encoding_empty_and_headerless_files(tmp_path, content, message):
    bad = tmp_path / "a.csv"
    bad.write_bytes(content)
    out = tmp_path / "salida"
    with pytest.raises(CommandError, match=message):
        run(str(bad), "--output-dir", str(out))
    assert not out.exists()


def test_bad_options(tmp_path):
    a = write(tmp_path / "a.csv", good_rows(24))
    with pytest.raises(CommandError, match="no es un mes"):
        run(str(a), "--until", "junio", "--output-dir", str(tmp_path / "o"))
    with pytest.raises(CommandError, match="no tiene meses hasta 2020-12"):
        run(str(a), "--until", "2020-12", "--output-dir", str(tmp_path / "o"))
    with pytest.raises(CommandError, match="no es un periodo"):
        run(str(a), "--exclude", "2021-05", "--output-dir", str(tmp_path / "o"))
    with pytest.raises(CommandError, match="El horizonte"):
        run(str(a), "--horizon", "0", "--output-dir", str(tmp_path / "o"))
    assert not (tmp_path / "o").exists()
