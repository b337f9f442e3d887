/* Walk-in registration at the desk (scanner page, staff login): the form is sent to
 * POST /api/v1/checkin/walk-in. A confirmed registration gets a link to its badge PDF,
 * which takes the focus, ready to print; when "check in now" was ticked the admission
 * shows in the big result panel like any scan (and may be undone there). An e-mail
 * address registered already offers to find that person in the lost-badge search. */

import { ApiError, newNonce, post } from "./checkin-api.js";
import { currentGate, url } from "./checkin-page.js";
import { showDeskAnswer } from "./checkin-scanner.js";

const form = document.getElementById("walk-in-form");
const resultBox = document.getElementById("walk-in-result");
const FIELDS = ["name", "email", "organisation", "job_title", "category", "consent"];
const CLEARED = ["name", "email", "organisation", "job_title"];

function text(name) { return form.getAttribute(`data-text-${name}`) || ""; }

function clearErrors() {
  FIELDS.forEach((name) => {
    const error = form.querySelector(`[data-error-for="${name}"]`);
    if (error) {
      error.textContent = "";
      error.hidden = true;
    }
    const input = form.elements[name];
    if (input) input.removeAttribute("aria-invalid");
  });
}

/* A 422's invalid_params ([{name, reason}], RFC 9457) shown under each field; a field
 * named more than once shows every reason. */
function showErrors(params) {
  let first = null;
  const reasons = {};
  (Array.isArray(params) ? params : []).forEach(({ name, reason }) => {
    (reasons[name] = reasons[name] || []).push(reason);
  });
  Object.keys(reasons).forEach((name) => {
    const error = form.querySelector(`[data-error-for="${name}"]`);
    const input = form.elements[name];
    if (!error) return;
    error.textContent = reasons[name].join(" ");
    error.hidden = false;
    if (input) {
      input.setAttribute("aria-invalid", "true");
      if (!first) first = input;
    }
  });
  if (first) first.focus();
}

function say(message) {
  resultBox.textContent = "";
  const p = document.createElement("p");
  p.className = "walk-in-message";
  p.textContent = message;
  resultBox.appendChild(p);
  resultBox.hidden = false;
  return p;
}

function findPerson(name) {
  const lost = document.getElementById("lost-badge");
  const query = document.getElementById("lost-query");
  if (!lost || !query) return;
  lost.open = true;
  query.value = name;
  query.dispatchEvent(new Event("input"));
  query.focus();
}

function registered(answer, nonce) {
  const words = { confirmed: "confirmed", waitlisted: "waitlisted", pending: "pending" };
  const p = say(`${answer.name} — ${text(words[answer.status] || "pending")}`);
  p.className = `walk-in-message walk-in-${answer.status}`;
  if (answer.badge_url) {
    const link = document.createElement("a");
    link.href = answer.badge_url;
    link.target = "_blank";
    link.rel = "noopener";
    link.className = "button button-primary walk-in-badge";
    link.id = "walk-in-badge";
    link.textContent = text("badge");
    resultBox.appendChild(link);
    link.focus();
  }
  if (answer.checkin) showDeskAnswer(answer.checkin, nonce);
  CLEARED.forEach((name) => { form.elements[name].value = ""; });
  form.elements.consent.checked = false;
}

function duplicate(problem) {
  say(problem.detail || "");
  if (problem.existing) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button";
    button.textContent = `${text("find")}: ${problem.existing.name}`;
    button.addEventListener("click", () => findPerson(problem.existing.name));
    resultBox.appendChild(button);
  }
}

function refused(error) {
  if (!(error instanceof ApiError)) throw error;
  const problem = error.problem;
  if (error.status === 409) return duplicate(problem);
  if (error.status === 422) {
    showErrors(problem.invalid_params);
    return say(text("invalid"));
  }
  if (error.status === 401 || error.status === 403) return say(text("forbidden"));
  return say(problem.detail || text("offline"));
}

function submit(event) {
  event.preventDefault();
  clearErrors();
  const nonce = newNonce();
  const body = {
    name: form.elements.name.value,
    email: form.elements.email.value,
    organisation: form.elements.organisation.value,
    job_title: form.elements.job_title.value,
    category: form.elements.category.value,
    language: form.elements.language.value,
    consent: form.elements.consent.checked,
    check_in: form.elements.check_in.checked,
    gate: currentGate(),
    nonce,
  };
  const button = form.querySelector('button[type="submit"]');
  button.disabled = true;
  post(url("walk-in"), body)
    .then((answer) => registered(answer, nonce), refused)
    .catch(() => say(text("offline")))
    .then(() => { button.disabled = false; });
}

export function startWalkIn() {
  if (form) form.addEventListener("submit", submit);
}
