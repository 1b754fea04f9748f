// Kernel watchdog for spasm-edu pages: when the page's kernel is gone, say so.
//
// Voilà shows nothing when a page's kernel dies (killed, culled, server restarted): the
// widgets just stop answering. Every few seconds this asks the server about the kernel
// (GET <base>api/kernels/<id>, which Voilà serves), and it listens to the kernel's
// websocket for a "dead" or "restarting" status and for the socket closing. Once the
// kernel is gone it shows one banner with role="alert" and stops.
//
// It also watches for a widget that did not load ("Error displaying widget: model not
// found"): Voilà leaves that text in place of the page. A page opened while the machine is
// very busy can get it now and then; the same page opened again works. So the page reloads
// itself once (the learner's saved answers come back) and, if it fails again within a few
// minutes, shows a banner that asks for a reload instead of reloading in a loop.
(function () {
  "use strict";

  var CHECK_EVERY_MS = 3000;
  // A network error or a proxy error (502 while a server restarts) may be a blip: act on the
  // second one in a row. A 404 or a dead kernel is certain: act at once.
  var FAILURES_BEFORE_ALERT = 2;
  // A restarted kernel has the same id but none of the page's widgets: it is as good as dead.
  var GONE_STATES = ["dead", "restarting", "autorestarting"];
  var STATUS_GONE = /"execution_state"\s*:\s*"(dead|restarting|autorestarting)"/;
  var SMALL_FRAME = 4096; // status messages are small; never decode big widget frames

  var BROKEN_WIDGET = /^Error displaying widget/; // Voilà's words when a widget cannot load
  var WATCH_WIDGETS_MS = 180000; // widgets draw once, when the page opens
  var RELOAD_AGAIN_AFTER_MS = 300000; // a second failure within this asks the learner instead
  var RELOADED_KEY = "spasm-edu-reloaded:" + window.location.pathname + window.location.search;

  // The words live in the template (index.html.j2), on this script's tag.
  var message = document.currentScript.dataset.message;
  var brokenMessage = document.currentScript.dataset.broken;
  var lost = false;
  var failures = 0;
  var timer = null;
  var kernelUrl = null;

  function showBanner(ownWords) {
    if (lost) {
      return;
    }
    lost = true;
    if (timer !== null) {
      window.clearInterval(timer);
    }
    var banner = document.createElement("div");
    banner.className = "spasm-connection-lost";
    banner.setAttribute("role", "alert");
    document.body.insertBefore(banner, document.body.firstChild);
    // Text goes in after the alert is in the page, so screen readers announce the change.
    // The page's own words, in its language, once its widgets are there (see disclaimer_html);
    // the template's English words if the kernel never drew the page.
    var own = document.querySelector("[data-spasm-connection-lost]");
    var words = ownWords || (own ? own.getAttribute("data-spasm-connection-lost") : message);
    window.setTimeout(function () {
      banner.textContent = words;
    }, 0);
  }

  function pageConfig() {
    var element = document.getElementById("jupyter-config-data");
    if (!element) {
      return null;
    }
    try {
      return JSON.parse(element.textContent);
    } catch (error) {
      return null;
    }
  }

  function check() {
    if (lost || kernelUrl === null) {
      return;
    }
    fetch(kernelUrl, { cache: "no-store", credentials: "same-origin" })
      .then(function (response) {
        if (response.status === 404) {
          return "gone";
        }
        if (!response.ok) {
          return "failed";
        }
        return response.json().then(function (model) {
          return GONE_STATES.indexOf(model.execution_state) >= 0 ? "gone" : "alive";
        });
      })
      .catch(function () {
        return "failed";
      })
      .then(function (verdict) {
        if (verdict === "alive") {
          failures = 0;
        } else if (verdict === "gone" || ++failures >= FAILURES_BEFORE_ALERT) {
          showBanner();
        }
      });
  }

  function start() {
    var config = pageConfig();
    if (!config || !config.kernelId) {
      return; // not a rendered notebook (an error page): nothing to watch
    }
    var base = config.baseUrl || "/";
    kernelUrl = base + "api/kernels/" + encodeURIComponent(config.kernelId);
    timer = window.setInterval(check, CHECK_EVERY_MS);
  }

  function frameSaysGone(data) {
    if (typeof data === "string") {
      return data.length < SMALL_FRAME && STATUS_GONE.test(data);
    }
    if (data instanceof ArrayBuffer && data.byteLength < SMALL_FRAME) {
      return STATUS_GONE.test(new TextDecoder().decode(data));
    }
    return false;
  }

  function watchSocket(socket) {
    socket.addEventListener("message", function (event) {
      if (!lost && frameSaysGone(event.data)) {
        showBanner();
      }
    });
    // The socket also closes when the kernel or the server goes away: ask at once.
    socket.addEventListener("close", check);
  }

  function reloadedRecently() {
    try {
      var at = Number(window.sessionStorage.getItem(RELOADED_KEY));
      return at > 0 && Date.now() - at < RELOAD_AGAIN_AFTER_MS;
    } catch (error) {
      return true; // no storage: never risk a reload loop
    }
  }

  function widgetBroken() {
    if (lost) {
      return;
    }
    if (reloadedRecently()) {
      showBanner(brokenMessage);
      return;
    }
    try {
      window.sessionStorage.setItem(RELOADED_KEY, String(Date.now()));
    } catch (error) {
      showBanner(brokenMessage);
      return;
    }
    console.warn("spasm-edu: a widget did not load; opening the page again");
    lost = true; // no banner while the page goes
    window.location.reload();
  }

  function isBrokenWidget(node) {
    // Voilà writes the error as the only text of an element that has no children.
    return (
      node.nodeType === 1 &&
      node.childElementCount === 0 &&
      node.classList.contains("jupyter-widgets") &&
      BROKEN_WIDGET.test(node.textContent)
    );
  }

  function watchWidgets() {
    if (!window.MutationObserver) {
      return;
    }
    var observer = new MutationObserver(function (records) {
      for (var i = 0; i < records.length; i++) {
        if (isBrokenWidget(records[i].target)) {
          observer.disconnect();
          widgetBroken();
          return;
        }
      }
    });
    observer.observe(document.documentElement, {
      subtree: true,
      childList: true, // Voilà sets the error text...
      attributes: true, // ...then the class
      attributeFilter: ["class"],
    });
    window.setTimeout(function () {
      observer.disconnect();
    }, WATCH_WIDGETS_MS);
  }

  // Voilà opens the kernel's websocket from its own script, later in the page: watch every
  // socket to api/kernels/.../channels that the page opens.
  var NativeWebSocket = window.WebSocket;
  if (NativeWebSocket) {
    var WatchedWebSocket = function (url, protocols) {
      var socket =
        protocols === undefined ? new NativeWebSocket(url) : new NativeWebSocket(url, protocols);
      if (/\/api\/kernels\/[^/]+\/channels/.test(String(url))) {
        watchSocket(socket);
      }
      return socket;
    };
    WatchedWebSocket.prototype = NativeWebSocket.prototype;
    ["CONNECTING", "OPEN", "CLOSING", "CLOSED"].forEach(function (name) {
      WatchedWebSocket[name] = NativeWebSocket[name];
    });
    window.WebSocket = WatchedWebSocket;
  }

  watchWidgets();
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
