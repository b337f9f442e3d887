/* Door scanner: a keyboard-wedge scanner types the badge code and Enter into the
 * always-focused input; each code is sent to POST /api/v1/checkin and the answer is
 * shown in one big panel (green: admitted, amber: already in, red: anything else).
 * All words come from data-* attributes rendered (and translated) by the template. */
(function () {
  "use strict";

  var root = document.getElementById("scanner");
  if (!root) return;

  var form = document.getElementById("scan-form");
  var codeInput = document.getElementById("scan-code");
  var gateInput = document.getElementById("scan-gate");
  var panel = document.getElementById("scan-result");
  var history = document.getElementById("scan-history");
  var GATE_KEY = "checkin.gate";
  var HISTORY_SIZE = 8;
  var TIMEOUT_MS = 8000;
  var GREEN = { ok: true };
  var AMBER = { already_checked_in: true };
  var latest = 0; // sequence number of the newest scan: older answers never replace it
  var undoButton = document.getElementById("scan-undo");
  var lastNonce = null; // nonce of the scan on screen if it let someone in or out: what "Undo" takes back
  var lastCode = null; // and its badge code
  var KIND_KEY = "checkin.kind";

  function scanKind() {
    var checked = root.querySelector('input[name="scan-kind"]:checked');
    return checked ? checked.value : "entry";
  }

  function apiHeaders() {
    var headers = { "Content-Type": "application/json", "Accept": "application/json" };
    headers[root.getAttribute("data-header-name")] = root.getAttribute("data-header-value");
    return headers;
  }

  function text(name) {
    return root.getAttribute("data-text-" + name) || "";
  }

  function statusWord(status) {
    return root.getAttribute("data-status-" + status) || root.getAttribute("data-status-unknown");
  }

  function colourOf(status) {
    if (GREEN[status]) return "ok";
    if (AMBER[status]) return "warn";
    return "bad";
  }

  /* A random UUID; crypto.randomUUID only exists on HTTPS and localhost. */
  function newNonce() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID();
    }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) {
      return (b + 0x100).toString(16).slice(1);
    }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  /* Wall-clock parts of a moment in the conference's time zone (data-timezone), so the
   * answer panel and the recent scans speak the same time whatever the device's zone. */
  var TIMEZONE = root.getAttribute("data-timezone") || undefined;
  var clockFormat = null;
  try {
    clockFormat = new Intl.DateTimeFormat("en-CA", {
      timeZone: TIMEZONE, year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23"
    });
  } catch (e) { clockFormat = null; /* unknown zone: the device's own */ }

  function conferenceClock(date) {
    if (clockFormat && clockFormat.formatToParts) {
      var parts = {};
      clockFormat.formatToParts(date).forEach(function (p) { parts[p.type] = p.value; });
      return { day: parts.year + "-" + parts.month + "-" + parts.day, time: parts.hour + ":" + parts.minute };
    }
    return {
      day: date.getFullYear() + "-" + String(date.getMonth() + 1).padStart(2, "0") + "-" +
        String(date.getDate()).padStart(2, "0"),
      time: String(date.getHours()).padStart(2, "0") + ":" + String(date.getMinutes()).padStart(2, "0")
    };
  }

  /* "09:12", or "2024-09-18 09:12" when not today, in conference time — whether the
   * time came from the server (conference offset) or from this device (UTC). */
  function whenText(iso) {
    if (!iso) return "";
    var date = new Date(iso);
    if (isNaN(date.getTime())) return String(iso).slice(11, 16);
    var at = conferenceClock(date);
    return at.day === conferenceClock(new Date()).day ? at.time : at.day + " " + at.time;
  }

  function focusCode() {
    var active = document.activeElement;
    // Never pull the focus out of the desk forms (lost badge search, walk-in).
    if (active && active.closest && active.closest("#walk-in, #lost-badge") &&
        /^(INPUT|SELECT|TEXTAREA|BUTTON|A)$/.test(active.tagName)) return;
    if (active !== codeInput && active !== gateInput) {
      codeInput.focus({ preventScroll: true });
    }
  }

  function setLine(selector, value) {
    var el = panel.querySelector(selector);
    el.textContent = value || "";
    el.hidden = !value;
  }

  function showPanel(colour, status, attendee, detail, link) {
    panel.className = "scan-result result-" + colour;
    setLine(".result-status", status);
    setLine(".result-name", attendee && attendee.name);
    setLine(".result-organisation", attendee && attendee.organisation);
    var category = panel.querySelector(".result-category");
    setLine(".result-category", attendee && attendee.category);
    category.style.setProperty("--category-colour", (attendee && attendee.category_colour) || "transparent");
    setLine(".result-detail", detail);
    if (link) {
      var a = document.createElement("a");
      a.href = link.href;
      a.textContent = link.label;
      var detailEl = panel.querySelector(".result-detail");
      detailEl.appendChild(document.createTextNode(" "));
      detailEl.appendChild(a);
      detailEl.hidden = false;
    }
    if (colour !== "pending") document.dispatchEvent(new CustomEvent("checkin:colour", { detail: colour }));
    // Restart the flash animation so two equal answers in a row are still noticed.
    panel.classList.remove("flash");
    void panel.offsetWidth;
    panel.classList.add("flash");
  }

  /* Recent scans, newest first; kept in this tab's sessionStorage so that a reload does not
   * empty the list (and closing the tab does, as names should not linger on a shared device). */
  var HISTORY_KEY = "checkin.history";
  var recent = [];

  function showHistory(entry) {
    var li = document.createElement("li");
    li.className = "history-" + entry.colour;
    var time = document.createElement("span");
    time.className = "history-time";
    time.textContent = entry.when;
    var what = document.createElement("span");
    what.textContent = entry.text;
    li.appendChild(time);
    li.appendChild(what);
    history.insertBefore(li, history.firstChild);
    while (history.children.length > HISTORY_SIZE) history.removeChild(history.lastChild);
  }

  function addHistory(colour, status, attendee, when) {
    var entry = { colour: colour, when: when,
      text: (attendee && attendee.name ? attendee.name + " · " : "") + status };
    showHistory(entry);
    recent = [entry].concat(recent).slice(0, HISTORY_SIZE);
    try { window.sessionStorage.setItem(HISTORY_KEY, JSON.stringify(recent)); } catch (e) { /* ignore */ }
  }

  try {
    recent = JSON.parse(window.sessionStorage.getItem(HISTORY_KEY) || "[]").slice(0, HISTORY_SIZE);
  } catch (e) { recent = []; }
  recent.slice().reverse().forEach(showHistory);

  /* Now, in conference time: the recent scans list and the result panel agree. */
  function clockNow() {
    return conferenceClock(new Date()).time;
  }

  function showAnswer(answer, isLatest, kind) {
    var colour = colourOf(answer.status);
    var word = statusWord(answer.status);
    if (kind === "exit" && answer.status === "ok") word = text("exit-ok");
    // Scanned out earlier on a list that allows no re-entry: say so, not just "already in".
    if (answer.status === "already_checked_in" && answer.reentry === false) word = text("reentry-refused");
    var offlineNote = answer.offline ? text(answer.status === "ok" ? "offline-ok" : "offline") : "";
    var detail = "";
    if (answer.status === "already_checked_in" && answer.checked_in_at) {
      detail = text(answer.gate ? "checked-in-at-gate" : "checked-in-at")
        .replace("{time}", function () { return whenText(answer.checked_in_at); })
        .replace("{gate}", function () { return answer.gate || ""; });
    }
    if (offlineNote) detail = detail ? offlineNote + " · " + detail : offlineNote;
    if (isLatest) showPanel(colour, word, answer.attendee, detail);
    addHistory(colour, word, answer.attendee, clockNow());
  }

  function showFailure(message, isLatest, link) {
    if (isLatest) {
      showPanel("bad", message, null, "", link);
      undoable(false);
    }
    addHistory("bad", message, null, clockNow());
  }

  /* "Undo" takes back the scan on screen, and only one that let someone in or out: a
   * refused scan changed nothing, and undoing it must not seem to undo an admission. */
  function undoable(changed, nonce, code) {
    lastNonce = changed ? nonce : null;
    lastCode = changed ? code || null : null;
    undoButton.disabled = !changed;
  }

  function send(code) {
    var seq = ++latest;
    var controller = "AbortController" in window ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, TIMEOUT_MS) : null;
    var pending = setTimeout(function () {
      if (seq === latest) {
        panel.className = "scan-result result-pending";
        setLine(".result-status", text("checking"));
        ["name", "organisation", "category", "detail"].forEach(function (k) { setLine(".result-" + k, ""); });
      }
    }, 250);
    var gate = gateInput.value.trim();
    var nonce = newNonce();
    var kind = scanKind();
    var scan = { code: code, gate: gate || null, nonce: nonce, type: kind, scanned_at: new Date().toISOString() };
    var listSelect = document.getElementById("scan-list");
    if (listSelect && listSelect.value) scan.session = parseInt(listSelect.value, 10);

    function offline() {
      if (!window.checkinOffline) {
        showFailure(text("no-answer"), seq === latest);
        return;
      }
      return window.checkinOffline.scan(scan).then(function (answer) {
        showAnswer(answer, seq === latest, kind);
        if (seq === latest) undoable(answer.status === "ok", nonce, code);
      });
    }

    fetch(root.getAttribute("data-api-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: apiHeaders(),
      body: JSON.stringify({ code: code, gate: gate || null, nonce: nonce, type: kind, session: scan.session || null }),
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      if (response.status === 401) {
        showFailure(text("logged-out"), seq === latest,
          { href: root.getAttribute("data-login-url"), label: text("log-in") });
        return;
      }
      if (response.status >= 500) return offline();
      if (!response.ok) {
        showFailure(text("refused") + " (" + response.status + ")", seq === latest);
        return;
      }
      return response.json().then(function (answer) {
        if (window.checkinOffline && (answer.status === "ok" || answer.status === "already_checked_in")) {
          window.checkinOffline.remember(code, kind, answer.checked_in_at, answer.gate);
        }
        showAnswer(answer, seq === latest, kind);
        if (seq === latest) undoable(answer.status === "ok", nonce, code);
        document.dispatchEvent(new CustomEvent("checkin:scanned"));
      });
    }).catch(offline).catch(function () {
      showFailure(text("no-answer"), seq === latest);
    }).then(function () {
      clearTimeout(pending);
      if (timer) clearTimeout(timer);
      focusCode();
    });
  }

  function undoLast() {
    if (!lastNonce) return;
    var nonce = lastNonce;
    undoButton.disabled = true;
    var local = window.checkinOffline ? window.checkinOffline.isQueued(nonce) : Promise.resolve(false);
    local.catch(function () { return false; }).then(function (queued) {
      if (!queued) return undoOnServer(nonce);
      return window.checkinOffline.dequeue(nonce).then(function () {
        if (lastCode) window.checkinOffline.forget(lastCode);
        if (nonce === lastNonce) lastNonce = null;
        latest++;
        showPanel("warn", text("undone"), null, "");
        addHistory("warn", text("undone"), null, clockNow());
        focusCode();
      });
    });
  }

  function undoOnServer(nonce) {
    var code = lastCode;
    var seq = latest;
    fetch(root.getAttribute("data-annul-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: apiHeaders(),
      body: JSON.stringify({ nonce: nonce })
    }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    }).then(function (answer) {
      if (window.checkinOffline && code) window.checkinOffline.forget(code);
      if (nonce === lastNonce) lastNonce = null;
      latest++;
      showPanel("warn", text("undone"), answer.attendee, "");
      addHistory("warn", text("undone"), answer.attendee, clockNow());
    }).catch(function () {
      if (seq !== latest) return; // another scan is on screen now: its own undo stands
      showFailure(text("undo-failed"), true);
      undoable(true, nonce, code); // the scan stands: it may be undone again
    }).then(focusCode);
  }

  undoButton.addEventListener("click", undoLast);

  // A manual check-in from the lost-badge search shows its answer here too.
  window.checkinNonce = newNonce;
  document.addEventListener("checkin:answer", function (event) {
    var seq = ++latest;
    if (event.detail.failed) {
      showFailure(text("refused"), true);
      return;
    }
    showAnswer(event.detail.answer, seq === latest, "entry");
    undoable(event.detail.answer.status === "ok", event.detail.nonce, null);
    document.dispatchEvent(new CustomEvent("checkin:scanned"));
  });

  Array.prototype.forEach.call(root.querySelectorAll('input[name="scan-kind"]'), function (radio) {
    radio.addEventListener("change", function () {
      document.body.classList.toggle("scan-exit", scanKind() === "exit");
      try { window.localStorage.setItem(KIND_KEY, scanKind()); } catch (e) { /* ignore */ }
      focusCode();
    });
  });
  try {
    if (window.localStorage.getItem(KIND_KEY) === "exit") {
      root.querySelector('input[name="scan-kind"][value="exit"]').checked = true;
      document.body.classList.add("scan-exit");
    }
  } catch (e) { /* storage disabled */ }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var code = codeInput.value.replace(/\s+/g, ""); // printed in groups, typed with spaces
    codeInput.value = "";
    codeInput.focus({ preventScroll: true });
    if (code) send(code);
  });

  // The code input keeps the focus, so a scanner can type into it without a click;
  // only the gate field may take it, and gives it back on Enter.
  codeInput.addEventListener("blur", function () {
    setTimeout(function () {
      var active = document.activeElement;
      if (!active || active === document.body || active === document.documentElement) focusCode();
    }, 0);
  });
  // Wherever the focus was left (a button, a link, the page), a scanner's first character
  // moves it to the code field, so the code and its Enter arrive there and nowhere else.
  // Text fields and lists keep what is typed into them; Space still presses a button.
  document.addEventListener("keydown", function (event) {
    if (event.key.length !== 1 || event.ctrlKey || event.metaKey || event.altKey) return;
    var active = document.activeElement;
    if (active === codeInput || takesText(active)) return;
    if (event.key === " " && active && active !== document.body) return;
    codeInput.focus({ preventScroll: true });
  }, true);

  function takesText(el) {
    if (!el || !el.tagName) return false;
    if (el.isContentEditable || el.tagName === "TEXTAREA" || el.tagName === "SELECT") return true;
    return el.tagName === "INPUT" &&
      !/^(button|submit|reset|checkbox|radio|file|image|range|color)$/.test(el.type);
  }

  document.addEventListener("click", function (event) {
    if (!event.target.closest("input, button, a, select, textarea, label")) focusCode();
  });
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) focusCode();
  });
  window.addEventListener("focus", focusCode);

  try {
    // The field is on screen before this deferred script runs: a gate typed meanwhile
    // wins over the remembered one (and is remembered in its place).
    if (gateInput.value.trim()) window.localStorage.setItem(GATE_KEY, gateInput.value.trim());
    else gateInput.value = window.localStorage.getItem(GATE_KEY) || "";
  } catch (e) { /* storage disabled: the gate is simply not remembered */ }
  gateInput.addEventListener("input", function () {
    try { window.localStorage.setItem(GATE_KEY, gateInput.value.trim()); } catch (e) { /* ignore */ }
  });
  gateInput.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      codeInput.focus();
    }
  });
  gateInput.addEventListener("change", function () { codeInput.focus(); });

  codeInput.focus();
})();
