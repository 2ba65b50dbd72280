/* The session screen on the projector (sessions/screen.html): asks the server for screen.json every second and
   shows one item in large type. Arrow keys (and Page Up/Down, as a presenter's clicker sends) move between the
   items; when the facilitator opens a vote, that item comes forward by itself. Text goes in with textContent only. */
(function () {
  "use strict";
  var body = document.body;
  var words = body.dataset;
  var state = null;
  var shown = null;     // the item id on the screen
  var followed = null;  // the item the server last called current
  var PERIOD = 1000;

  function $(id) { return document.getElementById(id); }
  function fill(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_m, key) { return values[key]; });
  }
  function list(target, rows) {
    var element = $(target);
    element.textContent = "";
    rows.forEach(function (row) {
      var li = document.createElement("li");
      if (typeof row === "string") { li.textContent = row; } else { row(li); }
      element.appendChild(li);
    });
  }

  function bar(li, label, n, total, kind) {
    var name = document.createElement("span");
    name.className = "label";
    name.textContent = label;
    var track = document.createElement("span");
    track.className = "track";
    var fillBar = document.createElement("span");
    fillBar.className = "fill " + kind;
    fillBar.style.width = (total ? Math.round(n * 100 / total) : 0) + "%";
    track.appendChild(fillBar);
    var count = document.createElement("span");
    count.className = "count";
    count.textContent = fill(words.votes, {n: n});
    li.appendChild(name); li.appendChild(track); li.appendChild(count);
  }

  function render() {
    if (!state) { return; }
    $("session-status").textContent = state.session.status_label;
    $("present-count").textContent = "(" + state.present.length + ")";
    list("present", state.present);
    var items = state.items;
    if (!items.length) { $("item-title").textContent = words.none; return; }
    var index = items.findIndex(function (i) { return i.id === shown; });
    if (index < 0) { index = 0; shown = items[0].id; }
    var item = items[index];
    $("position").textContent = fill(words.item, {n: index + 1, total: items.length});
    $("item-title").textContent = item.title;
    $("item-problem").textContent = item.problem;
    $("item-idea").textContent = item.idea;
    var picture = $("item-picture");
    if (item.picture) {
      if (picture.getAttribute("src") !== item.picture) { picture.src = item.picture; }
      picture.alt = item.title;
      picture.hidden = false;
    } else { picture.hidden = true; picture.removeAttribute("src"); }
    var voting = item.status === "voting";
    $("voting").hidden = !voting;
    $("voted").textContent = fill(words.voted, {voted: item.voted, present: item.present});
    $("voted-fill").style.width = (item.present ? Math.round(item.voted * 100 / item.present) : 0) + "%";
    $("result").hidden = !item.decided;
    body.dataset.item = item.id;
    body.dataset.itemStatus = item.status;
    if (!item.decided) { return; }
    $("headline").textContent = item.headline;
    $("headline").className = "headline " + (item.passed === false ? "not-passed" : "passed");
    $("rule").textContent = item.rule;
    if (item.candidates) {
      var most = Math.max.apply(null, item.candidates.map(function (c) { return c.votes; }).concat([1]));
      list("tally", item.candidates.map(function (c) {
        return function (li) { bar(li, c.nickname, c.votes, most, "yes"); };
      }));
    } else {
      var t = item.tally;
      var total = t["for"] + t.against + t.abstain;
      list("tally", [
        function (li) { bar(li, words.yes, t["for"], total, "yes"); },
        function (li) { bar(li, words.no, t.against, total, "no"); },
        function (li) { bar(li, words.abstain, t.abstain, total, "abstain"); },
      ]);
    }
  }

  function poll() {
    fetch(body.dataset.state, {credentials: "same-origin", cache: "no-store"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (next) {
        if (next) {
          if (next.current !== followed) { followed = next.current; shown = next.current; }
          state = next;
          render();
        }
      })
      .catch(function () { /* the next poll tries again */ })
      .then(function () { window.setTimeout(poll, PERIOD); });
  }

  document.addEventListener("keydown", function (event) {
    if (!state || !state.items.length) { return; }
    var step = {ArrowRight: 1, ArrowDown: 1, PageDown: 1, ArrowLeft: -1, ArrowUp: -1, PageUp: -1}[event.key];
    if (!step) { return; }
    var index = state.items.findIndex(function (i) { return i.id === shown; });
    var next = Math.min(Math.max(index + step, 0), state.items.length - 1);
    shown = state.items[next].id;
    event.preventDefault();
    render();
  });
  poll();
})();
