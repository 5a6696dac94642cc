// Kiosk: read aloud, and start again after a quiet period, with a visible countdown.
// Nothing is stored in the browser (no cookies, no storage): going back to the start wipes it all.
(function () {
  "use strict";
  var el = document.querySelector("[data-aftellen]");
  var quiet = el ? parseInt(el.dataset.stil, 10) : 90;
  var left = quiet;
  var t = document.body.dataset;

  function show() {
    if (!el) return;
    el.textContent = left <= 30 ? t.tAftellen.replace("{n}", left) : t.tStil.replace("{n}", quiet);
  }
  function reset() { left = quiet; show(); }
  ["pointerdown", "touchstart", "keydown", "scroll"].forEach(function (ev) {
    document.addEventListener(ev, reset, { passive: true });
  });
  setInterval(function () {
    left -= 1;
    show();
    if (left <= 0) window.location.replace(el.dataset.begin);
  }, 1000);
  show();

  document.querySelectorAll("[data-voorlees]").forEach(function (btn) {
    btn.hidden = false;
    btn.addEventListener("click", function () {
      new Audio(btn.dataset.voorlees).play().catch(function () { btn.textContent = t.tVoorleesfout; });
    });
  });
})();
