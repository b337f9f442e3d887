/* Door desk extras on the scanner page: arrival counters polled every few seconds, and
 * the lost-badge search (at least two characters) with a manual check-in button.
 * Answers of a manual check-in are shown in the same result panel via the
 * "checkin:answer" event that checkin.js listens for. */
(function () {
  "use strict";

  var root = document.getElementById("scanner");
  if (!root) return;
  var POLL_MS = 5000;
  var MIN_QUERY = 2;

  function text(name) { return root.getAttribute("data-text-" + name) || ""; }

  function headers() {
    var h = { "Content-Type": "application/json", "Accept": "application/json" };
    h[root.getAttribute("data-header-name")] = root.getAttribute("data-header-value");
    return h;
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: headers() }).then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      return r.json();
    });
  }

  /* Counters */
  var countIn = document.getElementById("count-in");
  var countExpected = document.getElementById("count-expected");
  var countRecent = document.getElementById("count-recent");
  var countGates = document.getElementById("count-gates");

  function showCounters(data) {
    countIn.textContent = data.checked_in;
    countExpected.textContent = data.expected;
    countRecent.textContent = data.last_10_minutes;
    countGates.textContent = "";
    data.gates.forEach(function (g) {
      var li = document.createElement("li");
      li.textContent = (g.gate || text("no-gate")) + ": " + g.checked_in;
      countGates.appendChild(li);
    });
  }

  function pollCounters() {
    if (document.hidden) return;
    getJSON(root.getAttribute("data-counters-url")).then(showCounters).catch(function () { /* offline: keep the last figures */ });
  }
  pollCounters();
  setInterval(pollCounters, POLL_MS);
  document.addEventListener("checkin:scanned", pollCounters);

  /* Check-in lists: the main door, or the door of a session whose room is limited. */
  var listSelect = document.getElementById("scan-list");
  var LIST_KEY = "checkin.list";
  getJSON(root.getAttribute("data-lists-url")).then(function (data) {
    data.items.forEach(function (item) {
      if (item.session === null) return;
      var option = document.createElement("option");
      option.value = String(item.session);
      option.textContent = item.title + " · " + item.room + " (" + item.inside + "/" + item.capacity + ")";
      listSelect.appendChild(option);
    });
    try { listSelect.value = window.localStorage.getItem(LIST_KEY) || ""; } catch (e) { /* ignore */ }
    if (listSelect.selectedIndex < 0) listSelect.value = "";
  }).catch(function () { /* offline: main door only */ });
  listSelect.addEventListener("change", function () {
    try { window.localStorage.setItem(LIST_KEY, listSelect.value); } catch (e) { /* ignore */ }
    document.getElementById("scan-code").focus();
  });

  /* Lost badge */
  var query = document.getElementById("lost-query");
  var hint = document.getElementById("lost-hint");
  var results = document.getElementById("lost-results");
  var searchSeq = 0;
  var timer = null;

  function checkInByHand(ref) {
    var gate = (document.getElementById("scan-gate").value || "").trim();
    var nonce = window.checkinNonce ? window.checkinNonce() : String(Date.now()) + Math.random();
    fetch(root.getAttribute("data-manual-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: headers(),
      body: JSON.stringify({ ref: ref, gate: gate || null, nonce: nonce, type: "entry" })
    }).then(function (r) {
      if (!r.ok) throw new Error(String(r.status));
      return r.json();
    }).then(function (answer) {
      document.dispatchEvent(new CustomEvent("checkin:answer", { detail: { answer: answer, nonce: nonce } }));
      search();
      // Done at the desk: the code field is ready for the next badge in the queue.
      document.getElementById("scan-code").focus({ preventScroll: true });
    }).catch(function () {
      document.dispatchEvent(new CustomEvent("checkin:answer", { detail: { failed: true } }));
    });
  }

  function showResults(items) {
    results.textContent = "";
    hint.textContent = items.length ? "" : text("nobody");
    hint.hidden = !!items.length;
    items.forEach(function (item) {
      var li = document.createElement("li");
      var who = document.createElement("span");
      who.className = "lost-who";
      var name = document.createElement("strong");
      name.textContent = item.name;
      var more = document.createElement("small");
      more.textContent = [item.organisation, item.category].filter(Boolean).join(" · ");
      who.appendChild(name);
      who.appendChild(more);
      li.appendChild(who);
      if (item.checked_in) {
        var done = document.createElement("span");
        done.textContent = text("inside");
        li.appendChild(done);
      } else {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "button";
        button.textContent = text("check-in");
        button.addEventListener("click", function () { checkInByHand(item.ref); });
        li.appendChild(button);
      }
      results.appendChild(li);
    });
  }

  function search() {
    var q = query.value.trim();
    var seq = ++searchSeq;
    if (q.length < MIN_QUERY) {
      results.textContent = "";
      hint.textContent = text("type-more");
      hint.hidden = false;
      return;
    }
    getJSON(root.getAttribute("data-search-url") + "?q=" + encodeURIComponent(q)).then(function (data) {
      if (seq === searchSeq) showResults(data.items);
    }).catch(function () { /* keep the last list */ });
  }

  query.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 200);
  });
  query.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); search(); }
  });
})();
