// A short tone for each answer (WebAudio: no sound files): high for yes, two for "look",
// low for no. No sound is never a reason to stop scanning.

let audio = null;

export function beep(kind) {
  try {
    audio = audio || new AudioContext();
    const tones = kind === "ok" ? [[880, 0.12]] : kind === "warn" ? [[660, 0.1], [660, 0.1]] : [[220, 0.4]];
    let t = audio.currentTime;
    for (const [freq, length] of tones) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = freq;
      gain.gain.value = 0.2;
      osc.connect(gain).connect(audio.destination);
      osc.start(t);
      osc.stop(t + length);
      t += length + 0.08;
    }
  } catch (e) { /* no sound */ }
}
