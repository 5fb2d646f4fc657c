// The stand's scanner page: camera (BarcodeDetector, else jsQR), USB scanner (keyboard wedge,
// AZERTY-safe) or a code typed by hand; each scan makes or finds a lead. Without network the
// page keeps the scans (IndexedDB, with their nonces and times), answers with the name from
// its copy of names (keyed by a hash of the code: the copy holds no codes), and sends them
// when the network is back.
import {nonce} from "../scan/codes.js";
import {openDatabase} from "../scan/idb.js";
import {scanHandler, wireScannerPage} from "../scan/page.js";
import {beep} from "../scan/sound.js";
import {offlineSync} from "../scan/sync.js";

const root = document.getElementById("stand");
const cfg = root.dataset;
const $ = (id) => document.getElementById(id);
const store = openDatabase("jobday-stand", 1, {names: "key", queue: "nonce"});
const sync = offlineSync({
  root, syncUrl: cfg.sync, snapshotUrl: cfg.snapshot, csrf: cfg.csrf, onResult: linkRecent,
  store: {queued: () => store.getAll("queue"), dequeue: (nonce) => store.delete("queue", nonce),
          count: () => store.count("queue"), saveSnapshot: (names) => store.replaceAll("names", names)},
});
const SALT = "jobday-stand:";

async function snapshotKey(code) {
  if (!crypto.subtle) return null;  // not a secure context: no offline names
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(SALT + code));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("").slice(0, 24);
}

function show(kind, result, message, name = "", detail = "", link = null) {
  const box = $("result");
  box.className = `scan-result result-${kind}`;
  box.dataset.result = result;
  $("result-message").textContent = message;
  $("result-name").textContent = name;
  $("result-detail").textContent = detail;
  const anchor = $("result-link");
  anchor.hidden = !link;
  if (link) {
    anchor.href = link;
    anchor.textContent = cfg.tOpen;
  }
  beep(kind);
}

function addRecent(name, link, detail) {
  const li = document.createElement("li");
  const anchor = Object.assign(document.createElement(link ? "a" : "span"), {textContent: name, className: "lead-name"});
  if (link) anchor.href = link;
  const meta = Object.assign(document.createElement("span"), {className: "lead-meta", textContent: detail});
  li.append(anchor, meta);
  $("recent").prepend(li);
}

// The time as the server writes it ("09:52"): the page's language, the fair's time zone, 24 hours.
const clock = (date) => date.toLocaleTimeString(document.documentElement.lang || undefined,
  {hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: cfg.timeZone || undefined});

function showAnswer(answer) {
  if (answer.result === "ok") {
    show("ok", "ok", answer.new ? cfg.tNew : answer.message, answer.name, answer.new ? "" : cfg.tAgain, answer.lead_url);
    addRecent(answer.name, answer.lead_url, clock(new Date()));
  } else {
    show(answer.result === "not_today" ? "warn" : "bad", answer.result, answer.message);
  }
}

// A scan synced: its line in the latest leads links to the lead.
function linkRecent(result) {
  if (result.result !== "ok" || !result.lead_url) return;
  const line = Array.from($("recent").querySelectorAll("span.lead-name")).find((el) => el.textContent === result.name);
  if (line) line.replaceWith(Object.assign(document.createElement("a"),
    {href: result.lead_url, textContent: result.name, className: "lead-name"}));
}

async function answerOffline(code, scan) {
  await store.put("queue", scan);
  const key = await snapshotKey(code);
  const known = key ? await store.get("names", key) : null;
  await sync.updateCount();
  if (known) {
    show("ok", "offline", cfg.tOfflineAnswer, known.name);
    addRecent(known.name, null, cfg.tOfflineAnswer);
  } else {
    show("warn", "offline_unknown", cfg.tOfflineUnknown);
  }
}

const scanner = scanHandler({
  sync, answerOffline,
  makeScan: (code, raw) => ({code: raw.slice(0, 200), nonce: nonce(), client_time: new Date().toISOString()}),
  post: (scan) => fetch(cfg.scan, {method: "POST", credentials: "same-origin",
    headers: {"Content-Type": "application/json", "X-CSRFToken": cfg.csrf},
    body: JSON.stringify({code: scan.code, nonce: scan.nonce})}),
  answer: async (response) => {
    const answer = await response.json().catch(() => null);
    if (!response.ok || !answer) show("bad", "error", (answer && answer.message) || cfg.tError);
    else showAnswer(answer);
  },
});

function init() {
  wireScannerPage({root, swUrl: cfg.sw, scope: "/company/stand", noCameraText: cfg.tNoCamera, scanner, sync});
}

init();
