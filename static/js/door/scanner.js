// The scanner page: camera (native BarcodeDetector, else jsQR), USB scanner (keyboard
// wedge), manual code and name search; answers in colour with a sound; offline answers
// from the IndexedDB copy with a queue sent back when the network returns.
import {attachWedge} from "./keyboard-wedge.js";
import * as store from "./offline-store.js";

const root = document.getElementById("door");
const cfg = root.dataset;
const $ = (id) => document.getElementById(id);
const SAME_CODE_MS = 2000;
const SNAPSHOT_MS = 60000;
const WARN = new Set(["already_inside", "not_today"]);
const GOOD = new Set(["ok", "exit"]);
const AZERTY = {"&": "1", "é": "2", "\"": "3", "'": "4", "(": "5", "è": "7", "ç": "9", "à": "0"};

let online = navigator.onLine;
let lastCode = "";
let lastAt = 0;
let busy = false;

function nonce() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function localCode(raw) {
  let text = "";
  for (const ch of raw.normalize("NFKC")) text += AZERTY[ch] || ch;
  return text.replace(/[\s\-_.·/\u2010-\u2015\u2212]+/g, "").replace(/[\x00-\x1f\x7f]/g, "").toUpperCase();
}

// --- sound (WebAudio: no files) ---------------------------------------------------------
let audio = null;
function beep(kind) {
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
  } catch (e) { /* no sound is not a reason to stop */ }
}

// --- showing an answer ------------------------------------------------------------------
function show(answer, extra = "") {
  const result = answer.result;
  const kind = GOOD.has(result) ? "ok" : WARN.has(result) ? "warn" : "bad";
  const box = $("result");
  box.className = `door-result result-${kind}`;
  box.dataset.result = result;
  // data-t-already_inside is dataset.tAlready_inside (only "-x" is camel-cased)
  $("result-message").textContent = cfg["t" + result.charAt(0).toUpperCase() + result.slice(1)] ||
    answer.message || result;
  $("result-name").textContent = [answer.name, answer.company || ""].filter(Boolean).join(" · ");
  let detail = extra;
  if (answer.first_entry) {
    const at = new Date(answer.first_entry.at).toLocaleTimeString([], {hour: "2-digit", minute: "2-digit"});
    detail = `${cfg.tFirstEntry}: ${at} · ${answer.first_entry.gate}`;
  }
  $("result-detail").textContent = detail;
  const list = $("result-interviews");
  list.replaceChildren();
  for (const interview of answer.interviews || []) {
    const li = document.createElement("li");
    const at = new Date(interview.at).toLocaleTimeString([], {hour: "2-digit", minute: "2-digit"});
    li.textContent = `${at} · ${interview.company}${interview.stand ? " · " + interview.stand : ""}`;
    list.append(li);
  }
  beep(kind);
}

function setOnline(value) {
  online = value;
  $("offline-banner").hidden = value;
  if (value) flush();
  updateCount();
}

async function updateCount() {
  const n = await store.countQueued();
  $("queue-count").textContent = n ? `${cfg.tQueued}: ${n}` : "";
}

// --- one scan ---------------------------------------------------------------------------
function gate() {
  return ($("gate").value || "A").trim();
}

function mode() {
  return $("mode") ? $("mode").value : "entry";
}

async function answerOffline(code, scan) {
  const badge = await store.findBadge(code);
  let answer = {result: "unknown", name: "", company: "", interviews: []};
  if (badge) {
    answer = {result: "ok", name: badge.name, company: badge.company, interviews: []};
    const inside = await store.wasInside(code);
    if (badge.status === "revoked") answer.result = "badge_revoked";
    else if (badge.status === "cancelled") answer.result = "cancelled";
    else if (scan.mode === "exit") answer.result = "exit";
    else if (inside && inside.at) answer.result = "already_inside", answer.first_entry = inside;
    if (answer.result === "ok") await store.markInside(code, scan.gate, scan.client_time);
  }
  await store.enqueue({...scan, local_result: answer.result});
  await updateCount();
  show(answer, cfg.tOfflineAnswer);
}

