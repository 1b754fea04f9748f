"""The page's CSS, as one <style> block (readable type, visible focus, contrast of 4.5:1 or
more), and the shared layout and style models that keep a page's widget count low."""

from __future__ import annotations

from typing import Any, TypeVar, cast

import ipywidgets as widgets
from ipywidgets.widgets.widget_bool import CheckboxStyle
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_int import ProgressStyle
from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle

__all__ = ["CheckboxStyle", "DescriptionStyle", "HTMLStyle", "ProgressStyle", "TextStyle"]

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


def html(value: str = "", css: str = "") -> widgets.HTML:
    """An HTML widget with the shared layout and style; `css`: a class for it."""
    w = widgets.HTML(value, layout=layout(), style=shared(HTMLStyle))
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


def vbox(children: Any = (), css: str = "") -> widgets.VBox:
    """A column with the shared layout."""
    w = widgets.VBox(list(children), layout=layout())
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


# Every colour is a custom property, in four sets; each set's selector weighs one class, so the
# later set wins. Light is the default. Dark follows JupyterLab's dark theme and Voilà's
# ?theme=dark (both mark <body data-jp-theme-light="false">), and a Voilà page when the system
# asks for dark (our template then loads JupyterLab's dark theme too). Forced colours (Windows
# contrast themes) get system colours, so what is drawn and what axe-core measures agree.
# Contrast of text on every background it sits on (white or the page's tints; dark: #111 to
# #2a2a2a and the dark tints): light 17.2 text, 10.9 muted, 8.0 links, 7.3 red, 6.0 green,
# 7.5 brown, 8.0 the blue button; dark 14.3 text, 8.5 muted, 6.5 links (JupyterLab's #64b5f6;
# 6.8 ours), 7.1 red, 8.3 green, 8.0 orange, 9.0 the blue button.
CSS = """
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
/* Presenter mode: type readable from the back of a room. */
.spasm-presenter .spasm-screen { font-size: 1.6rem; line-height: 1.5; }
.spasm-presenter .spasm-screen h2 { font-size: 2.2rem; }
.spasm-presenter .spasm-screen-position p { font-size: 1.2rem; margin: 0 0.8rem; }
.spasm-presenter button { font-size: 1.2rem !important; height: auto !important;
  min-height: 2.6rem; padding: 0.3rem 1.2rem !important; }
.spasm-page dfn.spasm-term { font-style: normal; text-decoration: underline dotted; cursor: help; }
.spasm-table { border-collapse: collapse; width: 100%; font-size: 0.95rem; }
.spasm-table th, .spasm-table td { border: 1px solid var(--spasm-border); padding: 0.3rem 0.4rem;
  text-align: left; vertical-align: top; }
/* The educator's bar charts are inline SVG: their presentation colours give way to ours. */
.spasm-page svg[role="img"] text { fill: var(--spasm-fg); }
.spasm-page svg[role="img"] rect { fill: var(--spasm-accent); }
.spasm-saved { color: var(--spasm-ok); margin: 0.2rem 0; }
.spasm-not-saved { color: var(--spasm-warn); margin: 0.2rem 0; }
@media (max-width: 480px) {
  .spasm-page { font-size: 1rem; }
  .spasm-card .widget-dropdown > select { max-width: 100%; width: 100%; }
}
</style>
"""
