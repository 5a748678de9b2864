"""Reads a workbook inside a child process that has a memory, CPU and file-size limit, so that a hostile file costs
at most that child, never the web or job worker: first the archive checks (`xlsx_archive`), then python-calamine.

Run as `python -I xlsx_child.py MEMORY_MB CPU_SECONDS MAX_OUTPUT_BYTES OUTPUT_PATH` with the .xlsx on standard
input; it imports what it needs before it reads, so that it can be started ahead (`xlsx_children`), and ends
without output when its input is empty. It writes a pickle to OUTPUT_PATH when the file is read: {"sheets":
[(name, rows), ...], "formulas": {sheet: {(row, column)}}, "errors": {sheet: {(row, column)}}} (formula cells
without value, cells holding an Excel error); {"refused": reason, "params": {...}} when a check refuses it (exit
code EXIT_REFUSED); other exit codes below. It imports the standard library, python_calamine, its sibling
`xlsx_archive` (and lxml for the rare sheet it must parse as XML), nothing of Planea's apps or of Django.
"""

from __future__ import annotations

import importlib.util
import io
import os
import pickle
import resource
import sys
from types import ModuleType

EXIT_DAMAGED = 3
EXIT_NO_MEMORY = 5
EXIT_TOO_LARGE = 7
EXIT_REFUSED = 8
MAX_CELL_TEXT = 32_767  # the most characters Excel keeps in a cell


def limit(memory_mb: int, cpu_seconds: int, max_output: int) -> None:
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    resource.setrlimit(resource.RLIMIT_FSIZE, (max_output, max_output))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def write(path: str, record: dict[str, object], max_output: int) -> int:
    output = pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL)
    if len(output) > max_output:
        return EXIT_TOO_LARGE
    with open(path, "wb") as stream:
        stream.write(output)
    return 0


def sibling(name: str) -> ModuleType:
    """A module of this folder, loaded by its path (the folder is not put on sys.path: its other modules would
    shadow standard ones, such as `numbers`)."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), f"{name}.py")
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def tables(xlsx_archive: ModuleType, data: bytes) -> dict[str, object]:
    """The checked workbook's tables and its formula cells without value; ArchiveRefused otherwise."""
    from python_calamine import CalamineWorkbook  # imported by main() before the file is read

    formulas, errors = xlsx_archive.inspect(data)
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheets = []
    cells = 0
    for name in workbook.sheet_names:
        sheet = workbook.get_sheet_by_name(name)
        cells += sheet.height * sheet.width
        if cells > xlsx_archive.MAX_CELLS:  # cells written without positions, which the checks cannot place
            raise xlsx_archive.ArchiveRefused("cells", sheet=name, limit=xlsx_archive.MAX_CELLS)
        rows = sheet.to_python(skip_empty_area=False)
        if any(isinstance(v, str) and len(v) > MAX_CELL_TEXT for row in rows for v in row):
            raise xlsx_archive.ArchiveRefused("text_too_long", limit=MAX_CELL_TEXT)
        sheets.append((name, rows))
    return {
        "sheets": sheets,
        "formulas": xlsx_archive.formulas_without_value(formulas, dict(sheets)),
        "errors": errors,
    }


def read(xlsx_archive: ModuleType, data: bytes, max_output: int, output_path: str) -> int:
    try:
        record = tables(xlsx_archive, data)
    except xlsx_archive.ArchiveRefused as refused:
        write(output_path, {"refused": refused.reason, "params": refused.params}, max_output)
        return EXIT_REFUSED
    return write(output_path, record, max_output)


def main(argv: list[str]) -> int:
    memory_mb, cpu_seconds, max_output = (int(a) for a in argv[1:4])
    output_path = argv[4]
    xlsx_archive = sibling("xlsx_archive")
    import python_calamine  # noqa: F401  # before the file arrives: a child started ahead has it ready

    data = sys.stdin.buffer.read()
    if not data:
        return EXIT_DAMAGED  # its worker ended before handing it a file, or the file is empty
    limit(memory_mb, cpu_seconds, max_output)
    try:
        return read(xlsx_archive, data, max_output, output_path)
    except MemoryError:
        return EXIT_NO_MEMORY
    except Exception:  # calamine raises several error types for damaged files
        return EXIT_DAMAGED


if __name__ == "__main__":
    sys.exit(main(sys.argv))
