"""The code chunks every page's Voilà app loads, as one script instead of 88 requests.

Voilà's app (webpack) and each widget extension's `remoteEntry` (rspack) load their code in
chunks, one request each, after the page has arrived: 88 requests per first visit, each costing
the server's single core about a millisecond (tornado's HTTP handling), and each costing a
phone a round trip. A chunk file only registers its modules in a global array
(`self.webpackChunk… .push([[ids], {modules}])`), which the runtime reads when it starts and
watches afterwards, and a chunk it already holds is never fetched. So one script that
concatenates the chunks, loaded before Voilà's own, makes every one of those requests vanish
and runs no module sooner than before.

`chunks.txt` lists them (paths under `/voila/`), as a real Chromium fetched them on every page
of the course; every page loads the same set. A chunk missing from the list still loads the
usual way (slower, never broken); tests/ui/test_voila_chunks_browser.py fails when the list
is stale, for example after a Voilà or ipywidgets upgrade, and prints the new list.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LIST_FILE = Path(__file__).with_name("chunks.txt")
URL_PATH = "spasm-edu/static/voila-chunks.js"  # under the server's base URL
_SOURCE_MAP = re.compile(rb"^//# sourceMappingURL=.*$", re.MULTILINE)
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Bundle:
    body: bytes
    gzipped: bytes  # compressed once: a quarter of the bytes for a phone, no CPU per request
    etag: str
    missing: tuple[str, ...]  # listed, but in none of the folders (another version installed)


def listed() -> tuple[str, ...]:
    """The chunk paths in chunks.txt: `static/N.voila.js` or `labextensions/…/static/F.js`."""
    lines = LIST_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def _find(path: str, static_dirs: Sequence[str], labext_dirs: Sequence[str]) -> Path | None:
    kind, _, rest = path.partition("/")
    folders = static_dirs if kind == "static" else labext_dirs
    for folder in folders:
        candidate = Path(folder) / rest
        if candidate.is_file():
            return candidate
    return None


def build(static_dirs: tuple[str, ...], labext_dirs: tuple[str, ...]) -> Bundle:
    """The listed chunks found in Voilà's static folders and the labextension folders, searched
    in order as Voilà's own file handlers do."""
    parts: list[bytes] = []
    missing: list[str] = []
    for path in listed():
        found = _find(path, static_dirs, labext_dirs)
        if found is None:
            missing.append(path)
            continue
        # Each chunk ends its own statement; source maps would point at the wrong file.
        parts.append(b"// " + path.encode() + b"\n" + _SOURCE_MAP.sub(b"", found.read_bytes()))
    if missing:
        log.warning(
            "spasm-edu: %d of Voilà's code chunks are not installed (%s…); pages load them "
            "one by one instead. tests/ui/test_voila_chunks_browser.py prints the list for "
            "this version.",
            len(missing),
            missing[0],
        )
    body = b";\n".join(parts) + b";\n"
    gzipped = gzip.compress(body, compresslevel=6, mtime=0)
    return Bundle(body, gzipped, hashlib.sha256(body).hexdigest()[:16], tuple(missing))


@lru_cache(maxsize=4)
def voila_folders(template: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Where Voilà serves `/voila/static/` and `/voila/labextensions/` from, for `template`."""
    from voila.utils import get_voila_labextensions_path

    from .static_paths import static_paths

    static = static_paths(["voila", "nbconvert"], template)
    return tuple(static), tuple(get_voila_labextensions_path())


_BUILT: dict[str, Bundle] = {}


def built(template: str) -> Bundle | None:
    """The bundle for `template` once `bundle_for` has made it (in a thread: about 0.2 s)."""
    return _BUILT.get(template)


def bundle_for(template: str) -> Bundle:
    if template not in _BUILT:
        _BUILT[template] = build(*voila_folders(template))
    return _BUILT[template]
