"""The stylesheet of every handout, quiz sheet and answer key: plain, large type on A4 or Letter."""

from __future__ import annotations

from markupsafe import Markup

from ._options import Paper

# CSS page sizes; WeasyPrint and the browser's print dialog both read `@page { size }`.
_SIZES: dict[Paper, str] = {"a4": "A4", "letter": "letter"}

# Body text 13 pt, nothing under 12 pt; black on white, the red-flag box in dark red (7.3:1
# on its tint). The page footer is the document's title (from the <h1>, via string-set) and
# the page number: WeasyPrint draws margin boxes, and Chromium 131 and later does too.
_CSS = """
@page { size: %(size)s; margin: 16mm 16mm 20mm;
  @bottom-left { content: string(doctitle); font: 12pt "DejaVu Sans", Arial, sans-serif;
    color: #333; }
  @bottom-right { content: counter(page) " / " counter(pages);
    font: 12pt "DejaVu Sans", Arial, sans-serif; color: #333; } }
html { color: #000; background: #fff; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif;
  font-size: 13pt; line-height: 1.45; margin: 0; }
@media screen { body { max-width: 46rem; margin: 2rem auto; padding: 0 1rem; } }
h1 { font-size: 22pt; line-height: 1.2; margin: 0 0 6pt; string-set: doctitle content(); }
h2 { font-size: 17pt; line-height: 1.25; margin: 16pt 0 6pt; }
h3 { font-size: 14.5pt; margin: 12pt 0 4pt; }
h1, h2, h3 { break-after: avoid; }
p, li { margin: 0 0 6pt; orphans: 2; widows: 2; }
.summary { font-size: 14pt; }
.course { font-size: 12pt; color: #333; }
.disclaimer { font-size: 12pt; border-left: 4pt solid #555; padding: 2pt 8pt; margin: 8pt 0; }
/* The box stays whole, on the first page under the title: 12 pt, set a little tighter. */
.redflags { border: 2.5pt solid #a4121b; background: #fff4f4; padding: 4pt 12pt;
  margin: 10pt 0; break-inside: avoid; font-size: 12pt; line-height: 1.35; }
.redflags h2, .redflags h3 { color: #a4121b; margin: 4pt 0; }
.redflags ul { margin: 0 0 4pt; padding-left: 1.2em; }
.redflags li, .redflags p { margin: 0 0 2pt; }
.emergency-number { font-size: 115%%; text-decoration: underline; }
.key-points { border: 1.5pt solid #0b4f9c; padding: 4pt 12pt; margin: 10pt 0;
  break-inside: avoid; }
figure { margin: 10pt 0; break-inside: avoid; text-align: center; }
figure img { max-width: 100%%; max-height: 9cm; }
figcaption { font-size: 12pt; text-align: left; margin-top: 4pt; }
.ticks { list-style: none; padding-left: 0; }
.ticks li { padding-left: 1.6em; text-indent: -1.6em; }
.box { font-size: 16pt; line-height: 1; }
.write-line { border-bottom: 1px solid #555; height: 1cm; }
.reviewed { font-size: 12pt; color: #333; }
.sources { font-size: 12pt; }
.sources .url { word-break: break-all; }
.lesson + .lesson { break-before: page; }
.question { break-inside: avoid; margin: 0 0 10pt; }
.question h2 { font-size: 15pt; margin-bottom: 2pt; }
.question ul { list-style: none; padding-left: 0.4em; }
.hint { font-style: italic; }
.blank { display: inline-block; width: 2.6em; height: 1.3em; border: 1.5pt solid #000;
  vertical-align: middle; margin-right: 6pt; }
.name-line { display: flex; gap: 2em; margin: 8pt 0 14pt; }
.name-line span { flex: 1; border-bottom: 1px solid #000; padding-bottom: 2pt; }
.verdict { font-weight: bold; }
.feedback { display: block; margin-left: 1.6em; }
.write { list-style: none; padding-left: 0.4em; }
.write li { padding-left: 3.3em; text-indent: -3.3em; }
"""


def stylesheet(paper: Paper) -> Markup:
    """The CSS for one paper size (A4 or US Letter)."""
    return Markup(_CSS % {"size": _SIZES[paper]})  # noqa: S704 (our own CSS, no text in it)
