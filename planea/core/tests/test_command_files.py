"""A file named on the command line that cannot be read is refused in Spanish, naming it, by every command that
reads one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


@pytest.mark.parametrize("command", ["import_statistics", "import_goals"])
def test_a_missing_file_or_a_folder_is_refused_in_spanish(command: str, tmp_path: Path, demo: Any) -> None:
    with pytest.raises(CommandError, match=r"no existe\.$") as missing:
        call_command(command, str(tmp_path / "nada.csv"))
    assert "nada.csv" in str(missing.value)
    with pytest.raises(CommandError, match="es una carpeta, no un archivo"):
        call_command(command, str(tmp_path))
