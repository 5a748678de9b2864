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


@pytest.mark.parametrize("command", ["import_statistics", "import_goals"])
def test_a_file_that_never_ends_is_refused_without_filling_memory(
    command: str, tmp_path: Path, demo: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """/dev/zero (or a pipe left open) was read whole: 22 GB of memory before the machine stopped it."""
    monkeypatch.setattr("planea.core.command_files.MAX_BYTES", 1024 * 1024)
    with pytest.raises(CommandError, match=r"/dev/zero pasa de 1 MB; divídalo en archivos más pequeños\.$"):
        call_command(command, "/dev/zero")
    large = tmp_path / "grande.csv"
    large.write_bytes(b"x" * (1024 * 1024 + 1))
    with pytest.raises(CommandError, match="grande.csv pasa de 1 MB"):
        call_command(command, str(large))
