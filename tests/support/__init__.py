"""Helpers shared by the test tiers (and the benchmark client); tests import `tests.support...`.

- `widgets`: find widgets by their stable `spasm-*` CSS classes, and drive a question card.
- `answers`: what to answer for a question, right or wrong, for every question type.
- `servers`: `spasm-edu serve` on a free loopback port (start_server, stop), Chromium's flags,
  releasing a page's kernel.
- `postgres`: a throwaway PostgreSQL server for the store tests.
- `lessons`: a valid lesson as data and as a file (the base of the loader and corpus tests).
- `hostile`: hostile text (markup, scripts, very long lines) for the escaping tests.
"""
