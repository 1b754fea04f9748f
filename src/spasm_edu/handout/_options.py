"""The handout command's choices, kept light: building the CLI parser imports only this."""

from __future__ import annotations

from typing import Literal, get_args

Paper = Literal["a4", "letter"]
PAPERS: tuple[Paper, ...] = get_args(Paper)
Format = Literal["html", "pdf", "both"]
FORMATS: tuple[Format, ...] = get_args(Format)
