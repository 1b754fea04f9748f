"""The presenter's keyboard and full-screen button: a small anywidget that only asks to step.

A presentation clicker sends PageDown/PageUp (or the arrow keys) to whatever page is in front,
with nothing focused. This widget listens on the whole document and sends the kernel a step of
+1 or -1; the kernel decides which screen shows. It has no trait that names a screen, so the
browser can ask to step but never jump.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anywidget
import traitlets

# Keys typed into a field (the passcode, the class code, the poll's choice) stay the field's;
# space or Enter on a focused button presses that button, not the next screen.
_ESM = """
const NEXT = new Set(["PageDown", "ArrowRight", " ", "Spacebar"]);
const BACK = new Set(["PageUp", "ArrowLeft"]);

function typing(target) {
  if (!(target instanceof Element)) return false;
  return target.closest("input, select, textarea, [contenteditable=''], " +
    "[contenteditable='true'], [role='slider'], [role='textbox'], [role='combobox']") !== null;
}

function render({ model, el }) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "spasm-fullscreen jupyter-button";
  const label = () => { button.textContent = model.get("fullscreen_label"); };
  label();
  model.on("change:fullscreen_label", label);
  button.addEventListener("click", () => {
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else if (document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen().catch(() => {});
    }
  });
  el.classList.add("spasm-keys");
  el.appendChild(button);

  const onKey = (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    const step = NEXT.has(event.key) ? 1 : BACK.has(event.key) ? -1 : 0;
    if (step === 0 || typing(event.target)) return;
    const onButton = event.target instanceof Element && event.target.closest("button, a");
    if (onButton && event.key === " ") return;
    event.preventDefault();  // no page scroll: the screen changes instead
    model.send({ step });
  };
  document.addEventListener("keydown", onKey);
  return () => {
    document.removeEventListener("keydown", onKey);
    model.off("change:fullscreen_label", label);
  };
}

export default { render };
"""

_CSS = """
.spasm-keys .spasm-fullscreen { cursor: pointer; }
"""


class PresenterKeys(anywidget.AnyWidget):
    """Sends +1/-1 steps from the keyboard (PageDown/PageUp, arrows, space); a full-screen button.

    The kernel registers one handler with `on_step`; `step` is its Python trigger.
    """

    _esm = _ESM
    _css = _CSS
    fullscreen_label = traitlets.Unicode(
        "", help="The full-screen button's label (set kernel-side)."
    ).tag(sync=True)

    def __init__(self, fullscreen_label: str, **kwargs: Any) -> None:
        super().__init__(fullscreen_label=fullscreen_label, **kwargs)
        self._handlers: list[Callable[[int], None]] = []
        self.on_msg(self._on_browser_msg)

    def on_step(self, handler: Callable[[int], None]) -> None:
        """Call `handler(+1 or -1)` whenever the browser asks to step."""
        self._handlers.append(handler)

    def step(self, by: object) -> None:
        """Ask to step one screen on (`by` = 1) or back (-1); anything else is ignored."""
        # Exactly the ints 1 and -1: not True (a bool is an int), not 1.0, not "1".
        if type(by) is not int or by not in (1, -1):
            return
        for handler in self._handlers:
            handler(by)

    def _on_browser_msg(self, _widget: Any, content: Any, _buffers: Any) -> None:
        """A message from the browser: only ``{"step": 1}`` or ``{"step": -1}`` does anything."""
        if isinstance(content, dict):
            self.step(content.get("step"))
