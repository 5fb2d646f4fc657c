// What the scanner pages (the door, the stand) wire the same way: the USB scanner, the code
// typed by hand, the camera, the network coming and going (a fresh offline copy every minute,
// the queue sent when back), and a service worker that keeps the page for offline use. The page
// has the elements #manual, #manual-code, #camera, #camera-start, #camera-switch, #torch,
// #result and #result-detail.
import {attachCamera} from "./camera.js";
import {localCode} from "./codes.js";
import {attachWedge} from "./keyboard-wedge.js";

const SNAPSHOT_MS = 60000;
const SAME_CODE_MS = 2000;  // the same code again within this is a scanner's double read
// A badge held in front of the camera is read again and again: the same code is scanned again
// only once another code was read, or after this long (then it is a new presentation).
const CAMERA_HOLD_MS = 10000;

// One scan at a time: the page makes the scan (with its nonce) and posts it; without network,
// or when the server saved nothing (a 5xx), the page answers from its offline copy and queues
// the scan with its nonce, and the sync sends it again.
export function scanHandler({sync, makeScan, post, answerOffline, answer}) {
  let lastSeq = 0;
  let lastCode = "";
  let lastAt = 0;
  let busy = false;

  async function handleCode(raw, {hold = SAME_CODE_MS} = {}) {
    const code = localCode(raw);
    if (!code || busy || (code === lastCode && Date.now() - lastAt < hold)) return;
    busy = true;
    const scan = makeScan(code, raw);
    scan.seq = lastSeq = Math.max(Date.now(), lastSeq + 1);  // the order scans were made in, across reloads
    try {
      if (!sync.isOnline()) {
        await answerOffline(code, scan);
        return;
      }
      let response;
      try {
        response = await post(scan, raw);
      } catch (e) {
        sync.setOnline(false);
        await answerOffline(code, scan);
        return;
      }
      if (response.status >= 500) {
        await answerOffline(code, scan);
        return;
      }
      await answer(response, code, scan);
    } finally {
      lastCode = code;
      lastAt = Date.now();
      busy = false;
      if (document.activeElement && document.activeElement !== document.body &&
          document.activeElement.id !== "manual-code") document.activeElement.blur();
    }
  }

  return {
    handleCode: (raw) => handleCode(raw),
    fromCamera: (raw) => handleCode(raw, {hold: CAMERA_HOLD_MS}),
    again: (raw) => { lastCode = ""; return handleCode(raw); },  // a code chosen by hand: never a repeat
    isBusy: () => busy,
  };
}

// "Ready offline" once the service worker has kept this release of the page and its modules,
// with the age of the offline copy and the scans waiting (#offline-status, its data-t-* texts).
function offlineStatus(root) {
  const status = document.getElementById("offline-status");
  const t = status ? status.dataset : {};
  let ready = false;
  const ageText = () => {
    const at = Number(localStorage.getItem(`${root.id}-copy-at`));
    if (!at) return t.tNoCopy;
    const minutes = Math.floor((Date.now() - at) / 60000);
    if (minutes < 1) return t.tCopyNow;
    const words = new Intl.RelativeTimeFormat(document.documentElement.lang || undefined, {numeric: "always"});
    const age = minutes < 60 ? words.format(-minutes, "minute") : words.format(-Math.floor(minutes / 60), "hour");
    return t.tCopyAge.replace("{age}", age);
  };
  function render() {
    if (!status) return;
    const waiting = Number(root.dataset.queued || 0);
    const parts = [ready ? t.tReady : t.tNotReady, ageText()];
    if (waiting) parts.push(t.tWaiting.replace("{n}", String(waiting)));
    status.textContent = parts.join(" · ");
    status.dataset.ready = ready ? "yes" : "no";
    root.dataset.offlineReady = ready ? "yes" : "no";
  }
  setInterval(render, 30000);
  new MutationObserver(render).observe(root, {attributes: true, attributeFilter: ["data-queued"]});
  return {
    render,
    setReady: () => { ready = true; render(); },
    copied: () => { localStorage.setItem(`${root.id}-copy-at`, String(Date.now())); render(); },
  };
}

function keepPageOffline(swUrl, scope, status) {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register(swUrl, {scope}).catch(() => {});
  // Ready once a worker is active (it activates only after keeping every file of its release).
  navigator.serviceWorker.ready.then(() => status.setReady()).catch(() => {});
}

export function wireScannerPage({root, swUrl, scope, noCameraText, scanner, sync}) {
  const {isOnline, setOnline, refreshSnapshot, flush} = sync;
  const $ = (id) => document.getElementById(id);
  const status = offlineStatus(root);
  attachWedge(document, scanner.handleCode);
  $("manual").addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = $("manual-code").value;
    $("manual-code").value = "";
    $("manual-code").blur();  // a phone closes its keyboard, so the answer has the screen
    await scanner.again(value);
    $("result").scrollIntoView({block: "start", behavior: "instant"});
  });
  window.addEventListener("online", () => { setOnline(true); refreshSnapshot(); });
  window.addEventListener("offline", () => setOnline(false));
  setInterval(() => { if (isOnline()) { refreshSnapshot(); flush(); } }, SNAPSHOT_MS);
  keepPageOffline(swUrl, scope, status);
  setOnline(navigator.onLine);
  status.render();
  refreshSnapshot().then((fresh) => {
    if (fresh) status.copied();
    root.dataset.ready = "yes";
  });
  attachCamera({
    video: $("camera"), startButton: $("camera-start"), switchButton: $("camera-switch"), torchButton: $("torch"),
    onCode: scanner.fromCamera, isBusy: scanner.isBusy,
    onStarted: () => { root.dataset.camera = "on"; },
    onError: () => { $("result-detail").textContent = noCameraText; },
  }).start();
}
