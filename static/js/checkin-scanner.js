/* The door scanner: a keyboard-wedge scanner (or the camera) types the badge code and
 * Enter into the always-focused code field; each code is sent to POST /api/v1/checkin,
 * or checked on this device when the server cannot be reached, and the answer is shown
 * in the panel (checkin-result.js). "Undo" takes back the scan on screen. The gate, the
 * direction (entry or exit) and the door list are remembered on this device. */

import { ApiError, newNonce, post } from "./checkin-api.js";
import { refreshCounters } from "./checkin-counters.js";
import { dequeue, forget, isQueued, remember, scanOffline } from "./checkin-offline.js";
import { currentGate, scanner, text, url } from "./checkin-page.js";
import { restoreHistory, showAnswer, showFailure, showPending, showUndone } from "./checkin-result.js";

const form = document.getElementById("scan-form");
const codeInput = document.getElementById("scan-code");
const gateInput = document.getElementById("scan-gate");
const undoButton = document.getElementById("scan-undo");
const listSelect = document.getElementById("scan-list");
const GATE_KEY = "checkin.gate";
const KIND_KEY = "checkin.kind";
const TIMEOUT_MS = 8000;
const PENDING_AFTER_MS = 250;

let latest = 0; // sequence number of the newest scan: older answers never replace it
let lastNonce = null; // nonce of the scan on screen if it let someone in or out: what "Undo" takes back
let lastCode = null; // and its badge code

function scanKind() {
  const checked = scanner.querySelector('input[name="scan-kind"]:checked');
  return checked ? checked.value : "entry";
}

function focusCode() {
  const active = document.activeElement;
  // Never pull the focus out of the desk forms (lost badge search, walk-in).
  if (active && active.closest && active.closest("#walk-in, #lost-badge") &&
      /^(INPUT|SELECT|TEXTAREA|BUTTON|A)$/.test(active.tagName)) return;
  if (active !== codeInput && active !== gateInput) {
    codeInput.focus({ preventScroll: true });
  }
}

/* "Undo" takes back the scan on screen, and only one that let someone in or out: a
 * refused scan changed nothing, and undoing it must not seem to undo an admission. */
function undoable(changed, nonce, code) {
  lastNonce = changed ? nonce : null;
  lastCode = changed ? code || null : null;
  undoButton.disabled = !changed;
}

function fail(message, isLatest, link) {
  showFailure(message, isLatest, link);
  if (isLatest) undoable(false);
}

function send(code) {
  const seq = ++latest;
  const pending = setTimeout(() => { if (seq === latest) showPending(); }, PENDING_AFTER_MS);
  const nonce = newNonce();
  const kind = scanKind();
  const scan = { code, gate: currentGate(), nonce, type: kind, scanned_at: new Date().toISOString() };
  if (listSelect && listSelect.value) scan.session = parseInt(listSelect.value, 10);

  function offline() {
    return scanOffline(scan).then((answer) => {
      showAnswer(answer, seq === latest, kind);
      if (seq === latest) undoable(answer.status === "ok", nonce, code);
    });
  }

  post(url("api"), { code, gate: scan.gate, nonce, type: kind, session: scan.session || null },
    { timeoutMs: TIMEOUT_MS })
    .then((answer) => {
      if (answer.status === "ok" || answer.status === "already_checked_in") {
        remember(code, kind, answer.checked_in_at, answer.gate);
      }
      showAnswer(answer, seq === latest, kind);
      if (seq === latest) undoable(answer.status === "ok", nonce, code);
      refreshCounters();
    }, (error) => {
      if (!(error instanceof ApiError)) throw error; // no answer: checked on this device below
      if (error.status >= 500) return offline();
      if (error.status === 401) {
        fail(text("logged-out"), seq === latest, { href: url("login"), label: text("log-in") });
      } else {
        fail(`${text("refused")} (${error.status})`, seq === latest);
      }
    })
    .catch(offline)
    .catch(() => fail(text("no-answer"), seq === latest))
    .then(() => {
      clearTimeout(pending);
      focusCode();
    });
}

function undoLast() {
  if (!lastNonce) return;
  const nonce = lastNonce;
  undoButton.disabled = true;
  isQueued(nonce).catch(() => false).then((queued) => {
    if (!queued) return undoOnServer(nonce);
    return dequeue(nonce).then(() => {
      if (lastCode) forget(lastCode);
      if (nonce === lastNonce) lastNonce = null;
      latest++;
      showUndone(null);
      focusCode();
    });
  });
}

function undoOnServer(nonce) {
  const code = lastCode;
  const seq = latest;
  post(url("annul"), { nonce }).then((answer) => {
    if (code) forget(code);
    if (nonce === lastNonce) lastNonce = null;
    latest++;
    showUndone(answer.attendee);
  }).catch(() => {
    if (seq !== latest) return; // another scan is on screen now: its own undo stands
    fail(text("undo-failed"), true);
    undoable(true, nonce, code); // the scan stands: it may be undone again
  }).then(focusCode);
}

