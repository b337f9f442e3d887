/* Badges in bulk: while a print job waits or renders, the jobs table is fetched again
 * (GET /admin/badges/jobs, the same rows the page shows) about once a second and the rows
 * that changed are swapped in place, so the form keeps what the organiser is choosing.
 * A job that finishes is announced to screen readers. Polling stops when no job is busy;
 * without JavaScript the page reloads itself instead. */
(function () {
  "use strict";

  var box = document.getElementById("print-jobs");
  if (!box || !window.fetch || !window.DOMParser) return;
  var news = document.getElementById("print-jobs-news");
  var url = box.getAttribute("data-poll");
  var EVERY_MS = 1000;
  var HIDDEN_EVERY_MS = 5000; // the tab is in the background
  var RETRY_MS = 5000; // the server did not answer
  var BUSY = '[data-status="queued"], [data-status="running"]';

  function rows(root) { return Array.prototype.slice.call(root.querySelectorAll("tbody tr[id]")); }

  function ids(root) { return rows(root).map(function (row) { return row.id; }).join(" "); }

  function busy() { return box.querySelector(BUSY) !== null; }

  function announce(finished) {
    if (!news || !finished.length) return;
    news.textContent = finished.map(function (row) {
      var cells = row.querySelectorAll("td");
      return "#" + cells[0].textContent.trim() + " " + row.querySelector(".job-status").textContent.trim();
    }).join(" · ");
  }

  function update(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html").body;
    var finished = rows(fresh).filter(function (row) {
      var old = document.getElementById(row.id);
      return old && old.matches(BUSY) && !row.matches(BUSY);
    });
    if (ids(fresh) !== ids(box)) {
      box.innerHTML = fresh.innerHTML; // a job was added (or dropped off the list)
    } else {
      rows(fresh).forEach(function (row) {
        var old = document.getElementById(row.id);
        if (old.outerHTML !== row.outerHTML) old.replaceWith(document.importNode(row, true));
      });
    }
    announce(finished);
  }

  function schedule(ms) {
    if (busy()) window.setTimeout(poll, document.hidden ? Math.max(ms, HIDDEN_EVERY_MS) : ms);
  }

  function poll() {
    fetch(url, { credentials: "same-origin", cache: "no-store", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (response.redirected) { // signed out meanwhile: show the page the server sends
          window.location.reload();
          throw new Error("redirected");
        }
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) { update(html); schedule(EVERY_MS); })
      .catch(function (error) { if (error.message !== "redirected") schedule(RETRY_MS); });
  }

  schedule(EVERY_MS);
})();
