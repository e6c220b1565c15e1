/*
 * "Exit this page": leave for a neutral site at once, replacing this page in the history so that
 * Back does not return to it. Pressing Shift three times within a few seconds does the same.
 * Without JavaScript the button is a plain link to the same site.
 * A static file on purpose: pages carry no inline scripts (Content-Security-Policy).
 */
(function () {
  "use strict";
  var PRESSES = 3;
  var WINDOW_MS = 5000;

  function start(root) {
    var link = root.querySelector("[data-exit-this-page-link]");
    var status = root.querySelector("[data-exit-this-page-status]");
    if (!link) {
      return;
    }
    var presses = [];
    var leaving = false;

    function leave(event) {
      if (event) {
        event.preventDefault();
      }
      if (leaving) {
        return;
      }
      leaving = true;
      document.body.classList.add("exit-this-page-leaving");
      if (status) {
        status.textContent = "Loading.";
      }
      window.location.replace(link.href);
    }

    link.addEventListener("click", leave);
    // Only a Shift pressed on its own counts: typing capitals (Shift held with a letter) must
    // never take someone away mid-sentence, so any other key clears the count.
    var alone = false;
    document.addEventListener("keydown", function (event) {
      if (event.key === "Shift") {
        alone = !event.repeat;
      } else {
        alone = false;
        presses = [];
      }
    });
    document.addEventListener("keyup", function (event) {
      if (event.key !== "Shift" || !alone || leaving) {
        return;
      }
      alone = false;
      var now = Date.now();
      presses = presses.filter(function (at) { return now - at < WINDOW_MS; });
      presses.push(now);
      var left = PRESSES - presses.length;
      if (left <= 0) {
        leave(null);
      } else if (status) {
        status.textContent = "Shift, press " + left + " more " + (left === 1 ? "time" : "times") + " to exit.";
      }
    });
  }

  var roots = document.querySelectorAll("[data-exit-this-page]");
  for (var i = 0; i < roots.length; i += 1) {
    start(roots[i]);
  }
}());
