/* Arrival counters on the scanner page: checked in out of expected, the last ten
 * minutes and each gate; fetched every few seconds while the page is on screen, and
 * after each scan. */

import { get } from "./checkin-api.js";
import { text, url } from "./checkin-page.js";

const POLL_MS = 5000;
const countIn = document.getElementById("count-in");
const countExpected = document.getElementById("count-expected");
const countRecent = document.getElementById("count-recent");
const countGates = document.getElementById("count-gates");

function showCounters(data) {
  countIn.textContent = data.checked_in;
  countExpected.textContent = data.expected;
  countRecent.textContent = data.last_10_minutes;
  countGates.textContent = "";
  data.gates.forEach((g) => {
    const li = document.createElement("li");
    li.textContent = `${g.gate || text("no-gate")}: ${g.checked_in}`;
    countGates.appendChild(li);
  });
}

/** Fetches the counters again (not while the page is hidden). */
export function refreshCounters() {
  if (document.hidden) return;
  get(url("counters")).then(showCounters).catch(() => { /* offline: keep the last figures */ });
}

export function startCounters() {
  refreshCounters();
  setInterval(refreshCounters, POLL_MS);
}
