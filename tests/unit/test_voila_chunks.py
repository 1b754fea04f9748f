"""Voilà's code chunks as one script (spasm_edu/voila/chunks.py): what goes in, how it is served."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from tornado.httpclient import HTTPResponse

from spasm_edu.voila import chunks
from spasm_edu.voila.config import TEMPLATE
from spasm_edu.voila.handlers import ChunksHandler, shared_routes
from tests.support import routes


def test_chunks_are_found_in_folder_order_and_missing_ones_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second, ext = tmp_path / "first", tmp_path / "second", tmp_path / "labext"
    for folder in (first, second, ext / "@x/y/static"):
        folder.mkdir(parents=True)
    (first / "1.voila.js").write_text("push(1)\n//# sourceMappingURL=1.voila.js.map\n")
    (second / "1.voila.js").write_text("push('shadowed')")
    (second / "2.voila.js").write_text("push(2)")
    (ext / "@x/y/static/7.abc.js").write_text("push(7)")
    listing = tmp_path / "chunks.txt"
    listing.write_text(
        "# comment\nstatic/1.voila.js\nstatic/2.voila.js\n\n"
        "labextensions/@x/y/static/7.abc.js\nstatic/9.voila.js\n"
    )
    monkeypatch.setattr(chunks, "LIST_FILE", listing)
    bundle = chunks.build((str(first), str(second)), (str(ext),))
    text = bundle.body.decode()
    assert bundle.missing == ("static/9.voila.js",)
    assert "shadowed" not in text and "sourceMappingURL" not in text
    assert text.index("push(1)") < text.index("push(2)") < text.index("push(7)")
    # Every chunk ends its statement, whatever its last character.
    assert text.count(";\n") == 3
    assert gzip.decompress(bundle.gzipped) == bundle.body


def test_the_listed_chunks_are_installed() -> None:
    bundle = chunks.bundle_for(TEMPLATE)
    assert not bundle.missing, (
        "chunks.txt names chunks this Voilà does not have: run "
        "tests/ui/test_voila_chunks_browser.py, which prints the list for this version. "
        f"Missing: {bundle.missing}"
    )
    assert len(chunks.listed()) > 20
    assert bundle.body.count(b"// static/") + bundle.body.count(b"// labextensions/") == len(
        chunks.listed()
    )


def _get(*requests: dict[str, str]) -> list[HTTPResponse]:
    """GET the chunk script with each set of headers, from the route both servers mount."""
    return routes.get(shared_routes("/base/"), [(f"/base/{chunks.URL_PATH}", h) for h in requests])


def test_served_compressed_or_plain_and_revalidated() -> None:
    assert any(route[1] is ChunksHandler for route in shared_routes("/"))
    bundle = chunks.bundle_for(TEMPLATE)
    plain, zipped = _get({"Accept-Encoding": "identity"}, {"Accept-Encoding": "gzip, br"})
    assert plain.code == zipped.code == 200
    assert plain.body == bundle.body
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.body) == bundle.body
    assert len(zipped.body) < len(plain.body) / 2
    for reply in (plain, zipped):
        assert reply.headers["Content-Type"].startswith("text/javascript")
        assert reply.headers["Vary"] == "Accept-Encoding"
        assert reply.headers["Cache-Control"] == "no-cache"
    assert plain.headers["Etag"] != zipped.headers["Etag"]
    again, other, stale = _get(
        {"Accept-Encoding": "gzip", "If-None-Match": zipped.headers["Etag"]},
        {"Accept-Encoding": "identity", "If-None-Match": zipped.headers["Etag"]},
        {"Accept-Encoding": "gzip", "If-None-Match": '"0123456789abcdef-gzip"'},
    )
    assert (again.code, again.body) == (304, b"")
    assert other.code == 200 and other.body == bundle.body
    assert stale.code == 200
