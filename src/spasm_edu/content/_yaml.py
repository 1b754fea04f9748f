"""Read a YAML file into plain data plus the line of every value, refusing risky YAML."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

MAX_BYTES = 1_000_000
MAX_DEPTH = 20
_TOO_DEEP = f"nested too deeply (more than {MAX_DEPTH} levels)"
# YAML events (values, starts and ends of lists and mappings). A lesson has about 600; the bound
# keeps a 1 MB file of tiny values from taking seconds to check.
MAX_EVENTS = 20_000
# libyaml reads a 1 MB file in a fraction of a second; pure-Python PyYAML needs about 16 s for
# one full of small values. Every wheel of PyYAML ships libyaml, so the fallback is for odd builds.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CORE = "tag:yaml.org,2002:"
# Only the plain data types a lesson needs: any other tag (!!python/object, !!binary, !!set, ...)
# is either unsafe or would hand the checks a type they do not expect.
ALLOWED_TAGS = {
    _CORE + t for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}
# PyYAML resolves a bare "=" or "<<" value to these tags but has no constructor for them; as a
# value (not a key) they are just text.
TEXT_TAGS = {_CORE + "value", _CORE + "merge"}
# Characters that would break the one-line `file:line: field: problem` output.
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]+")

FieldPath = tuple[str | int, ...]


def one_line(text: str) -> str:
    """`text` with newlines and other control characters written as escapes."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a content file, printed as ``file:line: field: problem``."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return one_line(f"{self.file}:{self.line}: {self.field}: {self.message}")


def _key_name(key: str) -> str:
    # A field must print as one word: odd keys (spaces, dots, empty, very long) are quoted and
    # their spaces escaped, so `file:line: field: problem` stays parseable.
    if _PLAIN_KEY.fullmatch(key) and len(key) <= 60:
        return key
    short = key if len(key) <= 40 else key[:39] + "…"
    escaped = "".join(
        f"\\u{ord(ch):04x}" if ch.isspace() or not ch.isprintable() else ch
        for ch in short.replace("\\", "\\\\").replace('"', '\\"')
    )
    return f'"{escaped}"'


