"""Exceptions of the results store, with messages a teacher can read."""

from __future__ import annotations


class StoreError(Exception):
    """The results database could not be read or used."""


class SaveError(StoreError):
    """An attempt or learner could not be saved, even after retrying."""
