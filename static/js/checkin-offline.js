/* Offline check-in: when the server cannot be reached, the page checks the badge itself.
 *
 * A badge code is base32 of 83 bytes: format (1) | badge id (10) | conference tag (4) |
 * category tag (2) | version (2, big-endian) | Ed25519 signature of the first 19 bytes.
 * The public key and the tags come from GET /api/v1/checkin/keys, the revoked badge
 * versions from GET /api/v1/checkin/revoked?since=… (both cached in localStorage).
 * Ed25519 is verified with WebCrypto where the browser has it, else with the vendored
 * @noble/ed25519 (imported on first use). Scans accepted offline are queued in IndexedDB
 * with their nonce and time and uploaded when the server answers again; the queue
 * survives reloads and browser restarts. */

import { ApiError, get, post } from "./checkin-api.js";
import { scanner, url } from "./checkin-page.js";

const KEYS_KEY = "checkin.keys";
const REVOKED_KEY = "checkin.revoked";
const SEEN_KEY = "checkin.seen";
const DB_NAME = "checkin";
const STORE = "queue";
const CODE_BYTES = 83;
const SIGNED = 19;
const UPLOAD_EVERY_MS = 5000;
const REVOKED_EVERY_MS = 60000;
const NOBLE_URL = "../vendor/noble-ed25519/index.js";
const KEEP_QUEUED = [401, 403, 408, 429]; // logged out, or try again later

function load(key, fallback) {
  try { return JSON.parse(window.localStorage.getItem(key)) || fallback; } catch (e) { return fallback; }
}
function save(key, value) {
  try { window.localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* storage full or off */ }
}

/* RFC 4648 base32 without padding → bytes, or null. */
function base32Decode(code) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const text = String(code).trim().toUpperCase().replace(/=+$/, "");
  let bits = 0;
  let value = 0;
  const out = [];
  for (const char of text) {
    const index = alphabet.indexOf(char);
    if (index < 0) return null;
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return new Uint8Array(out);
}

function hex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function b64urlDecode(text) {
  let b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  while (b64.length % 4) b64 += "=";
  return Uint8Array.from(window.atob(b64), (c) => c.charCodeAt(0));
}

/* A claim {publicId, conferenceTag, categoryTag, version, signed, signature} or null. */
function parseCode(code) {
  const raw = base32Decode(code);
  if (!raw || raw.length !== CODE_BYTES || raw[0] !== 1) return null;
  return {
    publicId: hex(raw.slice(1, 11)),
    conferenceTag: hex(raw.slice(11, 15)),
    categoryTag: hex(raw.slice(15, 17)),
    version: (raw[17] << 8) | raw[18],
    signed: raw.slice(0, SIGNED),
    signature: raw.slice(SIGNED),
  };
}

/* Signature check: WebCrypto Ed25519 first, the vendored library otherwise. */
let webcryptoKey = null;
function verifySignature(publicKey, signature, message) {
  const subtle = window.crypto && window.crypto.subtle;
  const viaWebCrypto = subtle
    ? (webcryptoKey || subtle.importKey("raw", publicKey, { name: "Ed25519" }, false, ["verify"]))
      .then((key) => {
        webcryptoKey = Promise.resolve(key);
        return subtle.verify({ name: "Ed25519" }, key, signature, message);
      })
    : Promise.reject(new Error("no WebCrypto"));
  return viaWebCrypto.catch(() => import(NOBLE_URL).then((ed) => ed.verifyAsync(signature, message, publicKey)));
}

/* Keys and revocations */
function refreshKeys() {
  return get(url("keys"))
    .then((keys) => { save(KEYS_KEY, keys); webcryptoKey = null; })
    .catch(() => { /* keep the cached keys */ });
}

function refreshRevoked() {
  const cache = load(REVOKED_KEY, { until: null, items: {} });
  const since = cache.until ? `?since=${encodeURIComponent(cache.until)}` : "";
  return get(url("revoked") + since)
    .then((page) => {
      page.items.forEach((item) => {
        cache.items[item.public_id] = Math.max(cache.items[item.public_id] || 0, item.max_version);
      });
      cache.until = page.until;
      save(REVOKED_KEY, cache);
      if (!page.complete) return refreshRevoked();
    })
    .catch(() => { /* keep the cached list */ });
}

/* This device's own admissions, so a badge is not let in twice while offline. */
function seen() { return load(SEEN_KEY, {}); }

/** Notes an admission (or an exit) the server answered, for scans made offline later. */
export function remember(code, kind, at, gate) {
  const claim = parseCode(code);
  if (!claim) return;
  const all = seen();
  if (kind === "exit") delete all[claim.publicId];
  else if (!all[claim.publicId]) all[claim.publicId] = { at, gate };
  save(SEEN_KEY, all);
}

