"""What tests read of processes on Linux: the pidfds a process holds open."""

from __future__ import annotations

import os
from pathlib import Path


def pidfds(owner: int) -> dict[int, int]:
    """The pidfds process `owner` holds open: fd -> the pid it refers to (-1: ended, reaped)."""
    found = {}
    for fd in Path(f"/proc/{owner}/fd").iterdir():
        try:
            if os.readlink(fd) != "anon_inode:[pidfd]":
                continue
            info = Path(f"/proc/{owner}/fdinfo/{fd.name}").read_text()
        except OSError:  # closed meanwhile
            continue
        for line in info.splitlines():
            if line.startswith("Pid:"):
                found[int(fd.name)] = int(line.split()[1])
    return found
