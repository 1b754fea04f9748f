"""Helpers shared by the test tiers (and the benchmark client); tests import `tests.support...`.

- `widgets`: find widgets by their stable `spasm-*` CSS classes, and drive a question card.
- `answers`: what to answer for a question, right or wrong, for every question type.
"""