/** Forgets the admission of a badge whose scan was undone. */
export function forget(code) {
  const claim = parseCode(code);
  if (!claim) return;
  const all = seen();
  delete all[claim.publicId];
  save(SEEN_KEY, all);
}

/* IndexedDB queue */
let dbPromise = null;
function openQueue() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve, reject) => {
      const request = window.indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => { request.result.createObjectStore(STORE, { keyPath: "nonce" }); };
      request.onsuccess = () => { resolve(request.result); };
      request.onerror = () => { reject(request.error); };
    });
  }
  return dbPromise;
}

function withStore(mode, action) {
  return openQueue().then((db) => new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const result = action(tx.objectStore(STORE));
    tx.oncomplete = () => { resolve(result && "result" in result ? result.result : undefined); };
    tx.onerror = () => { reject(tx.error); };
  }));
}

function enqueue(scan) { return withStore("readwrite", (store) => { store.put(scan); }); }
function queued() { return withStore("readonly", (store) => store.getAll()); }

/** Drops a queued scan (undone before it was uploaded). */
export function dequeue(nonce) { return withStore("readwrite", (store) => { store.delete(nonce); }); }

/** Whether the scan with this nonce waits in the queue. */
export function isQueued(nonce) {
  return queued().then((items) => items.some((s) => s.nonce === nonce));
}

function showPending() {
  return queued().then((items) => {
    const el = document.getElementById("offline-pending");
    if (!el) return items.length;
    el.hidden = items.length === 0;
    const words = scanner.getAttribute(items.length === 1 ? "data-text-pending-one" : "data-text-pending");
    el.textContent = words.replace("{count}", String(items.length));
    return items.length;
  }).catch(() => 0);
}

/* Sends the queue oldest first; stops at the first scan the server cannot take now. A
 * scan the server refuses for good (another 4xx) is dropped: sending it again would not
 * change the answer. */
function uploadOne(scan) {
  return post(url("api"), scan).then(() => true, (error) => error instanceof ApiError &&
    error.status >= 400 && error.status < 500 && !KEEP_QUEUED.includes(error.status))
    .then((done) => (done ? dequeue(scan.nonce).then(() => true) : false));
}

let uploading = false;
function upload() {
  if (uploading) return Promise.resolve();
  uploading = true;
  return queued().then((items) => {
    items.sort((a, b) => (a.scanned_at < b.scanned_at ? -1 : 1));
    let chain = Promise.resolve(true);
    items.forEach((scan) => {
      chain = chain.then((goOn) => goOn && uploadOne(scan));
    });
    return chain;
  }).catch(() => { /* IndexedDB unavailable */ }).then(() => {
    uploading = false;
    return showPending();
  });
}

/** Decides a scan without the server; queues it when it lets someone in or out. */
export function scanOffline(scan) {
  const keys = load(KEYS_KEY, null);
  const claim = parseCode(scan.code);
  function answer(status, extra) {
    return { status, attendee: null, checked_in_at: null, gate: scan.gate, offline: true, ...extra };
  }
  if (!claim || !keys || !keys.keys || !keys.keys.length) return Promise.resolve(answer("invalid"));
  const conference = (keys.conferences || []).find((c) => c.tag === claim.conferenceTag);
  return verifySignature(b64urlDecode(keys.keys[0].public_key), claim.signature, claim.signed)
    .catch(() => false)
    .then((valid) => {
      if (!valid || !conference) return answer("invalid");
      const category = (conference.categories || []).find((c) => c.tag === claim.categoryTag);
      const attendee = { name: null, organisation: null, category: category ? category.name : null,
        category_colour: category ? category.colour : null };
      const revoked = load(REVOKED_KEY, { items: {} }).items[claim.publicId];
      if (revoked !== undefined && claim.version <= revoked) return answer("revoked", { attendee });
      const before = seen()[claim.publicId];
      const status = scan.type === "entry" && before ? "already_checked_in" : "ok";
      if (status === "ok") remember(scan.code, scan.type, scan.scanned_at, scan.gate);
      const result = answer(status, { attendee, checked_in_at: before ? before.at : null,
        gate: before ? before.gate : scan.gate });
      // Only what this device let in or out is uploaded: a refusal changed nothing, and
      // the server would take it for a second admission (an offline conflict).
      if (status !== "ok") return result;
      return enqueue(scan).then(showPending).then(() => result, () => result);
    });
}

export function startOffline() {
  refreshKeys();
  refreshRevoked();
  upload();
  setInterval(upload, UPLOAD_EVERY_MS);
  setInterval(refreshRevoked, REVOKED_EVERY_MS);
  window.addEventListener("online", upload);
}
