/* The door desk on the scanner page: the check-in lists (the main door, or the door of
 * a session whose room is limited) and the lost-badge search (at least two characters)
 * with a button that checks the person in by hand; that answer shows in the result panel
 * like a scan's. */

import { get, newNonce, post } from "./checkin-api.js";
import { currentGate, text, url } from "./checkin-page.js";
import { showDeskAnswer, showDeskFailure } from "./checkin-scanner.js";

const MIN_QUERY = 2;
const SEARCH_AFTER_MS = 200;
const LIST_KEY = "checkin.list";
const codeInput = document.getElementById("scan-code");
const listSelect = document.getElementById("scan-list");
const query = document.getElementById("lost-query");
const hint = document.getElementById("lost-hint");
const results = document.getElementById("lost-results");

let searchSeq = 0;

function loadLists() {
  get(url("lists")).then((data) => {
    data.items.forEach((item) => {
      if (item.session === null) return;
      const option = document.createElement("option");
      option.value = String(item.session);
      option.textContent = `${item.title} · ${item.room} (${item.inside}/${item.capacity})`;
      listSelect.appendChild(option);
    });
    try { listSelect.value = window.localStorage.getItem(LIST_KEY) || ""; } catch (e) { /* ignore */ }
    if (listSelect.selectedIndex < 0) listSelect.value = "";
  }).catch(() => { /* offline: main door only */ });
  listSelect.addEventListener("change", () => {
    try { window.localStorage.setItem(LIST_KEY, listSelect.value); } catch (e) { /* ignore */ }
    codeInput.focus();
  });
}

function checkInByHand(ref) {
  const nonce = newNonce();
  post(url("manual"), { ref, gate: currentGate(), nonce, type: "entry" }).then((answer) => {
    showDeskAnswer(answer, nonce);
    search();
    // Done at the desk: the code field is ready for the next badge in the queue.
    codeInput.focus({ preventScroll: true });
  }).catch(showDeskFailure);
}

function showResults(items) {
  results.textContent = "";
  hint.textContent = items.length ? "" : text("nobody");
  hint.hidden = !!items.length;
  items.forEach((item) => {
    const li = document.createElement("li");
    const who = document.createElement("span");
    who.className = "lost-who";
    const name = document.createElement("strong");
    name.textContent = item.name;
    const more = document.createElement("small");
    more.textContent = [item.organisation, item.category].filter(Boolean).join(" · ");
    who.appendChild(name);
    who.appendChild(more);
    li.appendChild(who);
    if (item.checked_in) {
      const done = document.createElement("span");
      done.textContent = text("inside");
      li.appendChild(done);
    } else {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "button";
      button.textContent = text("check-in");
      button.addEventListener("click", () => checkInByHand(item.ref));
      li.appendChild(button);
    }
    results.appendChild(li);
  });
}

function search() {
  const q = query.value.trim();
  const seq = ++searchSeq;
  if (q.length < MIN_QUERY) {
    results.textContent = "";
    hint.textContent = text("type-more");
    hint.hidden = false;
    return;
  }
  get(`${url("search")}?q=${encodeURIComponent(q)}`).then((data) => {
    if (seq === searchSeq) showResults(data.items);
  }).catch(() => { /* keep the last list */ });
}

export function startDesk() {
  loadLists();
  let timer = null;
  query.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(search, SEARCH_AFTER_MS);
  });
  query.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      search();
    }
  });
}
