"""Read a YAML file into plain data plus the line of every value, refusing risky YAML."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

MAX_BYTES = 1_000_000
MAX_DEPTH = 20

FieldPath = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a content file, printed as ``file:line: field: problem``."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message}"


def field_name(path: FieldPath) -> str:
    """Turn ("sections", 2, "title") into "sections[2].title"."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "(file)"


@dataclass
class YamlDoc:
    """Parsed data of one file and where each value sits in it."""

    file: str
    data: Any
    lines: dict[FieldPath, int]

    def line(self, path: FieldPath) -> int:
        """Line of the value at `path`, or of its nearest parent that has one."""
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path, 1)

    def problem(self, path: FieldPath, message: str) -> Problem:
        """A Problem about the value at `path`."""
        return Problem(self.file, self.line(path), field_name(path), message)


class _Walker:
    def __init__(self, file: str) -> None:
        self.file = file
        self.lines: dict[FieldPath, int] = {}
        self.problems: list[Problem] = []
        self._constructor = yaml.constructor.SafeConstructor()

    def walk(self, node: yaml.Node, path: FieldPath) -> Any:
        self.lines[path] = node.start_mark.line + 1
        if len(path) > MAX_DEPTH:
            self.problems.append(
                Problem(self.file, node.start_mark.line + 1, field_name(path), "nested too deeply")
            )
            return None
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = self._constructor.construct_object(key_node)
                if not isinstance(key, str):
                    key = str(key)
                if key in out:
                    self.problems.append(
                        Problem(
                            self.file, key_node.start_mark.line + 1, field_name((*path, key)),
                            "duplicate key",
                        )
                    )
                    continue
                out[key] = self.walk(value_node, (*path, key))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.walk(child, (*path, i)) for i, child in enumerate(node.value)]
        return self._constructor.construct_object(node)


def read_yaml(path: Path, display: str | None = None) -> tuple[YamlDoc | None, list[Problem]]:
    """Read `path`; return the document, or None and the problems that stop reading it."""
    name = display or str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(name, 1, "(file)", f"cannot read file: {exc.strerror or exc}")]
    if len(raw) > MAX_BYTES:
        return None, [Problem(name, 1, "(file)", f"file is larger than {MAX_BYTES:,} bytes")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(name, line, "(file)", "not valid UTF-8 text")]
    if not text.strip():
        return None, [Problem(name, 1, "(file)", "file is empty")]
    try:
        # Anchors and aliases are refused outright: they are never needed in lesson text and
        # alias chains can expand into a huge document ("billion laughs").
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            anchor = getattr(event, "anchor", None)
            if isinstance(event, yaml.AliasEvent) or anchor:
                line = event.start_mark.line + 1 if event.start_mark else 1
                return None, [Problem(name, line, "(file)", "YAML anchors and aliases are not allowed")]
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        return None, [Problem(name, line, "(file)", f"not valid YAML: {exc.problem or exc}")]
    except yaml.YAMLError as exc:
        return None, [Problem(name, 1, "(file)", f"not valid YAML: {exc}")]
    except RecursionError:
        return None, [Problem(name, 1, "(file)", "nested too deeply")]
    if node is None:
        return None, [Problem(name, 1, "(file)", "file is empty")]
    walker = _Walker(name)
    try:
        data = walker.walk(node, ())
    except (yaml.YAMLError, ValueError, OverflowError) as exc:
        return None, [Problem(name, 1, "(file)", f"not valid YAML: {exc}")]
    return YamlDoc(name, data, walker.lines), walker.problems
