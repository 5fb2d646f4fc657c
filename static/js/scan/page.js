// What the scanner pages (the door, the stand) wire the same way: the USB scanner, the code
// typed by hand, the camera, the network coming and going (a fresh offline copy every minute,
// the queue sent when back), and a service worker that keeps the page for offline use. The page
// has the elements #manual, #manual-code, #camera, #camera-start, #camera-switch, #torch and
// #result-detail.
import {attachCamera} from "./camera.js";
import {localCode} from "./codes.js";
import {attachWedge} from "./keyboard-wedge.js";

const SNAPSHOT_MS = 60000;
const SAME_CODE_MS = 2000;  // the same code again within this is the camera seeing it twice

// One scan at a time: the page makes the scan (with its nonce) and posts it; without network,
// or when the server saved nothing (a 5xx), the page answers from its offline copy and queues
// the scan with its nonce, and the sync sends it again.
export function scanHandler({sync, makeScan, post, answerOffline, answer}) {
  let lastCode = "";
  let lastAt = 0;
  let busy = false;

  async function handleCode(raw) {
    const code = localCode(raw);
    if (!code || busy || (code === lastCode && Date.now() - lastAt < SAME_CODE_MS)) return;
    busy = true;
    const scan = makeScan(code, raw);
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
    handleCode,
    again: (raw) => { lastCode = ""; return handleCode(raw); },  // a code chosen by hand: never a repeat
    isBusy: () => busy,
  };
}

function keepPageOffline(swUrl, scope) {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.register(swUrl, {scope}).then((registration) => {
    const files = [location.pathname, ...Array.from(document.querySelectorAll("script[src], link[rel=stylesheet]"),
      (el) => el.src || el.href)];
    const worker = registration.active || registration.installing || registration.waiting;
    if (worker) worker.postMessage({cache: files});
  }).catch(() => {});
}

export function wireScannerPage({root, swUrl, scope, noCameraText, scanner, sync}) {
  const {isOnline, setOnline, refreshSnapshot, flush} = sync;
  const $ = (id) => document.getElementById(id);
  attachWedge(document, scanner.handleCode);
  $("manual").addEventListener("submit", (event) => {
    event.preventDefault();
    const value = $("manual-code").value;
    $("manual-code").value = "";
    scanner.again(value);
  });
  window.addEventListener("online", () => { setOnline(true); refreshSnapshot(); });
  window.addEventListener("offline", () => setOnline(false));
  setInterval(() => { if (isOnline()) { refreshSnapshot(); flush(); } }, SNAPSHOT_MS);
  keepPageOffline(swUrl, scope);
  setOnline(navigator.onLine);
  refreshSnapshot().then(() => { root.dataset.ready = "yes"; });
  attachCamera({
    video: $("camera"), startButton: $("camera-start"), switchButton: $("camera-switch"), torchButton: $("torch"),
    onCode: scanner.handleCode, isBusy: scanner.isBusy,
    onStarted: () => { root.dataset.camera = "on"; },
    onError: () => { $("result-detail").textContent = noCameraText; },
  }).start();
}
