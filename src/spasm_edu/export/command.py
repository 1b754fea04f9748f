"""The `spasm-edu export` command: write the question bank in an LMS's import format."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from . import FORMATS, ExportError, export


def add_export_command(sub: Any) -> None:  # argparse's subparsers action has no public type
    """Register `spasm-edu export` with the command's subparsers."""
    parser = sub.add_parser(
        "export",
        help="write the quiz questions for an LMS: Moodle (GIFT or XML), Canvas, QTI 2.1",
        description="Write the question bank of the whole course, or of some lessons, in a "
        "format an LMS imports. Questions a format cannot express are left out and listed.",
    )
    parser.add_argument(
        "--format",
        required=True,
        choices=list(FORMATS),
        help="; ".join(f"{f.name}: {f.description}" for f in FORMATS.values()),
    )
    parser.add_argument(
        "--lesson",
        action="append",
        default=[],
        metavar="LESSON_ID",
        help="export only this lesson (repeatable; default: every lesson)",
    )
    parser.add_argument(
        "--out",
        metavar="PATH",
        help="file to write, or a folder to write it in "
        "(default: spasm-edu-<format> with its extension, in the current folder)",
    )
    parser.set_defaults(func=run_export)


def run_export(args: argparse.Namespace) -> int:
    """Write the export; print what it wrote and what it left out. Returns the exit status."""
    from ..content import load_course

    course, _ = load_course()
    try:
        result = export(course, args.format, args.lesson)
    except ExportError as exc:
        print(f"spasm-edu: error: {exc}", file=sys.stderr)
        return 1
    out = Path(args.out) if args.out else Path(result.filename)
    if out.is_dir():
        out = out / result.filename
    try:
        out.write_bytes(result.data)
    except OSError as exc:
        print(f"spasm-edu: error: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(
        f"Wrote {len(result.questions)} question(s) to {out} "
        f"({FORMATS[result.format].description})."
    )
    if result.left_out:
        print(f"Left out {len(result.left_out)} question(s) that {result.format} cannot express:")
        for left in result.left_out:
            print(f"  {left}")
    return 0
