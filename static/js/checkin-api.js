/* The one client of the check-in API (/api/v1/checkin…) on the scanner page.
 *
 * Every request goes with the staff session's cookie and the header the API asks of a
 * caller logged in by cookie in place of a CSRF token (X-Requested-With: checkin, named
 * by the page's data-header-name and data-header-value); bodies go as JSON. A request
 * resolves with the JSON of a 2xx answer. Any other status rejects with an ApiError that
 * holds the status and the answer's RFC 9457 problem document (application/problem+json;
 * {} when the body is not one); no answer at all (network down, time-out) rejects with
 * the browser's own TypeError or AbortError, so a caller can tell a refusal from
 * silence. */

import { scanner } from "./checkin-page.js";

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.problem = problem;
  }
}

function headers(hasBody) {
  const result = { Accept: "application/json, application/problem+json" };
  if (hasBody) result["Content-Type"] = "application/json";
  result[scanner.getAttribute("data-header-name")] = scanner.getAttribute("data-header-value");
  return result;
}

function problemOf(response) {
  return response.json().then(
    (body) => (body && typeof body === "object" ? body : {}),
    () => ({}),
  );
}

/** GET or POST (with a JSON body) one endpoint; timeoutMs gives up waiting after that long. */
export function request(url, { method = "GET", body, timeoutMs } = {}) {
  const controller = timeoutMs ? new AbortController() : null;
  const timer = controller ? setTimeout(() => controller.abort(), timeoutMs) : null;
  return fetch(url, {
    method,
    credentials: "same-origin",
    headers: headers(body !== undefined),
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: controller ? controller.signal : undefined,
  }).then((response) => {
    if (response.ok) return response.json();
    return problemOf(response).then((problem) => {
      throw new ApiError(response.status, problem);
    });
  }).finally(() => clearTimeout(timer));
}

export function get(url) {
  return request(url);
}

export function post(url, body, options = {}) {
  return request(url, { ...options, method: "POST", body });
}

/** A random UUID (version 4) to make a scan count once however often it is sent. Taken
 * from crypto.getRandomValues, which pages served over plain HTTP have too (unlike
 * crypto.randomUUID); never from a clock or a non-cryptographic generator. */
export function newNonce() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
}
