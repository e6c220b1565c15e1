/*
 * A table wider than the screen scrolls inside its .table-wrap (accord.css). A box that scrolls
 * must be reachable by keyboard, so while it scrolls it becomes focusable, with a name taken
 * from the table's caption or label (WCAG 2.1.1, 1.4.10); when it fits again it goes back to
 * a plain box. Boxes that say so in their own markup (tabindex) are left alone.
 * A static file on purpose: pages carry no inline scripts (Content-Security-Policy).
 */
(function () {
  "use strict";

  function nameOf(wrap) {
    var table = wrap.querySelector("table");
    if (!table) {
      return "Table";
    }
    var caption = table.querySelector("caption");
    if (caption && caption.textContent.trim()) {
      return caption.textContent.trim();
    }
    var label = table.getAttribute("aria-label");
    if (label) {
      return label;
    }
    var by = table.getAttribute("aria-labelledby");
    var named = by ? document.getElementById(by.split(" ")[0]) : null;
    if (named && named.textContent.trim()) {
      return named.textContent.trim();
    }
    var headers = table.querySelectorAll("thead th");
    var words = [];
    for (var i = 0; i < headers.length && i < 3; i += 1) {
      words.push(headers[i].textContent.trim());
    }
    return words.length ? "Table: " + words.join(", ") : "Table";
  }

  function update() {
    var wraps = document.querySelectorAll(".table-wrap");
    for (var j = 0; j < wraps.length; j += 1) {
      var wrap = wraps[j];
      if (wrap.hasAttribute("tabindex") && !wrap.hasAttribute("data-scrolls")) {
        continue; // focusable in its own markup
      }
      var scrolls = wrap.scrollWidth > wrap.clientWidth + 1;
      if (scrolls && !wrap.hasAttribute("data-scrolls")) {
        wrap.setAttribute("data-scrolls", "");
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "group");
        wrap.setAttribute("aria-label", nameOf(wrap) + " (scrolls sideways)");
      } else if (!scrolls && wrap.hasAttribute("data-scrolls")) {
        wrap.removeAttribute("data-scrolls");
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    }
  }

  var pending = false;
  function soon() {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        update();
      });
    }
  }

  update();
  window.addEventListener("resize", soon);
  // Panels that htmx swaps in may hold tables too.
  document.addEventListener("htmx:afterSettle", soon);
}());
