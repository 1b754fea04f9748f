"""A first visit to the start page opens in the language the browser prefers (Accept-Language)."""

from __future__ import annotations

import re

import pytest
import requests

from spasm_edu.settings import START_PAGE
from spasm_edu.voila.handlers import preferred_language

LANGUAGES = ("en", "es")
KERNEL_ID = re.compile(r'"kernelId": "([0-9a-f-]{36})"')


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("es-MX,es;q=0.9,en;q=0.5", "es"),
        ("en-US,en;q=0.9,es;q=0.8", "en"),
        ("fr-FR,fr;q=0.9,es;q=0.7,en;q=0.5", "es"),  # no French: the next one offered
        ("de-DE,de;q=0.9", None),
        ("es;q=0, en", "en"),  # q=0 means "not this one"
        ("en;q=0.3, ES;q=0.8", "es"),
        ("", None),
        ("es;q=abc", None),
    ],
)
def test_preferred_language(header: str, expected: str | None) -> None:
    assert preferred_language(header, LANGUAGES) == expected


@pytest.mark.dashboard
def test_a_first_visit_opens_in_spanish_and_keeps_the_class_code(voila_server: str) -> None:
    url = f"{voila_server}/voila/render/{START_PAGE}?class=BIO-7"
    spanish = {"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}
    answer = requests.get(url, headers=spanish, allow_redirects=False, timeout=30)
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(f"/{START_PAGE}?class=BIO-7&lang=es")


@pytest.mark.dashboard
@pytest.mark.parametrize(
    "query", ["?lang=en", f"?learner={'a' * 32}"], ids=["chosen-language", "returning-learner"]
)
def test_a_chosen_language_or_a_returning_learner_is_not_redirected(
    voila_server: str, voila_kernels: list[str], query: str
) -> None:
    _assert_page(f"{voila_server}/voila/render/{START_PAGE}{query}", "es", voila_kernels)


@pytest.mark.dashboard
def test_an_english_browser_is_not_redirected(voila_server: str, voila_kernels: list[str]) -> None:
    _assert_page(f"{voila_server}/voila/render/{START_PAGE}", "en-GB,en", voila_kernels)


def _assert_page(url: str, accept: str, kernels: list[str]) -> None:
    """The start page itself answers (no redirect); its kernel is shut down at the end."""
    answer = requests.get(
        url, headers={"Accept-Language": accept}, allow_redirects=False, timeout=120
    )
    kernels.extend(KERNEL_ID.findall(answer.text))
    assert answer.status_code == 200, answer.status_code
