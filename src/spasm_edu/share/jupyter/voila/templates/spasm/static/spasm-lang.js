// The page's language follows the lesson's: the kernel marks the disclaimer (on every page)
// with data-spasm-lang; this copies it to <html lang>, so screen readers speak Spanish pages
// in Spanish. The widgets arrive after the page loads, hence the observer.
(function () {
  "use strict";
  function follow() {
    var marked = document.querySelector("[data-spasm-lang]");
    if (!marked) {
      return false;
    }
    var lang = marked.getAttribute("data-spasm-lang");
    if (/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/.test(lang) && document.documentElement.lang !== lang) {
      document.documentElement.lang = lang;
    }
    translateIntro();
    return true;
  }

  // A page in another language than the notebook's: its first cell (title and intro, written
  // in English) gets the page's own words, and so does the browser's tab (see page_intro_html).
  function translateIntro() {
    var words = document.querySelector("[data-spasm-intro-title]");
    var cell = document.querySelector(".jp-MarkdownCell .jp-RenderedMarkdown");
    if (!words || !cell || cell.getAttribute("data-spasm-translated") === "1") {
      return;
    }
    var title = words.getAttribute("data-spasm-intro-title");
    var heading = document.createElement("h1");
    heading.textContent = title;
    var intro = document.createElement("p");
    intro.textContent = words.getAttribute("data-spasm-intro-text");
    cell.replaceChildren(heading, intro);
    cell.setAttribute("data-spasm-translated", "1");
    document.title = title;
  }
  var observer = new MutationObserver(follow);
  document.addEventListener("DOMContentLoaded", function () {
    follow();
    observer.observe(document.body, { childList: true, subtree: true });
  });
})();
