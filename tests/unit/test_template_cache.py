"""Compiled page templates shared between Voilà's per-page jinja environments (app.MemoryBytecodeCache)."""

from __future__ import annotations

import marshal
from pathlib import Path
from typing import Any

import jinja2
import pytest

from spasm_edu.voila.app import CachedExporter, MemoryBytecodeCache


def environment(
    folder: Path, cache: MemoryBytecodeCache, compiled: list[str]
) -> jinja2.Environment:
    """A new environment, as Voilà makes one per page view; its compilations are counted."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder), bytecode_cache=cache, autoescape=True
    )
    compile_ = env.compile

    def counted(source: str, name: str | None = None, *args: Any, **kw: Any) -> Any:
        compiled.append(str(name))
        return compile_(source, name, *args, **kw)

    env.compile = counted  # type: ignore[method-assign]
    return env


class CountedMarshal:
    """jinja2.bccache's marshal module, with its loads counted."""

    def __init__(self) -> None:
        self.loads = 0

    def load(self, f: Any) -> Any:
        self.loads += 1
        return marshal.load(f)  # noqa: S302 - jinja2.bccache does the same

    def dump(self, value: Any, f: Any) -> None:
        marshal.dump(value, f)


def test_a_new_environment_reuses_the_compiled_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted_marshal = CountedMarshal()
    monkeypatch.setattr(jinja2.bccache, "marshal", counted_marshal)
    (tmp_path / "base.html").write_text("<p>{% block body %}{% endblock %}</p>")
    (tmp_path / "page.html").write_text(
        '{% extends "base.html" %}{% block body %}Hello {{ who }}{% endblock %}'
    )
    cache, compiled = MemoryBytecodeCache(), []
    first = environment(tmp_path, cache, compiled).get_template("page.html")
    assert first.render(who="<Ana>") == "<p>Hello &lt;Ana&gt;</p>"
    assert sorted(compiled) == ["base.html", "page.html"]
    for who in ("Ben", "Chi"):  # page views two and three: nothing compiled, nothing unmarshalled
        page = environment(tmp_path, cache, compiled).get_template("page.html")
        assert page.render(who=who) == f"<p>Hello {who}</p>"
    assert sorted(compiled) == ["base.html", "page.html"]
    assert counted_marshal.loads == 0


def test_an_edited_template_is_compiled_again(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text("old {{ x }}")
    cache, compiled = MemoryBytecodeCache(), []
    assert environment(tmp_path, cache, compiled).get_template("page.html").render(x=1) == "old 1"
    page.write_text("new {{ x }}")
    assert environment(tmp_path, cache, compiled).get_template("page.html").render(x=2) == "new 2"
    assert compiled == ["page.html", "page.html"]


def test_voilas_exporters_share_one_cache() -> None:
    envs = [CachedExporter().environment for _ in range(2)]
    assert all(env.bytecode_cache is CachedExporter.bytecode_cache for env in envs)
    assert isinstance(CachedExporter.bytecode_cache, MemoryBytecodeCache)
