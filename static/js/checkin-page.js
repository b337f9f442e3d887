/* The door scanner page as the template renders it: the #scanner element, the API's
 * addresses on it (data-NAME-url), its words in the reader's language (data-text-NAME)
 * and the gate typed at the top of the page. */

export const scanner = document.getElementById("scanner");

const gateInput = document.getElementById("scan-gate");

/** The address of one API endpoint: url("counters") reads data-counters-url. */
export function url(name) {
  return scanner.getAttribute(`data-${name}-url`);
}

/** One of the page's sentences, "" where the template has none. */
export function text(name) {
  return scanner.getAttribute(`data-text-${name}`) || "";
}

/** The gate this device scans at, or null when none was typed. */
export function currentGate() {
  return gateInput.value.trim() || null;
}
