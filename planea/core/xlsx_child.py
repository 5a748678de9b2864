"""Reads a workbook with python-calamine inside a child process that has a memory, CPU and file-size limit, so that
a file which slipped past the archive checks can cost at most that child, never the web or job worker.

Run as `python -I xlsx_child.py MEMORY_MB CPU_SECONDS MAX_CELLS MAX_OUTPUT_BYTES OUTPUT_PATH` with the .xlsx on
standard input; it writes a pickle of {"sheets": [(name, rows), ...]} to OUTPUT_PATH, or exits with one of the codes
below. It imports only the standard library and python_calamine, and nothing of Planea or Django.
"""

from __future__ import annotations

import pickle
import resource
import sys

EXIT_DAMAGED = 3
EXIT_TOO_MANY_CELLS = 4
EXIT_NO_MEMORY = 5
EXIT_TEXT_TOO_LONG = 6
EXIT_TOO_LARGE = 7
MAX_CELL_TEXT = 32_767  # the most characters Excel keeps in a cell


def limit(memory_mb: int, cpu_seconds: int, max_output: int) -> None:
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))
    resource.setrlimit(resource.RLIMIT_FSIZE, (max_output, max_output))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def main(argv: list[str]) -> int:
    memory_mb, cpu_seconds, max_cells, max_output = (int(a) for a in argv[1:5])
    output_path = argv[5]
    data = sys.stdin.buffer.read()
    limit(memory_mb, cpu_seconds, max_output)
    import io

    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        del data
        sheets = []
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
            if sheet.height * sheet.width > max_cells:
                return EXIT_TOO_MANY_CELLS
            rows = sheet.to_python(skip_empty_area=False)
            if any(isinstance(v, str) and len(v) > MAX_CELL_TEXT for row in rows for v in row):
                return EXIT_TEXT_TOO_LONG
            sheets.append((name, rows))
        output = pickle.dumps({"sheets": sheets}, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        return EXIT_NO_MEMORY
    except Exception:  # calamine raises several error types for damaged files
        return EXIT_DAMAGED
    if len(output) > max_output:
        return EXIT_TOO_LARGE
    with open(output_path, "wb") as stream:
        stream.write(output)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
