// Kiosk: read aloud, and start again after a quiet period, with a visible countdown.
// Nothing is stored in the browser (no cookies, no storage): going back to the start wipes it all.
// Every move inside the kiosk replaces the page in the history, so after the reset the Back
// button cannot bring the previous visitor's screen back.
(function () {
  "use strict";
  var el = document.querySelector("[data-aftellen]");
  var quiet = el ? parseInt(el.dataset.stil, 10) : 90;
  var left = quiet;
  var t = document.body.dataset;

  function show() {
    if (!el) return;
    if (left > 30) el.textContent = t.tStil.replace("{n}", quiet);
    else el.textContent = left === 1 ? t.tAftellenEen : t.tAftellen.replace("{n}", left);
  }
  function reset() { left = quiet; show(); }
  ["pointerdown", "touchstart", "keydown", "scroll"].forEach(function (ev) {
    document.addEventListener(ev, reset, { passive: true });
  });
  if (el) {
    el.hidden = false;
    setInterval(function () {
      left -= 1;
      show();
      if (left <= 0) window.location.replace(el.dataset.begin);
    }, 1000);
    show();
  }

  document.addEventListener("click", function (e) {
    var a = e.target.closest ? e.target.closest("a[href]") : null;
    if (!a || e.defaultPrevented || a.target || a.hasAttribute("download")) return;
    if (a.origin !== window.location.origin || a.getAttribute("href").charAt(0) === "#") return;
    e.preventDefault();
    window.location.replace(a.href);
  });

  // Ogg Opus is small; a browser that cannot play it (older Safari) asks for WAV instead.
  function speechUrl(url) {
    if (new Audio().canPlayType('audio/ogg; codecs="opus"')) return url;
    return url + (url.indexOf("?") < 0 ? "?" : "&") + "formaat=wav";
  }

  document.querySelectorAll("[data-voorlees]").forEach(function (btn) {
    btn.hidden = false;
    btn.addEventListener("click", function () {
      new Audio(speechUrl(btn.dataset.voorlees)).play().catch(function () { btn.textContent = t.tVoorleesfout; });
    });
  });
})();
