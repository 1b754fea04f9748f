"""How every page is built: the page's CSS, as one <style> block (readable type, visible focus,
contrast of 4.5:1 or more), the shared layout and style models that keep a page's widget count
low, and the few builders (`page`, `html`, `button`, ...) every view makes its widgets with."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar, cast

import ipywidgets as widgets
import traitlets
from ipywidgets.widgets.widget_bool import CheckboxStyle
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_int import ProgressStyle, SliderStyle
from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle
from markupsafe import Markup, escape

__all__ = [
    "CSS",
    "CheckboxStyle",
    "DescriptionStyle",
    "HTMLStyle",
    "PageView",
    "ProgressStyle",
    "SafeHTML",
    "TextStyle",
    "button",
    "dropdown",
    "html",
    "is_visible",
    "layout",
    "page",
    "row",
    "set_visible",
    "shared",
    "slider",
    "text_field",
    "vbox",
]

_Model = TypeVar("_Model", bound=widgets.Widget)
_SHARED: dict[tuple[type, tuple[tuple[str, Any], ...]], widgets.Widget] = {}
HIDDEN = "spasm-hidden"


def shared(kind: type[_Model], **traits: Any) -> _Model:
    """One Layout or Style model with these values, for every widget that asks for it.

    ipywidgets gives every widget a Layout and a Style model of its own: on a lesson page that
    is 100 of its 210 models, each built, sent and drawn for every visitor. Sharing one is
    supported, but then nobody may change its traits: every widget that shares it would change.
    Hide and show with `set_visible` (a CSS class) instead of ``layout.display``.
    """
    key = (kind, tuple(sorted(traits.items())))
    model = _SHARED.get(key)
    if model is None or getattr(model, "comm", None) is None:  # new, or closed since
        model = _SHARED[key] = kind(**traits)
    return cast("_Model", model)


def layout(**traits: Any) -> widgets.Layout:
    """The shared Layout with these values (none: the default layout)."""
    return shared(widgets.Layout, **traits)


class SafeHTML(widgets.HTML):
    """An HTML widget whose value is escaped unless it is `Markup` (markup we built).

    ipywidgets shows the value unsanitised and Voilà trusts it, so a plain string, such as a
    nickname assigned by mistake, is shown as text, never read as markup.
    """

    @traitlets.validate("value")
    def _escape_value(self, proposal: dict[str, Any]) -> Markup:
        return escape(proposal["value"])


def html(value: str = "", css: str = "") -> SafeHTML:
    """An HTML widget with the shared layout and style; `css`: a class for it.

    `value` is escaped unless it is `Markup`; so is every later value.
    """
    w = SafeHTML(value, layout=layout(), style=shared(HTMLStyle))
    if css:
        w.add_class(css)
    return w


def button(description: str, css: str = "", *, primary: bool = False) -> widgets.Button:
    """A button with the shared layout and style; its tooltip is its label."""
    w = widgets.Button(
        description=description,
        tooltip=description,
        button_style="primary" if primary else "",
        layout=layout(),
        style=shared(widgets.ButtonStyle),
    )
    if css:
        w.add_class(css)
    return w


def vbox(children: Iterable[widgets.Widget] = (), css: str = "") -> widgets.VBox:
    """A column with the shared layout."""
    w = widgets.VBox(list(children), layout=layout())
    if css:
        w.add_class(css)
    return w


def row(children: Iterable[widgets.Widget], css: str = "") -> widgets.HBox:
    """A row (of buttons, say) that wraps on a narrow screen, with the shared layout."""
    w = widgets.HBox(list(children), layout=layout(flex_flow="row wrap", grid_gap="0.4rem"))
    if css:
        w.add_class(css)
    return w


def text_field(description: str, *, placeholder: str = "", password: bool = False) -> widgets.Text:
    """A labelled text input (a password input: `password`) with the shared layout and style."""
    kind = widgets.Password if password else widgets.Text
    return kind(
        description=description,
        placeholder=placeholder,
        style=shared(TextStyle, description_width="initial"),
        layout=layout(),
    )


def dropdown(options: Sequence[tuple[str, str]], description: str) -> widgets.Dropdown:
    """A labelled list of (label, value) options, the first chosen, with the shared models."""
    return widgets.Dropdown(
        options=list(options),
        description=description,
        style=shared(DescriptionStyle, description_width="initial"),
        layout=layout(),
    )


def slider(description: str, maximum: int, css: str = "") -> widgets.IntSlider:
    """A slider from 1 to `maximum` with no readout: it takes the arrow keys natively."""
    w = widgets.IntSlider(
        value=1,
        min=1,
        max=maximum,
        description=description,
        readout=False,
        continuous_update=True,
        layout=layout(),
        style=shared(SliderStyle),
    )
    if css:
        w.add_class(css)
    return w


def set_visible(widget: widgets.DOMWidget, visible: bool) -> None:
    """Show or hide a widget by a CSS class (its layout may be shared with others)."""
    if visible:
        widget.remove_class(HIDDEN)
    else:
        widget.add_class(HIDDEN)


def is_visible(widget: widgets.DOMWidget) -> bool:
    """False when `set_visible` hid the widget."""
    return HIDDEN not in widget._dom_classes


def page(children: Iterable[widgets.Widget], *css: str) -> widgets.VBox:
    """The column of a page: the CSS first, then `children`; classes spasm-page and `css`."""
    w = vbox([html(CSS), *children], "spasm-page")
    for name in css:
        w.add_class(name)
    return w


class PageView(widgets.VBox):
    """A whole page: one column with the shared layout, and a short text form.

    IPython shows a cell's result with its text form too, and ipywidgets builds that from
    every trait of every child: about 15 ms of a visitor's wait on a lesson page, for text
    nobody sees.
    """

    def __init__(self, children: Sequence[widgets.Widget], **kwargs: Any) -> None:
        kwargs.setdefault("layout", layout())
        super().__init__(children=list(children), **kwargs)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


# Every colour is a custom property, in four sets; each set's selector weighs one class, so the
# later set wins. Light is the default. Dark follows JupyterLab's dark theme and Voilà's
# ?theme=dark (both mark <body data-jp-theme-light="false">), and a Voilà page when the system
# asks for dark (our template then loads JupyterLab's dark theme too). Forced colours (Windows
# contrast themes) get system colours, so what is drawn and what axe-core measures agree.
# Contrast of text on every background it sits on (white or the page's tints; dark: #111 to
# #2a2a2a and the dark tints): light 17.2 text, 10.9 muted, 8.0 links, 7.3 red, 6.0 green,
# 7.5 brown, 8.0 the blue button; dark 14.3 text, 8.5 muted, 6.5 links (JupyterLab's #64b5f6;
# 6.8 ours), 7.1 red, 8.3 green, 8.0 orange, 9.0 the blue button.
CSS = Markup("""
<style>
.spasm-page, .spasm-main { color-scheme: light;
  --spasm-fg: #1b1b1b; --spasm-muted: #3d3d3d; --spasm-rule: #6b6b6b; --spasm-border: #8a8a8a;
  --spasm-link: #0b4f9c; --spasm-accent: #0b4f9c; --spasm-danger: #a4121b; --spasm-ok: #1e6b2e;
  --spasm-warn: #7a3e00; --spasm-danger-bg: #fff4f4; --spasm-ok-bg: #eef8f0;
  --spasm-info-bg: #eef4fb; --spasm-primary-bg: #0b4f9c; --spasm-primary-fg: #fff;
  --spasm-focus: #0b4f9c; }
:where([data-jp-theme-light="false"]) :is(.spasm-page, .spasm-main) { color-scheme: dark;
  --spasm-fg: var(--jp-content-font-color1, #fff); --spasm-muted: #c8c8c8; --spasm-rule: #9e9e9e;
  --spasm-link: var(--jp-content-link-color, #8ab4f8); --spasm-accent: #8ab4f8;
  --spasm-danger: #ff9c9c; --spasm-ok: #8fd69c; --spasm-warn: #f5b56b;
  --spasm-danger-bg: #3d1518; --spasm-ok-bg: #14301c; --spasm-info-bg: #152638;
  --spasm-primary-bg: #8ab4f8; --spasm-primary-fg: #111; --spasm-focus: #8ab4f8; }
@media (prefers-color-scheme: dark) {
  :where(body[data-voila]) :is(.spasm-page, .spasm-main) { color-scheme: dark;
    --spasm-fg: var(--jp-content-font-color1, #fff); --spasm-muted: #c8c8c8;
    --spasm-rule: #9e9e9e; --spasm-link: var(--jp-content-link-color, #8ab4f8);
    --spasm-accent: #8ab4f8; --spasm-danger: #ff9c9c; --spasm-ok: #8fd69c; --spasm-warn: #f5b56b;
    --spasm-danger-bg: #3d1518; --spasm-ok-bg: #14301c; --spasm-info-bg: #152638;
    --spasm-primary-bg: #8ab4f8; --spasm-primary-fg: #111; --spasm-focus: #8ab4f8; }
}
@media (forced-colors: active) {
  :is(.spasm-page, .spasm-main) { --spasm-fg: CanvasText; --spasm-muted: CanvasText;
    --spasm-rule: CanvasText; --spasm-border: CanvasText; --spasm-link: LinkText;
    --spasm-accent: CanvasText; --spasm-danger: CanvasText; --spasm-ok: CanvasText;
    --spasm-warn: CanvasText; --spasm-danger-bg: Canvas; --spasm-ok-bg: Canvas;
    --spasm-info-bg: Canvas; --spasm-primary-bg: ButtonFace; --spasm-primary-fg: ButtonText;
    --spasm-focus: Highlight; }
  /* Without colour, a wrong answer's bar is double and a right answer's solid. */
  .spasm-feedback-wrong { border-left-style: double !important; }
}
.spasm-hidden { display: none !important; }
.spasm-page { max-width: 46rem; margin: 0 auto; font-size: 1.05rem; line-height: 1.55;
  color: var(--spasm-fg); overflow-wrap: anywhere; }
.spasm-page .widget-html-content { font-size: 1.05rem; line-height: 1.55;
  color: var(--spasm-fg); }
.spasm-page h2 { font-size: 1.4rem; margin: 1.4rem 0 0.5rem; color: var(--spasm-fg); }
.spasm-page h3 { font-size: 1.15rem; margin: 0.6rem 0 0.4rem; color: var(--spasm-fg); }
.spasm-page a { color: var(--spasm-link); text-decoration: underline; }
.spasm-page :focus-visible, .spasm-page input:focus, .spasm-page select:focus,
.spasm-page button:focus { outline: 3px solid var(--spasm-focus) !important;
  outline-offset: 2px; }
.spasm-disclaimer { font-size: 0.95rem; color: var(--spasm-muted);
  border-left: 4px solid var(--spasm-rule); padding: 0.2rem 0.6rem; margin: 0.4rem 0; }
.spasm-redflags { border: 2px solid var(--spasm-danger); background: var(--spasm-danger-bg);
  color: var(--spasm-fg); padding: 0.4rem 0.8rem; border-radius: 6px; margin: 0.6rem 0; }
.spasm-redflags p { margin: 0.3rem 0; }
.spasm-redflags-title { color: var(--spasm-danger); }
.spasm-evidence { border-left: 5px solid var(--spasm-accent); background: var(--spasm-info-bg);
  padding: 0.3rem 0.8rem; margin: 0.6rem 0; }
.spasm-figure { margin: 0.8rem 0; }
.spasm-figure img { max-width: 100%; height: auto; display: block; }
.spasm-figure figcaption { font-size: 0.95rem; color: var(--spasm-muted); }
.spasm-sources summary { cursor: pointer; color: var(--spasm-link); font-weight: 600; }
.spasm-sources { font-size: 0.95rem; margin: 0.4rem 0 1rem; }
.spasm-nav { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 0.5rem;
  margin: 0.6rem 0; }
.spasm-card { border: 1px solid var(--spasm-border); border-radius: 6px;
  padding: 0.5rem 0.8rem !important; margin: 0.8rem 0 !important; }
.spasm-card .widget-radio-box label, .spasm-card .widget-checkbox label,
.spasm-card .widget-label, .spasm-card .widget-label-basic, .spasm-card .widget-inline-hbox label {
  white-space: normal !important; overflow: visible !important; height: auto !important;
  line-height: 1.4 !important; color: var(--spasm-fg); font-size: 1rem; }
.spasm-card .widget-radio-box label { margin: 0.3rem 0; }
.spasm-card .widget-checkbox { width: auto !important; height: auto !important; }
.spasm-card .widget-dropdown { flex-wrap: wrap; height: auto !important; }
/* Widgets given width 100% also keep ipywidgets' 2px margins and overflow their box by 4px,
   which scrolls sideways on a phone: let the column stretch them instead. */
.spasm-card .widget-dropdown, .spasm-page .spasm-progress-bar { width: auto !important; }
.spasm-card .widget-dropdown > label { width: 100% !important; max-width: 100% !important;
  text-align: left !important; }
.spasm-card .widget-dropdown > select { max-width: 20rem; font-size: 1rem; }
.spasm-card button { font-size: 1rem !important; height: auto !important; min-height: 2.2rem;
  padding: 0.2rem 0.9rem !important; }
.spasm-card .widget-button.mod-primary { background: var(--spasm-primary-bg);
  color: var(--spasm-primary-fg); }
.spasm-feedback-right { border-left: 5px solid var(--spasm-ok); background: var(--spasm-ok-bg);
  padding: 0.3rem 0.7rem; }
.spasm-feedback-wrong { border-left: 5px solid var(--spasm-danger);
  background: var(--spasm-danger-bg); padding: 0.3rem 0.7rem; }
.spasm-feedback-right .spasm-verdict { color: var(--spasm-ok); }
.spasm-feedback-wrong .spasm-verdict { color: var(--spasm-danger); }
.spasm-notice { color: var(--spasm-warn); }
.spasm-score { border: 2px solid var(--spasm-accent); border-radius: 6px; padding: 0.4rem 0.8rem; }
.spasm-lessons li { margin: 0.4rem 0; }
.spasm-progress .widget-label, .spasm-page .widget-label, .spasm-page .widget-label-basic,
.spasm-page .widget-inline-hbox label { color: var(--spasm-fg); }
.spasm-presenter .widget-slider, .spasm-presenter-poll .widget-dropdown,
.spasm-page .widget-text, .spasm-page .widget-password { width: auto !important;
  max-width: 100%; }
.spasm-presenter-poll .widget-dropdown { flex-wrap: wrap; height: auto !important; }
.spasm-presenter-poll .widget-dropdown > label { width: 100% !important; max-width: 100% !important;
  text-align: left !important; }
.spasm-presenter-poll .widget-dropdown > select { max-width: 100%; }
/* Presenter mode: a 16:9 projector screen over the whole window. Every size is in --spasm-u,
   a hundredth of the height of the largest 16:9 box the window holds, so what fits at 1366x768
   fits at 1920x1080 too; body type is 4.2 of them (32 px at 768 px high: 1.9x the lesson's
   16.8 px). The notebook's own title cell is hidden: the title screen says it. */
:where(body:has(.spasm-presenter)) .jp-MarkdownCell { display: none; }
.spasm-page.spasm-presenter { --spasm-u: min(1vh, 0.5625vw); position: fixed; inset: 0;
  z-index: 50; max-width: none; margin: 0; box-sizing: border-box;
  padding: calc(1 * var(--spasm-u)) calc(3 * var(--spasm-u));
  background: var(--jp-layout-color0, Canvas); font-size: calc(4.2 * var(--spasm-u));
  line-height: 1.35; }
.spasm-presenter .widget-html-content { font-size: calc(4.2 * var(--spasm-u));
  line-height: 1.35; }
.spasm-presenter .spasm-screen { flex: 1 1 0; min-height: 0; }
.spasm-presenter .spasm-screen p { margin: 0 0 0.5em; }
.spasm-presenter .spasm-screen :is(ul, ol) { margin: 0 0 0.5em; padding-left: 1.4em; }
.spasm-presenter .spasm-screen li { margin: 0.15em 0; }
.spasm-presenter .spasm-screen h1 { font-size: calc(6 * var(--spasm-u)); line-height: 1.15;
  margin: calc(1 * var(--spasm-u)) 0 calc(1.5 * var(--spasm-u)); }
.spasm-presenter .spasm-screen h2 { font-size: calc(5.5 * var(--spasm-u)); line-height: 1.15;
  margin: calc(1 * var(--spasm-u)) 0 calc(2 * var(--spasm-u)); }
.spasm-presenter .spasm-continued { font-size: 0.6em; font-weight: normal;
  color: var(--spasm-muted); }
.spasm-presenter .spasm-evidence { padding: 0.2em 0.8em; }
.spasm-presenter .spasm-figure { margin: 0; text-align: center; }
.spasm-presenter .spasm-figure img { max-height: calc(50 * var(--spasm-u)); width: auto;
  max-width: 100%; margin: 0 auto; }
.spasm-presenter .spasm-figure figcaption { font-size: calc(2.8 * var(--spasm-u)); }
/* The full "Get help now" box (first and last screen) in two columns, to fit one screen. */
.spasm-presenter .spasm-screen .spasm-redflags { font-size: calc(2.3 * var(--spasm-u));
  line-height: 1.3; column-count: 2; column-gap: calc(4 * var(--spasm-u)); margin: 0; }
.spasm-presenter .spasm-screen .spasm-redflags :is(p, li) { break-inside: avoid;
  margin: 0 0 0.3em; }
.spasm-presenter .spasm-screen .spasm-redflags-title { column-span: all;
  font-size: calc(3.2 * var(--spasm-u)); }
/* Always visible, and compact: the disclaimer above, the one-line warning below. */
.spasm-presenter .spasm-presenter-top .spasm-disclaimer { font-size: calc(1.9 * var(--spasm-u));
  margin: 0 0 calc(0.5 * var(--spasm-u)); line-height: 1.3; }
.spasm-presenter .spasm-help-line { font-size: calc(2.4 * var(--spasm-u)); line-height: 1.3;
  margin: calc(0.6 * var(--spasm-u)) 0; padding: calc(0.4 * var(--spasm-u)) 0.6em;
  border: 2px solid var(--spasm-danger); background: var(--spasm-danger-bg); border-radius: 6px; }
.spasm-presenter .spasm-help-line strong { color: var(--spasm-danger); }
.spasm-presenter .spasm-presenter-nav { align-items: center; flex-wrap: nowrap; }
.spasm-presenter .spasm-screen-position p { font-size: calc(2.4 * var(--spasm-u));
  margin: 0 0.8em; }
.spasm-presenter button, .spasm-presenter .spasm-keys button {
  font-size: calc(2.4 * var(--spasm-u)) !important; height: auto !important;
  min-height: calc(5 * var(--spasm-u)); padding: 0.1em 1em !important; width: auto !important;
  min-width: 6em; }
.spasm-presenter .spasm-keys { margin-left: auto; }
/* The Join screen: the QR code beside the address and the class code. */
.spasm-presenter .spasm-join-screen { display: flex; align-items: center;
  gap: calc(4 * var(--spasm-u)); }
.spasm-presenter .spasm-qr { flex: 0 0 auto; width: calc(52 * var(--spasm-u));
  height: calc(52 * var(--spasm-u)); }
.spasm-presenter .spasm-qr svg { display: block; width: 100%; height: 100%; }
.spasm-presenter .spasm-join-address { font-size: calc(3 * var(--spasm-u));
  overflow-wrap: anywhere; font-weight: 600; }
.spasm-presenter .spasm-join-class-code { font-size: calc(4.5 * var(--spasm-u));
  font-weight: 700; }
.spasm-presenter .spasm-join-local { font-size: calc(2.4 * var(--spasm-u));
  color: var(--spasm-warn); }
.spasm-presenter :is(.spasm-join-box, .spasm-question-box) :is(.widget-text,
  .widget-password, .widget-dropdown, .widget-label) { font-size: calc(2.8 * var(--spasm-u));
  height: auto !important; }
.spasm-presenter .spasm-join-box :is(.widget-text, .widget-password) { max-width: 40em; }
.spasm-presenter :is(.spasm-join-box, .spasm-question-box) :is(input, select) {
  font-size: calc(2.8 * var(--spasm-u)) !important; height: auto !important;
  padding: 0.1em 0.3em; }
.spasm-presenter .spasm-question-box .spasm-chart { width: auto; height: auto;
  max-width: 100%; min-height: calc(30 * var(--spasm-u)); max-height: calc(40 * var(--spasm-u)); }
.spasm-page dfn.spasm-term { font-style: normal; text-decoration: underline dotted; cursor: help; }
.spasm-table { border-collapse: collapse; width: 100%; font-size: 0.95rem; }
.spasm-table th, .spasm-table td { border: 1px solid var(--spasm-border); padding: 0.3rem 0.4rem;
  text-align: left; vertical-align: top; }
/* The bar charts (educator, live poll) are inline SVG drawn in the page's colours. */
.spasm-chart { max-width: 100%; height: auto; }
.spasm-chart text { fill: var(--spasm-fg); }
.spasm-chart rect { fill: var(--spasm-accent); }
.spasm-saved { color: var(--spasm-ok); margin: 0.2rem 0; }
.spasm-not-saved { color: var(--spasm-warn); margin: 0.2rem 0; }
@media (max-width: 480px) {
  .spasm-page { font-size: 1rem; }
  .spasm-card .widget-dropdown > select { max-width: 100%; width: 100%; }
}
</style>
""")
