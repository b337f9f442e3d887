/* Camera scanning on the scanner page: the browser's BarcodeDetector where present, else
 * the vendored jsQR (static/vendor/jsqr, a classic script loaded on first use). A decoded
 * code is typed into the code field and submitted, exactly as a keyboard-wedge scanner
 * would. Normal mode pauses after each read; rapid mode (for queues) keeps reading and
 * only skips the same code read again within a few seconds. */

const JSQR_URL = new URL("../vendor/jsqr/jsQR.js", import.meta.url).href;
const PAUSE_MS = 1500;
const SAME_CODE_MS = 4000;
const FRAME_GAP_MS = 80;
const button = document.getElementById("camera-toggle");
const video = document.getElementById("camera-video");
const rapid = document.getElementById("rapid-mode");
const form = document.getElementById("scan-form");
const codeInput = document.getElementById("scan-code");
const canvas = document.createElement("canvas");

let stream = null;
let detector = null;
let lastCode = null;
let lastAt = 0;
let pausedUntil = 0;

/* jsQR has no module build: its script defines the global jsQR, read from there. */
function loadJsQR() {
  if (window.jsQR) return Promise.resolve(window.jsQR);
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = JSQR_URL;
    script.onload = () => resolve(window.jsQR);
    script.onerror = reject;
    document.head.appendChild(script);
  });
}

function decodeFrame() {
  if (detector) {
    return detector.detect(video).then((found) => (found.length ? found[0].rawValue : null));
  }
  const width = video.videoWidth;
  const height = video.videoHeight;
  if (!width || !height) return Promise.resolve(null);
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext("2d", { willReadFrequently: true });
  context.drawImage(video, 0, 0, width, height);
  const found = window.jsQR(context.getImageData(0, 0, width, height).data, width, height,
    { inversionAttempts: "dontInvert" });
  return Promise.resolve(found ? found.data : null);
}

function loop() {
  if (!stream) return;
  if (Date.now() < pausedUntil || video.readyState < 2) {
    window.requestAnimationFrame(loop);
    return;
  }
  decodeFrame().then((code) => {
    const t = Date.now();
    if (code && !(code === lastCode && t - lastAt < SAME_CODE_MS)) {
      lastCode = code;
      lastAt = t;
      if (!rapid.checked) pausedUntil = t + PAUSE_MS;
      codeInput.value = code;
      form.requestSubmit();
    }
  }).catch(() => { /* a frame that cannot be read */ }).then(() => {
    window.setTimeout(() => window.requestAnimationFrame(loop), FRAME_GAP_MS);
  });
}

function qrDetector() {
  const Detector = window.BarcodeDetector;
  return Promise.resolve(Detector.getSupportedFormats ? Detector.getSupportedFormats() : ["qr_code"])
    .then((formats) => {
      if (!formats.includes("qr_code")) throw new Error("no qr");
      detector = new Detector({ formats: ["qr_code"] });
    }).catch(() => {
      detector = null;
      return loadJsQR();
    });
}

function start() {
  const ready = "BarcodeDetector" in window ? qrDetector() : loadJsQR();
  ready.then(() => navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }))
    .then((media) => {
      stream = media;
      video.srcObject = media;
      video.hidden = false;
      video.play();
      button.setAttribute("aria-pressed", "true");
      loop();
    }).catch(() => {
      button.setAttribute("aria-pressed", "false");
    });
}

function stop() {
  if (stream) stream.getTracks().forEach((track) => track.stop());
  stream = null;
  video.hidden = true;
  button.setAttribute("aria-pressed", "false");
}

export function startCamera() {
  if (!button || !video) return;
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    button.hidden = true;
    return;
  }
  button.addEventListener("click", () => { if (stream) stop(); else start(); });
  document.addEventListener("visibilitychange", () => { if (document.hidden) stop(); });
}
