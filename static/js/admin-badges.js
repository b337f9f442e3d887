/* Badges in bulk: while a print job waits or renders, the jobs table is fetched again
 * (GET /admin/badges/jobs, the same rows the page shows) about once a second and the rows
 * that changed are swapped in place, so the form keeps what the organiser is choosing.
 * A job that finishes is announced to screen readers. Polling stops when no job is busy;
 * without JavaScript the page reloads itself instead. */

const box = document.getElementById("print-jobs");
const news = document.getElementById("print-jobs-news");
const EVERY_MS = 1000;
const HIDDEN_EVERY_MS = 5000; // the tab is in the background
const RETRY_MS = 5000; // the server did not answer
const BUSY = '[data-status="queued"], [data-status="running"]';

function rows(root) { return Array.from(root.querySelectorAll("tbody tr[id]")); }

function ids(root) { return rows(root).map((row) => row.id).join(" "); }

function busy() { return box.querySelector(BUSY) !== null; }

function announce(finished) {
  if (!news || !finished.length) return;
  news.textContent = finished.map((row) => {
    const cells = row.querySelectorAll("td");
    return `#${cells[0].textContent.trim()} ${row.querySelector(".job-status").textContent.trim()}`;
  }).join(" · ");
}

function update(html) {
  const fresh = new DOMParser().parseFromString(html, "text/html").body;
  const finished = rows(fresh).filter((row) => {
    const old = document.getElementById(row.id);
    return old && old.matches(BUSY) && !row.matches(BUSY);
  });
  if (ids(fresh) !== ids(box)) {
    box.innerHTML = fresh.innerHTML; // a job was added (or dropped off the list)
  } else {
    rows(fresh).forEach((row) => {
      const old = document.getElementById(row.id);
      if (old.outerHTML !== row.outerHTML) old.replaceWith(document.importNode(row, true));
    });
  }
  announce(finished);
}

function schedule(ms) {
  if (busy()) window.setTimeout(poll, document.hidden ? Math.max(ms, HIDDEN_EVERY_MS) : ms);
}

function poll() {
  fetch(box.getAttribute("data-poll"), { credentials: "same-origin", cache: "no-store", headers: { Accept: "text/html" } })
    .then((response) => {
      if (response.redirected) { // signed out meanwhile: show the page the server sends
        window.location.reload();
        throw new Error("redirected");
      }
      if (!response.ok) throw new Error(String(response.status));
      return response.text();
    })
    .then((html) => {
      update(html);
      schedule(EVERY_MS);
    })
    .catch((error) => { if (error.message !== "redirected") schedule(RETRY_MS); });
}

if (box) schedule(EVERY_MS);