/** A check-in made at the desk (lost badge, walk-in) shows like a scan and may be undone. */
export function showDeskAnswer(answer, nonce) {
  latest++;
  showAnswer(answer, true, "entry");
  undoable(answer.status === "ok", nonce, null);
  refreshCounters();
}

/** A check-in at the desk that the server refused or never answered. */
export function showDeskFailure() {
  latest++;
  fail(text("refused"), true);
}

function takesText(el) {
  if (!el || !el.tagName) return false;
  if (el.isContentEditable || el.tagName === "TEXTAREA" || el.tagName === "SELECT") return true;
  return el.tagName === "INPUT" &&
    !/^(button|submit|reset|checkbox|radio|file|image|range|color)$/.test(el.type);
}

function rememberKind() {
  scanner.querySelectorAll('input[name="scan-kind"]').forEach((radio) => {
    radio.addEventListener("change", () => {
      document.body.classList.toggle("scan-exit", scanKind() === "exit");
      try { window.localStorage.setItem(KIND_KEY, scanKind()); } catch (e) { /* ignore */ }
      focusCode();
    });
  });
  try {
    if (window.localStorage.getItem(KIND_KEY) === "exit") {
      scanner.querySelector('input[name="scan-kind"][value="exit"]').checked = true;
      document.body.classList.add("scan-exit");
    }
  } catch (e) { /* storage disabled */ }
}

function rememberGate() {
  try {
    // The field is on screen before this module runs: a gate typed meanwhile wins over
    // the remembered one (and is remembered in its place).
    if (gateInput.value.trim()) window.localStorage.setItem(GATE_KEY, gateInput.value.trim());
    else gateInput.value = window.localStorage.getItem(GATE_KEY) || "";
  } catch (e) { /* storage disabled: the gate is simply not remembered */ }
  gateInput.addEventListener("input", () => {
    try { window.localStorage.setItem(GATE_KEY, gateInput.value.trim()); } catch (e) { /* ignore */ }
  });
  gateInput.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      codeInput.focus();
    }
  });
  gateInput.addEventListener("change", () => codeInput.focus());
}

/* The code field keeps the focus, so a scanner can type into it without a click; only
 * the gate field may take it, and gives it back on Enter. */
function keepFocus() {
  codeInput.addEventListener("blur", () => {
    setTimeout(() => {
      const active = document.activeElement;
      if (!active || active === document.body || active === document.documentElement) focusCode();
    }, 0);
  });
  // Wherever the focus was left (a button, a link, the page), a scanner's first character
  // moves it to the code field, so the code and its Enter arrive there and nowhere else.
  // Text fields and lists keep what is typed into them; Space still presses a button.
  document.addEventListener("keydown", (event) => {
    if (event.key.length !== 1 || event.ctrlKey || event.metaKey || event.altKey) return;
    const active = document.activeElement;
    if (active === codeInput || takesText(active)) return;
    if (event.key === " " && active && active !== document.body) return;
    codeInput.focus({ preventScroll: true });
  }, true);
  document.addEventListener("click", (event) => {
    if (!event.target.closest("input, button, a, select, textarea, label")) focusCode();
  });
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) focusCode();
  });
  window.addEventListener("focus", focusCode);
}

export function startScanner() {
  restoreHistory();
  undoButton.addEventListener("click", undoLast);
  rememberKind();
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const code = codeInput.value.replace(/\s+/g, ""); // printed in groups, typed with spaces
    codeInput.value = "";
    codeInput.focus({ preventScroll: true });
    if (code) send(code);
  });
  keepFocus();
  rememberGate();
  codeInput.focus();
  scanTypedBeforeReady();
}

/* A scanner that types a code and Enter before this script runs submits the bare form,
 * which reloads this page as /checkin?code=…: that scan is sent now, and the code taken
 * out of the address so that reloading does not send it again. Only a reload from this
 * page counts (its referrer), never a link from elsewhere that carries a code. */
function scanTypedBeforeReady() {
  const params = new URLSearchParams(window.location.search);
  const code = (params.get("code") || "").replace(/\s+/g, "");
  if (!params.has("code")) return;
  params.delete("code");
  const rest = params.toString();
  window.history.replaceState(null, "", window.location.pathname + (rest ? "?" + rest : ""));
  let fromHere = false;
  try {
    const referrer = new URL(document.referrer);
    fromHere = referrer.origin === window.location.origin && referrer.pathname === window.location.pathname;
  } catch (error) {
    fromHere = false; // no referrer, or not an address
  }
  if (code && fromHere) send(code);
}
