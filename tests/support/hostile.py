"""Hostile text that learners (and a careless author) could type: markup that must stay text.

Shared by the render unit tests and the browser tests of the class pages. A payload that runs
sets ``window.__pwned`` or opens a dialog (``alert``); one that only injects markup leaves an
element a test can find (``img[src="x"]``, ``class=pwn``, an ``on...`` attribute, ...).
"""

from __future__ import annotations

PWN = "window.__pwned=1"

SCRIPT_TAGS = [
    f"<script>{PWN}</script>",
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//x.invalid/x.js></SCRIPT>",
    f'"><script>{PWN}</script>',
    f"</p><script>{PWN}</script><p>",
    f"<scr<script>ipt>{PWN}</scr</script>ipt>",
    f"<svg><script>{PWN}</script></svg>",
    f"<script type=module>{PWN}</script>",
]

EVENT_HANDLERS = [
    f'<img src=x onerror="{PWN}">',
    "<img src=x onerror=alert(1)>",
    f"<img src=x onerror={PWN} class=pwn>",
    f"<svg onload={PWN}>",
    "<svg/onload=alert(1)>",
    f"<body onload={PWN}>",
    f'<div onmouseover="{PWN}" class=pwn>hover me</div>',
    f"<input autofocus onfocus={PWN}>",
    f"<details open ontoggle={PWN}>",
    f'<video><source onerror="{PWN}"></video>',
    f"<audio src=x onerror={PWN}>",
    f"<marquee onstart={PWN}>",
    f'" onmouseover="{PWN}',
    f"' onfocus='{PWN}' autofocus '",
    '<img src="x" onerror="&#119;indow.__pwned=1">',
    f"<x onclick={PWN}>click me",
    f"<style onload={PWN}></style>",
]

JAVASCRIPT_LINKS = [
    f'<a href="javascript:{PWN}" class=pwn>click</a>',
    "javascript:alert(1)",
    "<a href=JaVaScRiPt:alert(1)>x</a>",
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "<form action=javascript:alert(1)><button>go</button></form>",
    '<svg><a xlink:href="javascript:alert(1)"><text x=20 y=20>x</text></a></svg>',
]

FRAMES = [
    '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
    '<iframe src="javascript:parent.__pwned=1">',
    '<object data="javascript:alert(1)">',
    '<embed src="data:text/html,<script>alert(1)</script>">',
]

STYLE_TRICKS = [
    "<style>body{display:none}</style>",
    '<div style="position:fixed;inset:0;background:red;z-index:99999" class=pwn></div>',
    "<style>@import url(//x.invalid/a.css)</style>",
    "<link rel=stylesheet href=//x.invalid/a.css>",
    '<div style="background:url(javascript:alert(1))" class=pwn>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="//x.invalid/">',
]

ENCODED = [
    f"&lt;script&gt;{PWN}&lt;/script&gt;",
    f"&#60;img src=x onerror={PWN}&#62;",
    "\\x3cscript\\x3ealert(1)\\x3c/script\\x3e",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "\\u003cimg src=x onerror=alert(1)\\u003e",
    "&amp;lt;b&amp;gt;double&amp;lt;/b&amp;gt;",
]

UNCLOSED = [
    "<b class=pwn>bold never closed",
    f"<img src=x onerror={PWN} ",
    "</div></div></div></section></body>",
    "<!-- an opened comment",
    "<![CDATA[<script>alert(1)</script>]]>",
    "<textarea class=pwn>",
    "<plaintext class=pwn>",
    "<table class=pwn><tr><td>",
]

LONG = [
    "A" * 3000,
    "<b>" * 500,
    f"<img src=x onerror={PWN}>" * 80,
]

UNICODE_TRICKS = [
    "abc\u202etxt.exe",
    "\u202e<img src=x onerror=alert(1)>",
    "\u200b<\u200bscript>alert(1)</script>",
    "<scr\u200bipt>alert(1)</scr\u200bipt>",
    "\ufeff\u200d\u2060",
    "Z\u0338\u0321a\u0337l\u0336g\u0334o\u0335",
]

MISC = [
    "{{constructor.constructor('window.__pwned=1')()}}",
    "${alert(1)}",
    f"**<img src=x onerror={PWN}>**",
    f"<math><mtext><table><mglyph><style><img src=x onerror={PWN}>",
    f'<noscript><p title="</noscript><img src=x onerror={PWN}>">',
    "'';!--\"<XSS>=&{()}",
    f"<img\nsrc=x\nonerror={PWN}>",  # a newline: store and render tests only (an input drops it)
]

PAYLOADS: list[str] = [
    *SCRIPT_TAGS,
    *EVENT_HANDLERS,
    *JAVASCRIPT_LINKS,
    *FRAMES,
    *STYLE_TRICKS,
    *ENCODED,
    *UNCLOSED,
    *LONG,
    *UNICODE_TRICKS,
    *MISC,
]

# What a one-line text box can hold as typed (it drops line breaks).
ONE_LINE: list[str] = [p for p in PAYLOADS if "\n" not in p and "\r" not in p]
