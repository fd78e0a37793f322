// Small progressive enhancements; every page works without them.
(function () {
  "use strict";

  // Copy buttons: <button data-copy="text">Copy</button>
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button || !navigator.clipboard) return;
    navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
      var label = button.textContent;
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = label; }, 1500);
    });
  });

  // Countdowns: <span data-countdown-to="ISO-8601" data-expired-text="Expired">…</span>
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function tick() {
    document.querySelectorAll("[data-countdown-to]").forEach(function (el) {
      var left = Math.floor((Date.parse(el.getAttribute("data-countdown-to")) - Date.now()) / 1000);
      if (left <= 0) {
        el.textContent = el.getAttribute("data-expired-text") || "Expired";
        el.classList.add("countdown--expired");
        if (!el.dataset.fired) {
          el.dataset.fired = "1";
          el.dispatchEvent(new CustomEvent("countdown:expired", { bubbles: true }));
        }
        return;
      }
      var h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60;
      el.textContent = h > 0 ? h + ":" + pad(m) + ":" + pad(s) : (m > 0 ? m + ":" + pad(s) : s + " s");
    });
  }
  // Buttons that must wait: <button data-enabled-in="42">Send <span data-wait></span></button>
  // stays disabled, showing the seconds left, for that many seconds from when the page arrived
  // (counted here, so a wrong clock on the phone does not matter). Without script the button
  // works and the server says how long to wait.
  function waits() {
    document.querySelectorAll("[data-enabled-in]").forEach(function (el) {
      if (!el.dataset.enabledAt) {
        el.dataset.enabledAt = String(Date.now() + 1000 * Number(el.getAttribute("data-enabled-in")));
      }
      var left = Math.ceil((Number(el.dataset.enabledAt) - Date.now()) / 1000);
      el.disabled = left > 0;
      var wait = el.querySelector("[data-wait]");
      if (wait) wait.textContent = left > 0 ? "(" + left + " s)" : "";
    });
  }
  setInterval(tick, 1000);
  setInterval(waits, 1000);
  document.addEventListener("DOMContentLoaded", waits);
  document.addEventListener("DOMContentLoaded", tick);
  document.addEventListener("htmx:afterSettle", tick);

  // Live figures: a status polling with hx-trigger="every …", or an element saying what to
  // tell in data-stale-text (the live price). When a request cannot reach us, say that what is
  // shown may be old instead of passing it off as current; the next answer clears the notice.
  var STALE = "We can't reach Rampart right now, so this may not be the latest status. Retrying…";
  function liveHost(el) {
    if (!el) return null;
    var marked = el.closest("[data-stale-text]");
    if (marked) return marked;
    return /\bevery\b/.test(el.getAttribute("hx-trigger") || "") ? el : null;
  }
  function stale(el, isStale) {
    var notice = el.querySelector(":scope > .stale-notice");
    if (isStale && !notice) {
      notice = document.createElement("p");
      notice.className = "alert alert--warning stale-notice";
      notice.setAttribute("role", "status");
      notice.textContent = el.getAttribute("data-stale-text") || STALE;
      el.prepend(notice);
    } else if (!isStale && notice) {
      notice.remove();
    }
  }
  ["htmx:sendError", "htmx:responseError", "htmx:timeout"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      var host = liveHost(event.detail.elt);
      if (host) stale(host, true);
    });
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var host = liveHost(event.detail.elt);
    if (host && event.detail.successful) stale(host, false);
  });

  // A status that changed in place is announced to screen readers (the swapped card is not).
  document.addEventListener("htmx:afterSettle", function (event) {
    var swapped = event.detail.elt;
    var status = swapped.querySelector ? swapped.querySelector("[data-status]") : null;
    var announcer = document.getElementById("status-announcer");
    if (status && announcer && announcer.dataset.last !== status.textContent) {
      if (announcer.dataset.last !== undefined) announcer.textContent = "Status: " + status.textContent;
      announcer.dataset.last = status.textContent;
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    var status = document.querySelector("[data-status]");
    var announcer = document.getElementById("status-announcer");
    if (status && announcer) announcer.dataset.last = status.textContent;  // what the page said
  });
})();
