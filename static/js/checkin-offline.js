/* Offline check-in: when the server cannot be reached, the page checks the badge itself.
 *
 * A badge code is base32 of 83 bytes: format (1) | badge id (10) | conference tag (4) |
 * category tag (2) | version (2, big-endian) | Ed25519 signature of the first 19 bytes.
 * The public key and the tags come from GET /api/v1/checkin/keys, the revoked badge
 * versions from GET /api/v1/checkin/revoked?since=… (both cached in localStorage).
 * Ed25519 is verified with WebCrypto where the browser has it, else with the vendored
 * @noble/ed25519. Scans accepted offline are queued in IndexedDB with their nonce and
 * time and uploaded when the server answers again; the queue survives reloads and
 * browser restarts. Exposes window.checkinOffline. */
(function () {
  "use strict";

  var root = document.getElementById("scanner");
  if (!root) return;

  var KEYS_KEY = "checkin.keys";
  var REVOKED_KEY = "checkin.revoked";
  var SEEN_KEY = "checkin.seen";
  var DB_NAME = "checkin";
  var STORE = "queue";
  var CODE_BYTES = 83;
  var SIGNED = 19;
  var UPLOAD_EVERY_MS = 5000;
  var REVOKED_EVERY_MS = 60000;
  var NOBLE_URL = root.getAttribute("data-noble-url");

  function load(key, fallback) {
    try { return JSON.parse(window.localStorage.getItem(key)) || fallback; } catch (e) { return fallback; }
  }
  function save(key, value) {
    try { window.localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* storage full or off */ }
  }

  function headers() {
    var h = { "Content-Type": "application/json", "Accept": "application/json" };
    h[root.getAttribute("data-header-name")] = root.getAttribute("data-header-value");
    return h;
  }

  /* RFC 4648 base32 without padding → bytes, or null. */
  function base32Decode(text) {
    var alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    text = String(text).trim().toUpperCase().replace(/=+$/, "");
    var bits = 0, value = 0, out = [];
    for (var i = 0; i < text.length; i++) {
      var index = alphabet.indexOf(text.charAt(i));
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
    return Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
  }

  function b64urlDecode(text) {
    var b64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) b64 += "=";
    var raw = window.atob(b64);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }

  /* A claim {publicId, conferenceTag, categoryTag, version, signed, signature} or null. */
  function parseCode(code) {
    var raw = base32Decode(code);
    if (!raw || raw.length !== CODE_BYTES || raw[0] !== 1) return null;
    return {
      publicId: hex(raw.slice(1, 11)),
      conferenceTag: hex(raw.slice(11, 15)),
      categoryTag: hex(raw.slice(15, 17)),
      version: (raw[17] << 8) | raw[18],
      signed: raw.slice(0, SIGNED),
      signature: raw.slice(SIGNED)
    };
  }

  /* Signature check: WebCrypto Ed25519 first, the vendored library otherwise. */
  var webcryptoKey = null;
  function verifySignature(publicKey, signature, message) {
    var subtle = window.crypto && window.crypto.subtle;
    var viaWebCrypto = subtle ? (webcryptoKey || subtle.importKey("raw", publicKey, { name: "Ed25519" }, false, ["verify"]))
      .then(function (key) {
        webcryptoKey = Promise.resolve(key);
        return subtle.verify({ name: "Ed25519" }, key, signature, message);
      }) : Promise.reject(new Error("no WebCrypto"));
    return viaWebCrypto.catch(function () {
      return import(NOBLE_URL).then(function (ed) { return ed.verifyAsync(signature, message, publicKey); });
    });
  }

  /* Keys and revocations */
  function refreshKeys() {
    return fetch(root.getAttribute("data-keys-url"), { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(); return r.json(); })
      .then(function (keys) { save(KEYS_KEY, keys); webcryptoKey = null; })
      .catch(function () { /* keep the cached keys */ });
  }

  function refreshRevoked() {
    var cache = load(REVOKED_KEY, { until: null, items: {} });
    var url = root.getAttribute("data-revoked-url") + (cache.until ? "?since=" + encodeURIComponent(cache.until) : "");
    return fetch(url, { credentials: "same-origin", headers: headers() })
      .then(function (r) { if (!r.ok) throw new Error(); return r.json(); })
      .then(function (page) {
        page.items.forEach(function (item) {
          cache.items[item.public_id] = Math.max(cache.items[item.public_id] || 0, item.max_version);
        });
        cache.until = page.until;
        save(REVOKED_KEY, cache);
        if (!page.complete) return refreshRevoked();
      })
      .catch(function () { /* keep the cached list */ });
  }

  /* This device's own admissions, so a badge is not let in twice while offline. */
  function seen() { return load(SEEN_KEY, {}); }
  function remember(code, kind, at, gate) {
    var claim = parseCode(code);
    if (!claim) return;
    var all = seen();
    if (kind === "exit") delete all[claim.publicId];
    else if (!all[claim.publicId]) all[claim.publicId] = { at: at, gate: gate };
    save(SEEN_KEY, all);
  }
  function forget(code) {
    var claim = parseCode(code);
    if (!claim) return;
    var all = seen();
    delete all[claim.publicId];
    save(SEEN_KEY, all);
  }

  /* IndexedDB queue */
  var dbPromise = null;
  function openQueue() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var request = window.indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "nonce" }); };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return dbPromise;
  }

  function withStore(mode, action) {
    return openQueue().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = action(tx.objectStore(STORE));
        tx.oncomplete = function () { resolve(result && "result" in result ? result.result : undefined); };
        tx.onerror = function () { reject(tx.error); };
      });
    });
  }

  function enqueue(scan) { return withStore("readwrite", function (store) { store.put(scan); }); }
  function dequeue(nonce) { return withStore("readwrite", function (store) { store.delete(nonce); }); }
  function queued() { return withStore("readonly", function (store) { return store.getAll(); }); }

  function showPending() {
    return queued().then(function (items) {
      var el = document.getElementById("offline-pending");
      if (!el) return items.length;
      el.hidden = items.length === 0;
      var words = root.getAttribute(items.length === 1 ? "data-text-pending-one" : "data-text-pending");
      el.textContent = words.replace("{count}", String(items.length));
      return items.length;
    }).catch(function () { return 0; });
  }

  var uploading = false;
  function upload() {
    if (uploading) return Promise.resolve();
    uploading = true;
    return queued().then(function (items) {
      items.sort(function (a, b) { return a.scanned_at < b.scanned_at ? -1 : 1; });
      var chain = Promise.resolve(true);
      items.forEach(function (scan) {
        chain = chain.then(function (goOn) {
          if (!goOn) return false;
          return fetch(root.getAttribute("data-api-url"), {
            method: "POST", credentials: "same-origin", headers: headers(), body: JSON.stringify(scan)
          }).then(function (r) {
            if (r.ok || (r.status >= 400 && r.status < 500 && [401, 403, 408, 429].indexOf(r.status) < 0)) {
              return dequeue(scan.nonce).then(function () { return true; });
            }
            return false; // logged out or server trouble: keep the queue, try later
          }, function () { return false; });
        });
      });
      return chain;
    }).catch(function () { /* IndexedDB unavailable */ }).then(function () {
      uploading = false;
      return showPending();
    });
  }

  /* Decide a scan without the server; queue it when it lets someone in or out. */
  function scanOffline(scan) {
    var keys = load(KEYS_KEY, null);
    var claim = parseCode(scan.code);
    function answer(status, extra) {
      return Object.assign({ status: status, attendee: null, checked_in_at: null, gate: scan.gate, offline: true }, extra || {});
    }
    if (!claim || !keys || !keys.keys || !keys.keys.length) return Promise.resolve(answer("invalid"));
    var conference = (keys.conferences || []).filter(function (c) { return c.tag === claim.conferenceTag; })[0];
    return verifySignature(b64urlDecode(keys.keys[0].public_key), claim.signature, claim.signed)
      .catch(function () { return false; })
      .then(function (valid) {
        if (!valid || !conference) return answer("invalid");
        var category = (conference.categories || []).filter(function (c) { return c.tag === claim.categoryTag; })[0];
        var attendee = { name: null, organisation: null, category: category ? category.name : null,
          category_colour: category ? category.colour : null };
        var revoked = load(REVOKED_KEY, { items: {} }).items[claim.publicId];
        if (revoked !== undefined && claim.version <= revoked) return answer("revoked", { attendee: attendee });
        var before = seen()[claim.publicId];
        var status = scan.type === "entry" && before ? "already_checked_in" : "ok";
        if (status === "ok") remember(scan.code, scan.type, scan.scanned_at, scan.gate);
        var result = answer(status, { attendee: attendee, checked_in_at: before ? before.at : null,
          gate: before ? before.gate : scan.gate });
        // Only what this device let in or out is uploaded: a refusal changed nothing, and
        // the server would take it for a second admission (an offline conflict).
        if (status !== "ok") return result;
        return enqueue(scan).then(showPending).then(function () { return result; },
          function () { return result; });
      });
  }

  window.checkinOffline = {
    scan: scanOffline,
    remember: remember,
    forget: forget,
    upload: upload,
    parseCode: parseCode,
    isQueued: function (nonce) {
      return queued().then(function (items) { return items.some(function (s) { return s.nonce === nonce; }); });
    },
    dequeue: dequeue
  };

  refreshKeys();
  refreshRevoked();
  upload();
  setInterval(upload, UPLOAD_EVERY_MS);
  setInterval(refreshRevoked, REVOKED_EVERY_MS);
  window.addEventListener("online", upload);
})();
