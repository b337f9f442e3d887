/* Walk-in registration at the desk (scanner page, staff login): the form is sent to
 * POST /api/v1/checkin/walk-in. A confirmed registration gets a link to its badge PDF
 * (opened at once where the browser allows it); when "check in now" was ticked the
 * admission is shown in the big result panel like any scan (and may be undone there).
 * An e-mail address registered already offers to find that person in the search. */
(function () {
  "use strict";

  var root = document.getElementById("scanner");
  var form = document.getElementById("walk-in-form");
  if (!root || !form) return;
  var resultBox = document.getElementById("walk-in-result");
  var FIELDS = ["name", "email", "organisation", "job_title", "category", "consent"];

  function text(name) { return form.getAttribute("data-text-" + name) || ""; }

  function headers() {
    var h = { "Content-Type": "application/json", "Accept": "application/json" };
    h[root.getAttribute("data-header-name")] = root.getAttribute("data-header-value");
    return h;
  }

  function clearErrors() {
    FIELDS.forEach(function (name) {
      var error = form.querySelector('[data-error-for="' + name + '"]');
      if (error) { error.textContent = ""; error.hidden = true; }
      var input = form.elements[name];
      if (input) input.removeAttribute("aria-invalid");
    });
  }

  function showErrors(errors) {
    var first = null;
    Object.keys(errors || {}).forEach(function (name) {
      var error = form.querySelector('[data-error-for="' + name + '"]');
      var input = form.elements[name];
      if (!error) return;
      error.textContent = [].concat(errors[name]).join(" ");
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
    var p = document.createElement("p");
    p.className = "walk-in-message";
    p.textContent = message;
    resultBox.appendChild(p);
    resultBox.hidden = false;
    return p;
  }

  function findPerson(name) {
    var lost = document.getElementById("lost-badge");
    var query = document.getElementById("lost-query");
    if (!lost || !query) return;
    lost.open = true;
    query.value = name;
    query.dispatchEvent(new Event("input"));
    query.focus();
  }

  function registered(answer, nonce) {
    var words = { confirmed: "confirmed", waitlisted: "waitlisted", pending: "pending" };
    var p = say(answer.name + " — " + text(words[answer.status] || "pending"));
    p.className = "walk-in-message walk-in-" + answer.status;
    if (answer.badge_url) {
      var link = document.createElement("a");
      link.href = answer.badge_url;
      link.target = "_blank";
      link.rel = "noopener";
      link.className = "button button-primary walk-in-badge";
      link.id = "walk-in-badge";
      link.textContent = text("badge");
      resultBox.appendChild(link);
      link.focus();
    }
    if (answer.checkin) {
      document.dispatchEvent(new CustomEvent("checkin:answer", { detail: { answer: answer.checkin, nonce: nonce } }));
    }
    ["name", "email", "organisation", "job_title"].forEach(function (name) { form.elements[name].value = ""; });
    form.elements.consent.checked = false;
  }

  function duplicate(problem) {
    say(problem.detail || "");
    if (problem.existing) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button";
      button.textContent = text("find") + ": " + problem.existing.name;
      button.addEventListener("click", function () { findPerson(problem.existing.name); });
      resultBox.appendChild(button);
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearErrors();
    var nonce = window.checkinNonce ? window.checkinNonce() : String(Date.now()) + Math.random();
    var gate = (document.getElementById("scan-gate").value || "").trim();
    var body = {
      name: form.elements.name.value,
      email: form.elements.email.value,
      organisation: form.elements.organisation.value,
      job_title: form.elements.job_title.value,
      category: form.elements.category.value,
      language: form.elements.language.value,
      consent: form.elements.consent.checked,
      check_in: form.elements.check_in.checked,
      gate: gate || null,
      nonce: nonce
    };
    var submit = form.querySelector('button[type="submit"]');
    submit.disabled = true;
    fetch(root.getAttribute("data-walk-in-url"), {
      method: "POST", credentials: "same-origin", headers: headers(), body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (response.status === 201) return registered(data, nonce);
        if (response.status === 409) return duplicate(data);
        if (response.status === 422) {
          showErrors(data.errors);
          return say(text("invalid"));
        }
        if (response.status === 401 || response.status === 403) return say(text("forbidden"));
        say(data.detail || text("offline"));
      });
    }).catch(function () {
      say(text("offline"));
    }).then(function () {
      submit.disabled = false;
    });
  });
})();
