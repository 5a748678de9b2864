"""The parsing children of a worker process. Every file is read by a new child (`xlsx_child`) under memory, CPU and
output limits; after a worker's first file, one child is kept started ahead, so that the next file does not wait
for Python to start and import the reader (about a sixth of reading a national template).

A kept child has done nothing but its imports: it waits for a file on its standard input, reads that one file and
exits. It exits too when its worker does (its standard input closes), and a child started by another process (a
worker forked after it) or under other limits is never handed a file.
"""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from . import xlsx_child

CHILD_SCRIPT = Path(xlsx_child.__file__)


@dataclass
class Limits:
    memory_mb: int
    cpu_seconds: int
    output_bytes: int


@dataclass
class Outcome:
    """How a child ended: its exit code, the end of its standard error, and its output (None when it wrote none
    within the output limit)."""

    returncode: int
    stderr: bytes
    output: bytes | None


class TimedOut(Exception):
    """The child took longer than its limit and was killed."""


@dataclass
class _Child:
    limits: Limits
    process: subprocess.Popen[bytes]
    folder: tempfile.TemporaryDirectory[str]
    owner: int = field(default_factory=os.getpid)

    @property
    def output(self) -> Path:
        return _output(self.folder)

    def usable(self, limits: Limits) -> bool:
        """Started by this process, under these limits, still waiting, and its folder still there (a cleaner of
        temporary files may have taken it)."""
        return (
            self.owner == os.getpid()
            and self.limits == limits
            and self.process.poll() is None
            and Path(self.folder.name).is_dir()
        )

    def discard(self) -> None:
        if self.owner != os.getpid():
            return  # another process's child: its stdin closes with that process
        self.process.kill()
        self.process.communicate()
        self.folder.cleanup()


def _output(folder: tempfile.TemporaryDirectory[str]) -> Path:
    """Where the child writes the tables it read (a file whose size the child's limit caps)."""
    return Path(folder.name) / "tables.pickle"


def _start(limits: Limits) -> _Child:
    folder = tempfile.TemporaryDirectory(prefix="planea-xlsx-", ignore_cleanup_errors=True)
    command = [
        sys.executable,
        "-I",
        str(CHILD_SCRIPT),
        str(limits.memory_mb),
        str(limits.cpu_seconds),
        str(limits.output_bytes),
        str(_output(folder)),
    ]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return _Child(limits, process, folder)


_lock = threading.Lock()
_ready: _Child | None = None


def _take(limits: Limits) -> _Child:
    global _ready
    with _lock:
        child, _ready = _ready, None
    if child is not None and child.usable(limits):
        return child
    if child is not None:
        child.discard()
    return _start(limits)


def _keep_one(limits: Limits) -> None:
    global _ready
    with _lock:
        previous, _ready = _ready, _start(limits)
    if previous is not None:  # another thread kept one meanwhile
        previous.discard()


@atexit.register
def _release() -> None:
    global _ready
    with _lock:
        child, _ready = _ready, None
    if child is not None:
        child.discard()


def read(data: bytes, limits: Limits) -> Outcome:
    """Hand `data` to a child and wait for it (TimedOut past its CPU limit and five seconds more). Then a new child
    is started for the next file."""
    child = _take(limits)
    try:
        try:
            _stdout, stderr = child.process.communicate(data, timeout=limits.cpu_seconds + 5)
        except subprocess.TimeoutExpired as exc:
            child.process.kill()
            child.process.communicate()
            raise TimedOut from exc
        output = None
        path = child.output
        if path.exists() and path.stat().st_size <= limits.output_bytes:
            output = path.read_bytes()
        return Outcome(child.process.returncode, stderr[-500:], output)
    finally:
        child.folder.cleanup()
        _keep_one(limits)
