"""Files named on the command line (`import_statistics FILE`, `import_goals FILE`, `forecast_csv A.csv …`): read
whole, or refused with a Spanish sentence that names the file and says what is wrong, never the system's English."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def read_file_argument(path: Path) -> bytes:
    """The bytes of `path`; CommandError (exit status 1) when it is missing, a folder or unreadable."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        problem = _("no existe")
    except IsADirectoryError:
        problem = _("es una carpeta, no un archivo")
    except PermissionError:
        problem = _("no hay permiso para leerlo")
    except OSError:
        problem = _("no se pudo leer")
    raise CommandError(_("El archivo %(path)s %(problem)s.") % {"path": path, "problem": problem})