def field_name(path: FieldPath) -> str:
    """Turn ("sections", 2, "title") into "sections[2].title"."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            name = _key_name(part)
            out += f"[{name}]" if name.startswith('"') else (f".{name}" if out else name)
    return out or "(file)"


@dataclass
class YamlDoc:
    """Parsed data of one file and where each value sits in it."""

    file: str
    data: Any
    lines: dict[FieldPath, int]
    # Values the reader already reported (a refused tag, a date that does not exist): they read
    # as None, and the checks should not add "must not be empty" about them.
    unreadable: frozenset[FieldPath] = frozenset()

    def line(self, path: FieldPath) -> int:
        """Line of the value at `path`, or of its nearest parent that has one."""
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path, 1)

    def problem(self, path: FieldPath, message: str) -> Problem:
        """A Problem about the value at `path`."""
        return Problem(self.file, self.line(path), field_name(path), message)


def _tag_name(tag: str) -> str:
    return "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag


def _short(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


class _Walker:
    def __init__(self, file: str) -> None:
        self.file = file
        self.lines: dict[FieldPath, int] = {}
        self.problems: list[Problem] = []
        self.unreadable: set[FieldPath] = set()
        self._constructor = yaml.constructor.SafeConstructor()

    def add(self, node: yaml.Node, path: FieldPath, message: str) -> None:
        line = node.start_mark.line + 1
        self.problems.append(Problem(self.file, line, field_name(path), message))

    def walk(self, node: yaml.Node, path: FieldPath) -> Any:
        self.lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.ScalarNode) and node.tag in TEXT_TAGS:
            return node.value
        if node.tag not in ALLOWED_TAGS:
            self.add(node, path, f"YAML tag '{_short(_tag_name(node.tag))}' is not allowed")
            self.unreadable.add(path)
            return None
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in node.value:
                key = self._key(key_node, path)
                if key is None:
                    continue
                if key in out:
                    self.add(key_node, (*path, key), "duplicate key")
                    continue
                out[key] = self.walk(value_node, (*path, key))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.walk(child, (*path, i)) for i, child in enumerate(node.value)]
        try:
            value = self._constructor.construct_object(node)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            # Dates like 2026-13-45 look like dates to YAML but do not exist; Python refuses
            # integers of over 4300 digits.
            if node.tag == _CORE + "int":
                message = "number is too large"
            elif node.tag == _CORE + "timestamp":
                message = f"'{_short(node.value)}' is not a real date: {exc}"
            else:
                reason = exc.problem if isinstance(exc, yaml.MarkedYAMLError) else exc
                message = f"cannot read '{_short(node.value)}': {reason}"
            self.add(node, path, message)
            self.unreadable.add(path)
            return None
        if isinstance(value, int) and value.bit_length() > 64:
            # `1:2:3:...` (base 60 in YAML 1.1) builds huge numbers that Python will not print.
            self.add(node, path, "number is too large")
            self.unreadable.add(path)
            return None
        return value

    def _key(self, node: yaml.Node, path: FieldPath) -> str | None:
        # Keys are kept as written (`1` stays "1", `true` stays "true"): fields are named by text.
        if not isinstance(node, yaml.ScalarNode):
            self.add(node, path, "a key must be plain text, not a list or mapping")
            return None
        if node.tag == _CORE + "merge":
            self.add(node, path, "merge keys (<<) are not allowed; write each field out")
            return None
        if node.tag not in ALLOWED_TAGS | TEXT_TAGS:
            self.add(node, path, f"YAML tag '{_short(_tag_name(node.tag))}' is not allowed")
            return None
        return str(node.value)


def _check_events(text: str, name: str) -> Problem | None:
    """The first anchor, alias, too-deep nesting or excess of values, before building anything."""
    depth = 0
    for count, event in enumerate(yaml.parse(text, Loader=_LOADER), 1):
        line = event.start_mark.line + 1 if event.start_mark else 1
        # Anchors and aliases are refused outright: they are never needed in lesson text and
        # alias chains can expand into a huge document ("billion laughs").
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            return Problem(name, line, "(file)", "YAML anchors and aliases are not allowed")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            # Checked here, not while building: building recurses, and 10,000 brackets would
            # overflow the stack.
            if depth > MAX_DEPTH:
                return Problem(name, line, "(file)", _TOO_DEEP)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        if count > MAX_EVENTS:
            return Problem(
                name,
                line,
                "(file)",
                f"more than {MAX_EVENTS:,} YAML values; a lesson has a few hundred",
            )
    return None


def _syntax_problem(name: str, text: str, exc: yaml.MarkedYAMLError) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 1
    message = exc.problem or exc.context or "unreadable"
    if "nesting depth" in message:  # libyaml's own limit, hit before ours when it looks ahead
        return Problem(name, line, "(file)", _TOO_DEEP)
    if exc.context and message.startswith("but "):
        message = f"{exc.context} {message}"  # "expected a single document ... but found another"
    lines = text.splitlines()
    if mark and mark.line < len(lines) and lines[mark.line][mark.column : mark.column + 1] == "\t":
        message = "tab character: YAML is indented with spaces, never tabs"
    return Problem(name, line, "(file)", f"not valid YAML: {message}")


def _reader_problem(name: str, raw: bytes, text: str, exc: yaml.reader.ReaderError) -> Problem:
    # libyaml counts the position in UTF-8 bytes, pure-Python PyYAML in characters.
    if _LOADER is yaml.SafeLoader:
        line = text[: exc.position].count("\n") + 1
    else:
        line = raw[: exc.position].count(b"\n") + 1
    char = exc.character if isinstance(exc.character, int) else ord(str(exc.character or "\0")[0])
    return Problem(name, line, "(file)", f"not valid YAML: {exc.reason} (character #x{char:04x})")


def read_yaml(path: Path, display: str | None = None) -> tuple[YamlDoc | None, list[Problem]]:
    """Read `path`; return the document, or None and the problems that stop reading it."""
    name = display or str(path)
    try:
        if not path.is_file():
            # A named pipe or device would block or never end.
            return None, [Problem(name, 1, "(file)", "not a regular file")]
        with path.open("rb") as stream:
            raw = stream.read(MAX_BYTES + 1)  # never read all of a huge file
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
        stop = _check_events(text, name)
        if stop is not None:
            return None, [stop]
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(name, text, exc)]
    except yaml.reader.ReaderError as exc:
        return None, [_reader_problem(name, raw, text, exc)]
    except yaml.YAMLError as exc:
        return None, [Problem(name, 1, "(file)", f"not valid YAML: {exc}")]
    if node is None:
        return None, [Problem(name, 1, "(file)", "file is empty")]
    walker = _Walker(name)
    data = walker.walk(node, ())
    return YamlDoc(name, data, walker.lines, frozenset(walker.unreadable)), walker.problems
