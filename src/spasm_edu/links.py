"""Every link from one page of the course to another: the one place that keeps the learner.

A learner who joined a class is known only by ``?learner=...`` in the page address. A link
that drops it opens the next page for a new, anonymous learner, whose answers never reach the
class. So every page link is made here (and, once there is a second language, keeps ``lang``
too). tests/widgets/test_page_links.py checks every link of every page, and
tests/ui_class/test_class_links.py goes through the course by them in a browser.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from markupsafe import Markup

__all__ = ["page_link", "page_url"]


def page_url(
    notebook: str, *, learner: str | None = None, lang: str | None = None, **query: str
) -> str:
    """The address of a page of the course, relative to the page that links to it.

    Parameters
    ----------
    notebook
        The page's notebook, e.g. ``Lesson.notebook`` or ``settings.START_PAGE``; every page is
        in the same folder.
    learner
        The learner id of the page that links, kept so the next page knows who answers.
    lang
        The language of the page that links, kept so the next page is in it too (English, the
        default, is left out of the address).
    query
        Any other parameter of the address, e.g. ``present="1"``.

    Returns
    -------
    The address as text, not escaped for HTML: `page_link` makes the ``<a>`` element.
    """
    params = {"learner": learner, "lang": None if lang == "en" else lang, **query}
    found = urlencode({k: v for k, v in params.items() if v})
    path = quote(notebook)
    return f"{path}?{found}" if found else path


def page_link(
    notebook: str,
    label: str,
    *,
    learner: str | None = None,
    lang: str | None = None,
    aria_label: str | None = None,
    **query: str,
) -> Markup:
    """An ``<a>`` element to a page of the course, keeping the learner (see `page_url`).

    `label` is text (escaped here) or `Markup` (kept as it is); so is `aria_label`.
    """
    href = page_url(notebook, learner=learner, lang=lang, **query)
    if aria_label is None:
        return Markup('<a href="{}">{}</a>').format(href, label)
    return Markup('<a href="{}" aria-label="{}">{}</a>').format(href, aria_label, label)
