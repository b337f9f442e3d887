/* A short WebAudio tone for each answer on the scanner page, no sound files: one high
 * beep for green, two for amber, a low buzz for red. */

let audio = null;

function tone(frequency, start, length, type) {
  const osc = audio.createOscillator();
  const gain = audio.createGain();
  osc.type = type;
  osc.frequency.value = frequency;
  gain.gain.setValueAtTime(0.25, audio.currentTime + start);
  gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + start + length);
  osc.connect(gain).connect(audio.destination);
  osc.start(audio.currentTime + start);
  osc.stop(audio.currentTime + start + length);
}

/** Sounds the answer colour: "ok", "warn" or "bad". */
export function sound(colour) {
  try {
    audio = audio || new (window.AudioContext || window.webkitAudioContext)();
    if (colour === "ok") tone(1046, 0, 0.15, "sine");
    else if (colour === "warn") {
      tone(660, 0, 0.12, "square");
      tone(660, 0.18, 0.12, "square");
    } else tone(196, 0, 0.45, "sawtooth");
  } catch (e) { /* no audio on this device */ }
}
