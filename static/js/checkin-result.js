/* The answer panel and the recent scans on the scanner page.
 *
 * The panel is green for an admission, amber for a badge already inside, red for anything
 * else, and each answer sounds (checkin-sounds.js). The recent scans list the newest
 * first and are kept in this tab's sessionStorage, so a reload keeps them and closing the
 * tab forgets them: names should not linger on a shared device. Times are the
 * conference's wall clock (data-timezone), whatever the device's own zone. */

import { scanner, text } from "./checkin-page.js";
import { sound } from "./checkin-sounds.js";

const panel = document.getElementById("scan-result");
const history = document.getElementById("scan-history");
const HISTORY_KEY = "checkin.history";
const HISTORY_SIZE = 8;
const GREEN = new Set(["ok"]);
const AMBER = new Set(["already_checked_in"]);

let recent = [];

function statusWord(status) {
  return scanner.getAttribute(`data-status-${status}`) || scanner.getAttribute("data-status-unknown");
}

function colourOf(status) {
  if (GREEN.has(status)) return "ok";
  if (AMBER.has(status)) return "warn";
  return "bad";
}

/* Wall-clock day and time of a moment in the conference's time zone. */
let clockFormat = null;
try {
  clockFormat = new Intl.DateTimeFormat("en-CA", {
    timeZone: scanner.getAttribute("data-timezone") || undefined,
    year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  });
} catch (e) { clockFormat = null; /* unknown zone: the device's own */ }

function conferenceClock(date) {
  if (clockFormat && clockFormat.formatToParts) {
    const parts = {};
    clockFormat.formatToParts(date).forEach((p) => { parts[p.type] = p.value; });
    return { day: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
  }
  const two = (n) => String(n).padStart(2, "0");
  return {
    day: `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}`,
    time: `${two(date.getHours())}:${two(date.getMinutes())}`,
  };
}

/* "09:12", or "2024-09-18 09:12" when not today, in conference time — whether the time
 * came from the server (conference offset) or from this device (UTC). */
function whenText(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  if (isNaN(date.getTime())) return String(iso).slice(11, 16);
  const at = conferenceClock(date);
  return at.day === conferenceClock(new Date()).day ? at.time : `${at.day} ${at.time}`;
}

function clockNow() {
  return conferenceClock(new Date()).time;
}

function setLine(selector, value) {
  const el = panel.querySelector(selector);
  el.textContent = value || "";
  el.hidden = !value;
}

function showPanel(colour, status, attendee, detail, link) {
  panel.className = `scan-result result-${colour}`;
  setLine(".result-status", status);
  setLine(".result-name", attendee && attendee.name);
  setLine(".result-organisation", attendee && attendee.organisation);
  setLine(".result-category", attendee && attendee.category);
  panel.querySelector(".result-category").style.setProperty(
    "--category-colour", (attendee && attendee.category_colour) || "transparent");
  setLine(".result-detail", detail);
  if (link) {
    const a = document.createElement("a");
    a.href = link.href;
    a.textContent = link.label;
    const detailEl = panel.querySelector(".result-detail");
    detailEl.appendChild(document.createTextNode(" "));
    detailEl.appendChild(a);
    detailEl.hidden = false;
  }
  sound(colour);
  // Restart the flash animation so two equal answers in a row are still noticed.
  panel.classList.remove("flash");
  void panel.offsetWidth;
  panel.classList.add("flash");
}

/** "Checking…" in the panel while a slow answer is awaited. */
export function showPending() {
  panel.className = "scan-result result-pending";
  setLine(".result-status", text("checking"));
  ["name", "organisation", "category", "detail"].forEach((k) => setLine(`.result-${k}`, ""));
}

function showHistory(entry) {
  const li = document.createElement("li");
  li.className = `history-${entry.colour}`;
  const time = document.createElement("span");
  time.className = "history-time";
  time.textContent = entry.when;
  const what = document.createElement("span");
  what.textContent = entry.text;
  li.appendChild(time);
  li.appendChild(what);
  history.insertBefore(li, history.firstChild);
  while (history.children.length > HISTORY_SIZE) history.removeChild(history.lastChild);
}

function addHistory(colour, status, attendee) {
  const entry = { colour, when: clockNow(), text: (attendee && attendee.name ? `${attendee.name} · ` : "") + status };
  showHistory(entry);
  recent = [entry].concat(recent).slice(0, HISTORY_SIZE);
  try { window.sessionStorage.setItem(HISTORY_KEY, JSON.stringify(recent)); } catch (e) { /* ignore */ }
}

/** Shows the recent scans this tab kept over a reload. */
export function restoreHistory() {
  try {
    recent = JSON.parse(window.sessionStorage.getItem(HISTORY_KEY) || "[]").slice(0, HISTORY_SIZE);
  } catch (e) { recent = []; }
  recent.slice().reverse().forEach(showHistory);
}

/** An answer of the API (or of the offline check) for a scan of this kind ("entry" or
 * "exit"): in the panel if it answers the latest scan, in the recent scans always. */
export function showAnswer(answer, isLatest, kind) {
  const colour = colourOf(answer.status);
  let word = statusWord(answer.status);
  if (kind === "exit" && answer.status === "ok") word = text("exit-ok");
  // Scanned out earlier on a list that allows no re-entry: say so, not just "already in".
  if (answer.status === "already_checked_in" && answer.reentry === false) word = text("reentry-refused");
  const offlineNote = answer.offline ? text(answer.status === "ok" ? "offline-ok" : "offline") : "";
  let detail = "";
  if (answer.status === "already_checked_in" && answer.checked_in_at) {
    detail = text(answer.gate ? "checked-in-at-gate" : "checked-in-at")
      .replace("{time}", () => whenText(answer.checked_in_at))
      .replace("{gate}", () => answer.gate || "");
  }
  if (offlineNote) detail = detail ? `${offlineNote} · ${detail}` : offlineNote;
  if (isLatest) showPanel(colour, word, answer.attendee, detail);
  addHistory(colour, word, answer.attendee);
}

/** A scan that got no answer to show (red), with a link to follow where one helps. */
export function showFailure(message, isLatest, link) {
  if (isLatest) showPanel("bad", message, null, "", link);
  addHistory("bad", message, null);
}

/** A scan taken back with Undo (amber), with the attendee where the server named one. */
export function showUndone(attendee) {
  showPanel("warn", text("undone"), attendee, "");
  addHistory("warn", text("undone"), attendee);
}
