/* 读给我听 — Read to me: reads the page's main text aloud with the browser's own speech synthesis, in the page's
   language. No outside service. The buttons stay hidden when the browser has no voice for that language (and
   without JavaScript). The text read is the one on the page: the element marked data-read-aloud, else <main>,
   leaving out anything marked data-read-skip (the buttons themselves, menus, forms' hidden parts). */
(function () {
  "use strict";
  var tools = document.querySelector(".read-aloud");
  if (!tools || !("speechSynthesis" in window) || !("SpeechSynthesisUtterance" in window)) { return; }
  var synth = window.speechSynthesis;
  var lang = (document.documentElement.lang || "zh").toLowerCase().indexOf("zh") === 0 ? "zh-CN" : "en";
  var prefix = lang === "zh-CN" ? "zh" : "en";
  var play = tools.querySelector("[data-action=play]");
  var pause = tools.querySelector("[data-action=pause]");
  var stop = tools.querySelector("[data-action=stop]");

  function voice() {
    var voices = synth.getVoices() || [];
    for (var i = 0; i < voices.length; i++) {
      if ((voices[i].lang || "").replace("_", "-").toLowerCase().indexOf(prefix) === 0) { return voices[i]; }
    }
    return null;
  }

  function text() {
    var region = document.querySelector("[data-read-aloud]") || document.querySelector("main") || document.body;
    var copy = region.cloneNode(true);
    copy.querySelectorAll("[data-read-skip], script, style, template, [hidden], .visually-hidden, svg")
      .forEach(function (el) { el.remove(); });
    return (copy.innerText || copy.textContent || "").replace(/\s+/g, " ").trim();
  }

  function state(speaking, paused) {
    pause.hidden = !speaking;
    stop.hidden = !speaking;
    pause.setAttribute("aria-pressed", paused ? "true" : "false");
    pause.querySelector("span").textContent = paused ? pause.dataset.resume : pause.dataset.pause;
    tools.dataset.state = speaking ? (paused ? "paused" : "speaking") : "idle";
  }

  function offer() { if (voice()) { tools.hidden = false; } }

  play.addEventListener("click", function () {
    synth.cancel();
    var utterance = new SpeechSynthesisUtterance(text());
    utterance.lang = lang;
    utterance.voice = voice();
    utterance.rate = 0.9; // a little slower, for young listeners
    utterance.onend = function () { state(false, false); };
    synth.speak(utterance);
    state(true, false);
  });
  pause.addEventListener("click", function () {
    if (synth.paused) { synth.resume(); state(true, false); } else { synth.pause(); state(true, true); }
  });
  stop.addEventListener("click", function () { synth.cancel(); state(false, false); });
  window.addEventListener("pagehide", function () { synth.cancel(); });
  offer();
  if (typeof synth.addEventListener === "function") { synth.addEventListener("voiceschanged", offer); }
})();
