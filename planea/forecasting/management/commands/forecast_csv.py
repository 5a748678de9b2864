"""`python manage.py forecast_csv A.csv B.csv … --horizon 12 [--until 2025-06] [--exclude 2020-03:2022-12]
--output-dir DIR`: forecasts standalone monthly series with the pipeline of the forecast runs (`pipeline.forecast`,
no second code path).

Each file: a header row, then one row per month — the month (`2024-03` or `2024-03-01`) and its value (a number ≥ 0,
a point for decimals). Writes DIR/<file name> with `fecha,yhat,lo80,hi80,lo95,hi95` for the `horizon` months after
the last month used (up to `--until`; `--exclude` marks an atypical period, as on a series page) and prints per
series the chosen model and its backtest MASE. A malformed file (a month missing, repeated or out of order, a value
that is text, negative or empty, a file not in UTF-8 or empty) stops the command with a Spanish message naming the
file and the row, and nothing is written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from planea.core.command_files import read_file_argument
from planea.forecasting.pipeline import Series, forecast
from planea.forecasting.standalone import (
    SeriesFileError,
    names_clash,
    parse_month,
    read_series,
    summary,
    write_forecasts,
)

MAX_HORIZON = 60


class Command(BaseCommand):
    help = "Pronostica series mensuales de archivos CSV (mes,valor) con el mismo método de las corridas de pronóstico."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--horizon", type=int, default=12, help="meses a pronosticar (1 a 60)")
        parser.add_argument("--until", help="usar solo los meses hasta este (2025-06)")
        parser.add_argument(
            "--exclude",
            action="append",
            default=[],
            metavar="DESDE:HASTA",
            help="periodo atípico que no entra al entrenamiento, p. ej. 2020-03:2022-12 (se puede repetir)",
        )
        parser.add_argument("--output-dir", type=Path, required=True, help="carpeta donde se escriben los pronósticos")

    def handle(self, *args: Any, **options: Any) -> None:
        files: list[Path] = options["files"]
        horizon: int = options["horizon"]
        if not 1 <= horizon <= MAX_HORIZON:
            raise CommandError(_("El horizonte debe estar entre 1 y %(max)s meses.") % {"max": MAX_HORIZON})
        until = None
        if options["until"]:
            until = parse_month(options["until"])
            if until is None:
                raise CommandError(
                    _("--until «%(value)s» no es un mes; escríbalo como 2025-06.") % {"value": options["until"]}
                )
        excluded = []
        for span in options["exclude"]:
            first, _sep, last = span.partition(":")
            bounds = parse_month(first), parse_month(last)
            if bounds[0] is None or bounds[1] is None or bounds[0] > bounds[1]:
                raise CommandError(
                    _("--exclude «%(value)s» no es un periodo; escríbalo como 2020-03:2022-12.") % {"value": span}
                )
            excluded.append((bounds[0], bounds[1]))
        clash = names_clash([p.name for p in files])
        if clash:
            raise CommandError(
                _("Dos archivos con el mismo nombre escribirían el mismo pronóstico: %(names)s.")
                % {"names": ", ".join(clash)}
            )
        output: Path = options["output_dir"]
        if output.exists() and not output.is_dir():
            raise CommandError(_("%(path)s no es una carpeta.") % {"path": output})
        errors: list[str] = []
        series: list[Series] = []
        for path in files:
            try:
                data = read_file_argument(path)
            except CommandError as unreadable:
                errors.append(str(unreadable))
                continue
            try:
                start, values = read_series(path.name, data, until)
            except SeriesFileError as rejected:
                errors.extend(rejected.errors)
                continue
            series.append(Series(key=path.name, start=start, values=values, excluded=excluded))
        if errors:
            raise CommandError(_("No se escribió nada:\n%(errors)s") % {"errors": "\n".join(errors)})
        results = forecast(series, horizon=horizon)
        output.mkdir(parents=True, exist_ok=True)
        for result in results:
            (output / result.key).write_text(write_forecasts(result), encoding="utf-8")
            self.stdout.write(summary(result.key, result))
            if result.note:
                self.stdout.write(f"  {result.note}")
        self.stdout.write(
            _("Pronósticos escritos en %(dir)s (%(n)s meses desde %(first)s).")
            % {"dir": output, "n": horizon, "first": results[0].forecasts[0].month.isoformat()[:7] if results else "—"}
        )