export async function handleCode(raw) {
  const code = localCode(raw);
  const now = Date.now();
  if (!code || busy || (code === lastCode && now - lastAt < SAME_CODE_MS)) return;
  busy = true;
  const scan = {code, gate: gate(), nonce: nonce(), mode: mode(), client_time: new Date().toISOString()};
  try {
    if (!online) {
      await answerOffline(code, scan);
      return;
    }
    const body = {code: raw.slice(0, 200), gate: scan.gate, nonce: scan.nonce, mode: scan.mode};
    if ($("force") && $("force").checked) body.force = true;
    let response;
    try {
      response = await fetch(cfg.api, {method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRFToken": cfg.csrf}, body: JSON.stringify(body)});
    } catch (e) {
      setOnline(false);
      await answerOffline(code, scan);
      return;
    }
    if (response.status >= 500) {
      // The server could not record the scan (a 503 saved nothing): answer from the offline
      // copy and queue it with its nonce, as when the network is down; the sync sends it again.
      await answerOffline(code, scan);
      return;
    }
    const answer = await response.json().catch(() => ({result: "unknown", message: response.statusText}));
    if (!response.ok) {
      show({result: "error", name: "", message: answer.message || String(response.status)});
    } else {
      show(answer);
      if (answer.result === "ok") store.markInside(code, scan.gate, scan.client_time);
    }
    if ($("force")) $("force").checked = false;
  } finally {
    lastCode = code;
    lastAt = Date.now();
    busy = false;
    if (document.activeElement && document.activeElement !== document.body &&
        document.activeElement.id !== "manual-code") document.activeElement.blur();
  }
}

// --- the offline queue and the snapshot -------------------------------------------------
let flushing = false;
async function flush() {
  if (flushing) return;
  flushing = true;
  try {
    const scans = await store.queued();
    if (!scans.length) return;
    const response = await fetch(cfg.sync, {method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": cfg.csrf}, body: JSON.stringify({scans})});
    if (!response.ok) return;
    const {results} = await response.json();
    for (const result of results) if (result.nonce) await store.dequeue(result.nonce);
  } catch (e) {
    setOnline(false);
  } finally {
    flushing = false;
    updateCount();
  }
}

async function refreshSnapshot() {
  try {
    const response = await fetch(cfg.snapshot, {credentials: "same-origin"});
    if (!response.ok) return;
    const data = await response.json();
    await store.saveSnapshot(data.badges);
    root.dataset.snapshotSize = String(data.badges.length);
    if (!online) setOnline(true);
  } catch (e) {
    setOnline(false);
  }
}

// --- camera -----------------------------------------------------------------------------
let stream = null;
let cameras = [];
let cameraIndex = 0;
let torchOn = false;
const canvas = document.createElement("canvas");
const context = canvas.getContext("2d", {willReadFrequently: true});
const detector = "BarcodeDetector" in window ? new window.BarcodeDetector({formats: ["qr_code"]}) : null;

async function startCamera(deviceId) {
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;
  try {
    if (stream) stream.getTracks().forEach((track) => track.stop());
    const video = deviceId ? {deviceId: {exact: deviceId}} : {facingMode: "environment"};
    stream = await navigator.mediaDevices.getUserMedia({video, audio: false});
    const el = $("camera");
    el.srcObject = stream;
    await el.play();
    cameras = (await navigator.mediaDevices.enumerateDevices()).filter((d) => d.kind === "videoinput");
    $("camera-switch").hidden = cameras.length < 2;
    const track = stream.getVideoTracks()[0];
    const caps = track.getCapabilities ? track.getCapabilities() : {};
    $("torch").hidden = !caps.torch;
    $("camera-start").hidden = true;
    root.dataset.camera = "on";
  } catch (e) {
    $("result-detail").textContent = cfg.tNoCamera;
  }
}

async function readFrame() {
  const video = $("camera");
  if (!stream || video.readyState < 2 || busy) return;
  try {
    if (detector) {
      const codes = await detector.detect(video);
      if (codes.length) await handleCode(codes[0].rawValue);
      return;
    }
    if (!window.jsQR) return;
    const w = video.videoWidth;
    const h = video.videoHeight;
    if (!w || !h) return;
    canvas.width = w;
    canvas.height = h;
    context.drawImage(video, 0, 0, w, h);
    const found = window.jsQR(context.getImageData(0, 0, w, h).data, w, h, {inversionAttempts: "dontInvert"});
    if (found && found.data) await handleCode(found.data);
  } catch (e) { /* a bad frame: try the next one */ }
}

function loop() {
  readFrame().finally(() => setTimeout(loop, 150));
}

// --- wiring -----------------------------------------------------------------------------
function init() {
  const savedGate = localStorage.getItem("door-gate");
  if (savedGate) $("gate").value = savedGate;
  $("gate").addEventListener("change", () => localStorage.setItem("door-gate", gate()));
  attachWedge(document, handleCode);
  $("manual").addEventListener("submit", (event) => {
    event.preventDefault();
    const value = $("manual-code").value;
    $("manual-code").value = "";
    lastCode = "";
    handleCode(value);
  });
  $("search").addEventListener("submit", async (event) => {
    event.preventDefault();
    const q = $("search-q").value.trim();
    const list = $("search-results");
    list.replaceChildren();
    if (q.length < 3) {
      list.append(Object.assign(document.createElement("li"), {textContent: cfg.tTooShort}));
      return;
    }
    const response = await fetch(`${cfg.search}?q=${encodeURIComponent(q)}`, {credentials: "same-origin"});
    const data = await response.json();
    if (!data.badges || !data.badges.length) {
      list.append(Object.assign(document.createElement("li"), {textContent: cfg.tNone}));
    }
    for (const badge of data.badges || []) {
      const li = document.createElement("li");
      const button = Object.assign(document.createElement("button"), {type: "button", textContent: cfg.tCheckIn});
      button.addEventListener("click", () => { lastCode = ""; handleCode(badge.code); });
      li.append(`${badge.name}${badge.company ? " · " + badge.company : ""} (${badge.status_label}) `, button);
      list.append(li);
    }
  });
  $("camera-start").addEventListener("click", () => startCamera());
  $("camera-switch").addEventListener("click", () => {
    cameraIndex = (cameraIndex + 1) % Math.max(cameras.length, 1);
    if (cameras[cameraIndex]) startCamera(cameras[cameraIndex].deviceId);
  });
  $("torch").addEventListener("click", async () => {
    torchOn = !torchOn;
    const track = stream && stream.getVideoTracks()[0];
    if (track) await track.applyConstraints({advanced: [{torch: torchOn}]}).catch(() => {});
    $("torch").setAttribute("aria-pressed", String(torchOn));
  });
  window.addEventListener("online", () => { setOnline(true); refreshSnapshot(); });
  window.addEventListener("offline", () => setOnline(false));
  setInterval(() => { if (online) { refreshSnapshot(); flush(); } }, SNAPSHOT_MS);
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(cfg.sw, {scope: "/door"}).then((registration) => {
      const files = [location.pathname, ...Array.from(document.querySelectorAll("script[src], link[rel=stylesheet]"),
        (el) => el.src || el.href)];
      const worker = registration.active || registration.installing || registration.waiting;
      if (worker) worker.postMessage({cache: files});
    }).catch(() => {});
  }
  setOnline(navigator.onLine);
  refreshSnapshot().then(() => { root.dataset.ready = "yes"; });
  startCamera();
  loop();
}

init();
