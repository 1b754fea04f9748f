"""The spasm-edu command: validate content, serve the lessons, report reading levels."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import MutableMapping, Sequence
from pathlib import Path

from .settings import (
    DATABASE_URL_ENV,
    EMERGENCY_NUMBER_ENV,
    PASSCODE_ENV,
    PUBLIC_URL_ENV,
    START_PAGE,
    URGENT_CARE_ENV,
    educator_passcode,
)


def _validate(args: argparse.Namespace) -> int:
    from .content import check_paths

    problems = check_paths([Path(p) for p in args.paths], today=args.today)
    if not args.paths:  # the quick check and the app's own words, in every language
        from .content.checks import check_translated_checks
        from .strings import check_translations

        problems = sorted([*problems, *check_translated_checks(), *check_translations()])
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) found.", file=sys.stderr)
        return 1
    print("All content is valid.", file=sys.stderr)
    return 0


def _iso_date(value: str) -> dt.date:
    """An argparse type: a calendar date written YYYY-MM-DD."""
    # fromisoformat alone would also take 20261125 on Python 3.11+, but not on 3.10.
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(
        f"'{value}' is not a valid date: write it YYYY-MM-DD, like 2026-11-25"
    )


def exposure_warning(host: str, passcode: str | None) -> str | None:
    """A warning when the server is reachable by other machines and has no passcode."""
    if host in ("127.0.0.1", "localhost", "::1") or passcode:
        return None
    return (
        f"spasm-edu: warning: serving on {host}, reachable by other machines, "
        "without an educator passcode: anyone who can reach it can use it. Set "
        "--educator-passcode, and put it behind a proxy with HTTPS."
    )


def _local_setting(value: str) -> str:
    """An argparse type: an emergency number or urgent-care route, one short line of text."""
    from .local_help import MAX_LENGTH, clean

    cleaned = clean(value)
    if cleaned is None or len(value.strip()) > MAX_LENGTH or not value.strip().isprintable():
        raise argparse.ArgumentTypeError(
            f"'{value}' should be one line of at most {MAX_LENGTH} characters, like 112 or NHS 111"
        )
    return cleaned


def set_local_help(
    environ: MutableMapping[str, str], emergency_number: str | None, urgent_care: str | None
) -> list[str]:
    """Put the serve options that every page shows into the environment kernels inherit.

    Returns the lines to print about what pages will show (set here or already set).
    """
    from .local_help import LocalHelp

    if emergency_number:
        environ[EMERGENCY_NUMBER_ENV] = emergency_number
    if urgent_care:
        environ[URGENT_CARE_ENV] = urgent_care
    local = LocalHelp.from_environ(environ)
    return [
        f"spasm-edu: pages name the emergency number as: "
        f"{local.emergency_number or 'your local emergency number (set --emergency-number)'}",
        f"spasm-edu: pages name the same-day route as: "
        f"{local.urgent_care or 'urgent care (set --urgent-care)'}",
    ]


def _public_url(value: str) -> str:
    """An http(s) address with a host, for `serve --public-url`."""
    from urllib.parse import urlsplit

    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise argparse.ArgumentTypeError(f"not an http(s) address: {value!r}")
    return value.strip()


def _serve(args: argparse.Namespace) -> int:
    import os

    from .results import ResultsStore, StoreError
    from .server import notebooks_dir, serve

    notebooks = Path(args.notebooks) if args.notebooks else notebooks_dir()
    if not (notebooks / START_PAGE).is_file():
        print(f"spasm-edu: no start page in {notebooks}", file=sys.stderr)
        return 2
    # Kernels inherit the server's environment: this is how each page finds the store.
    if args.db:
        url = args.db if "://" in args.db else f"sqlite:///{Path(args.db).resolve()}"
        os.environ[DATABASE_URL_ENV] = url
    if args.educator_passcode:
        os.environ[PASSCODE_ENV] = args.educator_passcode
    if args.public_url:
        os.environ[PUBLIC_URL_ENV] = args.public_url
    for line in set_local_help(os.environ, args.emergency_number, args.urgent_care):
        print(line, file=sys.stderr)
    store = ResultsStore()
    try:
        store.migrate()
    except StoreError as exc:
        print(f"spasm-edu: warning: results cannot be saved: {exc}", file=sys.stderr)
    print(f"spasm-edu: results are saved in {store.url}", file=sys.stderr)
    warning = exposure_warning(args.host, educator_passcode())
    if warning:
        print(warning, file=sys.stderr)
    serve(
        notebooks,
        host=args.host,
        port=args.port,
        open_browser=not args.no_browser,
        class_size=args.class_size,
        class_pages=args.class_page or [START_PAGE],
        warm=args.warm,
        fork=args.fork,
    )
    return 0


def _notebooks(args: argparse.Namespace) -> int:
    from ._notebooks import write_notebooks
    from .content import load_course

    course, _ = load_course()
    written = write_notebooks(course, Path(args.folder))
    print("\n".join(written) or "Notebooks are up to date.")
    return 0


def _jupyter_config(args: argparse.Namespace) -> int:
    from .server import write_jupyter_config

    for path in write_jupyter_config(Path(args.folder).expanduser()):
        print(path)
    return 0


def _sources(args: argparse.Namespace) -> int:
    from ._docs import sources_markdown
    from .content import load_course

    course, _ = load_course()
    Path(args.file).write_text(sources_markdown(course), encoding="utf-8")
    print(args.file)
    return 0


def _readability(args: argparse.Namespace) -> int:
    from .content import load_course
    from .readability import (
        CEILING_GRADE,
        CEILING_INFLESZ,
        TARGET_GRADE,
        TARGET_INFLESZ,
        table,
    )

    course, _ = load_course(language=args.lang)
    print(table(course.lessons, args.lang))
    if args.lang == "es":
        print(f"\nTarget: INFLESZ {TARGET_INFLESZ:g} or higher; ceiling {CEILING_INFLESZ:g}.")
    else:
        print(
            f"\nTarget: Flesch-Kincaid grade {TARGET_GRADE:g} or lower; ceiling {CEILING_GRADE:g}."
        )
    return 0


def _purge(args: argparse.Namespace) -> int:
    from .results import ResultsStore

    store = ResultsStore(args.db) if args.db else ResultsStore()
    if args.learner:
        done = store.delete_learner(args.learner)
    elif args.class_code is not None:
        done = store.delete_class(args.class_code)
    else:
        done = store.purge_older_than(args.days)
    print(f"Deleted {done.attempts} answer(s) and {done.learners} learner(s) from {store.url}.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the spasm-edu command."""
    parser = argparse.ArgumentParser(prog="spasm-edu", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    validate = sub.add_parser("validate", help="check content files; exit 1 if any has a problem")
    validate.add_argument(
        "paths", nargs="*", help="lesson files or content folders (default: shipped)"
    )
    validate.add_argument(
        "--today",
        type=_iso_date,
        metavar="YYYY-MM-DD",
        help="check review dates as if today were this date (default: the real date)",
    )
    validate.set_defaults(func=_validate)
    serve = sub.add_parser("serve", help="serve the lessons with Voilà")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8866)
    serve.add_argument("--no-browser", action="store_true", help="do not open a web browser")
    serve.add_argument("--notebooks", help="folder of notebooks (default: ./notebooks)")
    serve.add_argument(
        "--db",
        help="SQLite file or SQLAlchemy URL for results "
        f"(default: ${DATABASE_URL_ENV}, else the user's data folder)",
    )
    serve.add_argument(
        "--educator-passcode",
        help=f"passcode for the educator page (or ${PASSCODE_ENV})",
    )
    serve.add_argument(
        "--emergency-number",
        type=_local_setting,
        metavar="NUMBER",
        help="the local emergency number that every page names, e.g. 112 (most of Europe), "
        f"911 or 999 (or ${EMERGENCY_NUMBER_ENV}; default wording: 'your local emergency "
        "number')",
    )
    serve.add_argument(
        "--urgent-care",
        type=_local_setting,
        metavar="TEXT",
        help="where to get help the same day besides a doctor, e.g. 'NHS 111' "
        f"(or ${URGENT_CARE_ENV}; default wording: 'urgent care')",
    )
    serve.add_argument(
        "--class-size",
        type=int,
        default=0,
        metavar="N",
        help="prepare for a class of N students arriving together: warm kernels "
        "before they arrive, a kernel cap with a 'busy' page, culling of closed "
        "tabs (see README, 'Serving a class')",
    )
    serve.add_argument(
        "--class-page",
        action="append",
        metavar="NOTEBOOK",
        help="with --class-size: a page the class opens together, e.g. "
        "01-what-is-a-back-spasm.ipynb (repeatable; default: the start page)",
    )
    serve.add_argument(
        "--warm",
        type=int,
        default=1,
        metavar="N",
        help="without --class-size: kernels kept warm per page so it opens fast (default 1, "
        "about 75 MB each; 0: start a kernel when a page opens, and show content edits at once)",
    )
    serve.add_argument(
        "--no-fork",
        dest="fork",
        action="store_false",
        help="start each kernel as a new Python instead of forking it from the kernel template "
        "(slower starts, several times the memory; for comparison and diagnosis)",
    )
    serve.add_argument(
        "--public-url",
        type=_public_url,
        metavar="URL",
        help="the address students reach this server at, e.g. http://10.0.0.5:8866, for the "
        f"presenter's join QR code (or ${PUBLIC_URL_ENV}; default: the presenter page's address)",
    )
    serve.set_defaults(func=_serve)
    readability = sub.add_parser("readability", help="print reading-level figures per lesson")
    readability.add_argument(
        "--lang",
        default="en",
        choices=("en", "es"),
        help="language of the lessons to measure: en (Flesch-Kincaid, SMOG) or es "
        "(Szigriszt-Pazos INFLESZ, Fernández Huerta)",
    )
    readability.set_defaults(func=_readability)
    purge = sub.add_parser("purge", help="delete old answers, one learner, or one class")
    purge.add_argument("--days", type=float, default=180, help="delete answers older than this")
    who = purge.add_mutually_exclusive_group()
    who.add_argument("--learner", help="delete this learner id and all their answers")
    who.add_argument("--class", dest="class_code", help="delete this class and its answers")
    purge.add_argument("--db", help="SQLite file or SQLAlchemy URL (default as for serve)")
    purge.set_defaults(func=_purge)
    notebooks = sub.add_parser(
        "notebooks", help="(for authors) write the thin notebooks from content"
    )
    notebooks.add_argument("folder", nargs="?", default="notebooks")
    notebooks.set_defaults(func=_notebooks)
    jupyter_config = sub.add_parser(
        "jupyter-config",
        help="write Voilà's settings for the lessons (voila.json, kernel culling) into a Jupyter "
        "config folder, for Binder and JupyterHub (e.g. ~/.jupyter or /etc/jupyter)",
    )
    jupyter_config.add_argument("folder")
    jupyter_config.set_defaults(func=_jupyter_config)
    sources = sub.add_parser("sources", help="(for authors) write the list of cited sources")
    sources.add_argument("file", nargs="?", default="docs/sources.md")
    sources.set_defaults(func=_sources)
    from .export.command import add_export_command

    add_export_command(sub)
    from .handout.command import register as register_handout  # light: argparse and choices

    register_handout(sub, _local_setting)  # spasm-edu handout [--quiz] [--paper] [--format]
    results = sub.add_parser(
        "results",
        help="write a class's gradebook: one row per student, 1/0 per question, scores "
        "as on the educator page (--long: one row per answer)",
    )
    results.add_argument("--class", dest="class_code", required=True, help="the class code")
    results.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    results.add_argument("--long", action="store_true", help="one row per answer, for analysis")
    results.add_argument("--out", metavar="FILE", help="write here (default: standard output)")
    results.add_argument("--db", help="SQLite file or SQLAlchemy URL (default as for serve)")

    def _results(args: argparse.Namespace) -> int:
        from .gradebook import results_command  # imported when used: the CLI starts fast

        return results_command(args)

    results.set_defaults(func=_results)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # never a traceback for a user of the command
        print(f"spasm-edu: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
