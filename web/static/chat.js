// Chat: send forms without reloading, append the reply card, read answers aloud.
// The conversation stays in the page only; nothing is written to browser storage.
(function () {
  "use strict";
  var log = document.getElementById("berichten");
  var input = document.getElementById("vraag");
  var t = document.body.dataset;

  function addQuestion(text) {
    var p = document.createElement("p");
    p.className = "vraag";
    p.textContent = text;
    log.appendChild(p);
  }

  function send(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    // The postcode field belongs to the question form; every button uses it.
    var pc = document.getElementById("postcode");
    if (pc && pc.value && !data.get("postcode")) data.append("postcode", pc.value);
    var text = (data.get("bericht") || "").trim();
    if (text) addQuestion(text);
    else if (submitter && submitter.textContent.trim()) addQuestion(submitter.textContent.trim());
    if (form.id === "vraagformulier") input.value = "";
    fetch("/beurt", { method: "POST", body: data, credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var wrap = document.createElement("div");
        wrap.innerHTML = html;
        var card = wrap.firstElementChild;
        while (wrap.firstChild) log.appendChild(wrap.firstChild);
        enhance(log);
        if (card && card.scrollIntoView) card.scrollIntoView({ block: "start" });
      })
      .catch(function () { form.submit(); });
  }

  // Ogg Opus is small; a browser that cannot play it (older Safari) asks for WAV instead.
  function speechUrl(url) {
    if (new Audio().canPlayType('audio/ogg; codecs="opus"')) return url;
    return url + (url.indexOf("?") < 0 ? "?" : "&") + "formaat=wav";
  }

  function enhance(root) {
    root.querySelectorAll("[data-voorlees]").forEach(function (btn) {
      if (btn.dataset.klaar) return;
      btn.dataset.klaar = "1";
      btn.hidden = false;
      btn.addEventListener("click", function () {
        var audio = new Audio(speechUrl(btn.dataset.voorlees));
        audio.play().catch(function () { btn.textContent = t.tVoorleesfout; });
      });
    });
    root.querySelectorAll("[data-duidelijk-ja]").forEach(function (btn) {
      btn.addEventListener("click", function () {
        var fs = btn.closest("fieldset");
        fs.textContent = t.tFijn;
        if (input) input.focus();
      });
    });
  }

  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.matches("[data-chat-form]") || !log) return;
    e.preventDefault();
    send(form, e.submitter);
  });
  enhance(document);
})();
