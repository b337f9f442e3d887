/* Camera scanning and sounds for the door scanner page.
 * Camera: the browser's BarcodeDetector where present, else the vendored jsQR
 * (static/vendor/jsqr, loaded on first use). A decoded code is typed into the code
 * field and submitted, exactly as a keyboard-wedge scanner would. Normal mode pauses
 * after each read; rapid mode (for queues) keeps reading and only skips the same code
 * read again within a few seconds.
 * Sounds: a short WebAudio tone per answer colour, no sound files. */
(function () {
  "use strict";

  var root = document.getElementById("scanner");
  if (!root) return;
  var button = document.getElementById("camera-toggle");
  var video = document.getElementById("camera-video");
  var rapid = document.getElementById("rapid-mode");
  var form = document.getElementById("scan-form");
  var codeInput = document.getElementById("scan-code");
  var PAUSE_MS = 1500;
  var SAME_CODE_MS = 4000;

  /* Sounds */
  var audio = null;
  function tone(frequency, start, length, type) {
    var osc = audio.createOscillator();
    var gain = audio.createGain();
    osc.type = type;
    osc.frequency.value = frequency;
    gain.gain.setValueAtTime(0.25, audio.currentTime + start);
    gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + start + length);
    osc.connect(gain).connect(audio.destination);
    osc.start(audio.currentTime + start);
    osc.stop(audio.currentTime + start + length);
  }
  document.addEventListener("checkin:colour", function (event) {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      if (event.detail === "ok") tone(1046, 0, 0.15, "sine");
      else if (event.detail === "warn") { tone(660, 0, 0.12, "square"); tone(660, 0.18, 0.12, "square"); }
      else tone(196, 0, 0.45, "sawtooth");
    } catch (e) { /* no audio on this device */ }
  });

  /* Camera */
  if (!button || !video) return;
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    button.hidden = true;
    return;
  }
  var stream = null;
  var detector = null;
  var canvas = document.createElement("canvas");
  var lastCode = null, lastAt = 0, pausedUntil = 0;

  function loadJsQR() {
    if (window.jsQR) return Promise.resolve(window.jsQR);
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = root.getAttribute("data-jsqr-url");
      script.onload = function () { resolve(window.jsQR); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function decodeFrame() {
    if (detector) {
      return detector.detect(video).then(function (found) { return found.length ? found[0].rawValue : null; });
    }
    var width = video.videoWidth, height = video.videoHeight;
    if (!width || !height) return Promise.resolve(null);
    canvas.width = width;
    canvas.height = height;
    var context = canvas.getContext("2d", { willReadFrequently: true });
    context.drawImage(video, 0, 0, width, height);
    var found = window.jsQR(context.getImageData(0, 0, width, height).data, width, height,
      { inversionAttempts: "dontInvert" });
    return Promise.resolve(found ? found.data : null);
  }

  function loop() {
    if (!stream) return;
    var now = Date.now();
    if (now < pausedUntil || video.readyState < 2) {
      window.requestAnimationFrame(loop);
      return;
    }
    decodeFrame().then(function (code) {
      var t = Date.now();
      if (code && !(code === lastCode && t - lastAt < SAME_CODE_MS)) {
        lastCode = code;
        lastAt = t;
        if (!rapid.checked) pausedUntil = t + PAUSE_MS;
        codeInput.value = code;
        form.requestSubmit();
      }
    }).catch(function () { /* a frame that cannot be read */ }).then(function () {
      window.setTimeout(function () { window.requestAnimationFrame(loop); }, 80);
    });
  }

  function start() {
    var ready = ("BarcodeDetector" in window)
      ? Promise.resolve(window.BarcodeDetector.getSupportedFormats ? window.BarcodeDetector.getSupportedFormats() : ["qr_code"])
        .then(function (formats) {
          if (formats.indexOf("qr_code") < 0) throw new Error("no qr");
          detector = new window.BarcodeDetector({ formats: ["qr_code"] });
        }).catch(function () { detector = null; return loadJsQR(); })
      : loadJsQR();
    ready.then(function () {
      return navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    }).then(function (media) {
      stream = media;
      video.srcObject = media;
      video.hidden = false;
      video.play();
      button.setAttribute("aria-pressed", "true");
      loop();
    }).catch(function () {
      button.setAttribute("aria-pressed", "false");
    });
  }

  function stop() {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.hidden = true;
    button.setAttribute("aria-pressed", "false");
  }

  button.addEventListener("click", function () { if (stream) stop(); else start(); });
  document.addEventListener("visibilitychange", function () { if (document.hidden) stop(); });
})();
