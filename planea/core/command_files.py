"""Files named on the command line (`import_statistics FILE`, `import_goals FILE`, `forecast_csv A.csv …`): read
whole, or refused with a Spanish sentence that names the file and says what is wrong, never the system's English."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

# Far above any real file (a national year of statistics is a few MB as CSV), low enough that a path that never
# ends (/dev/zero, /dev/urandom, a pipe left open) is refused instead of filling the machine's memory.
MAX_BYTES = 512 * 1024 * 1024


def read_file_argument(path: Path) -> bytes:
    """The bytes of `path`; CommandError (exit status 1) when it is missing, a folder, unreadable or larger than
    MAX_BYTES."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_BYTES + 1)
    except FileNotFoundError:
        problem = _("no existe")
    except IsADirectoryError:
        problem = _("es una carpeta, no un archivo")
    except PermissionError:
        problem = _("no hay permiso para leerlo")
    except OSError:
        problem = _("no se pudo leer")
    else:
        if len(data) <= MAX_BYTES:
            return data
        problem = _("pasa de %(mb)s MB; divídalo en archivos más pequeños") % {"mb": MAX_BYTES // (1024 * 1024)}
    raise CommandError(_("El archivo %(path)s %(problem)s.") % {"path": path, "problem": problem})
