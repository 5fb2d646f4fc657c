// The scanner page: camera (native BarcodeDetector, else jsQR), USB scanner (keyboard
// wedge), manual code and name search; answers in colour with a sound; offline answers
// from the IndexedDB copy with a queue sent back when the network returns.
import {nonce} from "../scan/codes.js";
import {scanHandler, wireScannerPage} from "../scan/page.js";
import {beep} from "../scan/sound.js";
import {offlineSync} from "../scan/sync.js";
import * as store from "./offline-store.js";

const root = document.getElementById("door");
const cfg = root.dataset;
const $ = (id) => document.getElementById(id);
const WARN = new Set(["already_inside", "not_today"]);
const GOOD = new Set(["ok", "exit"]);
const sync = offlineSync({
  root, syncUrl: cfg.sync, snapshotUrl: cfg.snapshot, csrf: cfg.csrf,
  store: {queued: store.queued, dequeue: store.dequeue, count: store.countQueued, saveSnapshot: store.saveSnapshot},
});

// --- showing an answer ------------------------------------------------------------------
// Times as the server writes them ("09:52"): the page's language, the fair's time zone, 24 hours.
const lang = document.documentElement.lang || undefined;
const zone = {hourCycle: "h23", timeZone: cfg.timeZone || undefined};
const clock = (iso) => new Date(iso).toLocaleTimeString(lang, {hour: "2-digit", minute: "2-digit", ...zone});
const dayAndClock = (iso) => new Date(iso).toLocaleString(lang, {day: "numeric", month: "long", hour: "2-digit",
                                                                 minute: "2-digit", ...zone});
const messageOf = (result) => cfg["t" + result.charAt(0).toUpperCase() + result.slice(1)];

function show(answer, extra = "") {
  const result = answer.result;
  const kind = GOOD.has(result) ? "ok" : WARN.has(result) ? "warn" : "bad";
  const box = $("result");
  box.className = `scan-result result-${kind}`;
  box.dataset.result = result;
  box.dataset.forced = answer.forced ? "yes" : "no";
  // data-t-already_inside is dataset.tAlready_inside (only "-x" is camel-cased)
  $("result-message").textContent = messageOf(result) || answer.message || result;
  $("result-name").textContent = [answer.name, answer.company || ""].filter(Boolean).join(" · ");
  const detail = $("result-detail");
  detail.replaceChildren();
  if (answer.forced) {
    const reason = answer.forced_reason ? messageOf(answer.forced_reason) : "";
    detail.append(Object.assign(document.createElement("strong"), {className: "result-forced", textContent: cfg.tForced}),
      reason ? ` ${reason}` : "");
  } else if (answer.first_entry) {
    detail.textContent = cfg.tFirstEntry.replace("{when}", clock(answer.first_entry.at))
      .replace("{gate}", answer.first_entry.gate);
  } else if (answer.revoked_at) {
    detail.textContent = (answer.replaced ? cfg.tReplacedOn : cfg.tRevokedOn).replace("{when}", dayAndClock(answer.revoked_at));
  } else {
    detail.textContent = extra;
  }
  if (extra && detail.textContent !== extra) detail.append(` · ${extra}`);
  const list = $("result-interviews");
  list.replaceChildren();
  for (const interview of answer.interviews || []) {
    const li = document.createElement("li");
    li.textContent = `${clock(interview.at)} · ${interview.company}${interview.stand ? " · " + interview.stand : ""}`;
    list.append(li);
  }
  list.setAttribute("aria-label", cfg.tInterviews);
  beep(kind);
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
  await sync.updateCount();
  show(answer, cfg.tOfflineAnswer);
}

const scanner = scanHandler({
  sync, answerOffline,
  makeScan: (code) => ({code, gate: gate(), nonce: nonce(), mode: mode(), client_time: new Date().toISOString()}),
  post: (scan, raw) => {
    const body = {code: raw.slice(0, 200), gate: scan.gate, nonce: scan.nonce, mode: scan.mode};
    if ($("force") && $("force").checked) body.force = true;
    return fetch(cfg.api, {method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": cfg.csrf}, body: JSON.stringify(body)});
  },
  answer: async (response, code, scan) => {
    const answer = await response.json().catch(() => ({result: "unknown", message: response.statusText}));
    if (!response.ok) {
      show({result: "error", name: "", message: answer.message || String(response.status)});
    } else {
      show(answer);
      if (answer.result === "ok") store.markInside(code, scan.gate, scan.client_time);
    }
    if ($("force")) $("force").checked = false;
  },
});

// --- wiring -----------------------------------------------------------------------------
function init() {
  const savedGate = localStorage.getItem("door-gate");
  if (savedGate) $("gate").value = savedGate;
  $("gate").addEventListener("change", () => localStorage.setItem("door-gate", gate()));
  $("search").addEventListener("submit", async (event) => {
    event.preventDefault();
    const q = $("search-q").value.trim();
    const list = $("search-results");
    list.replaceChildren();
    if (q.length < 3) {
      list.append(Object.assign(document.createElement("li"), {textContent: cfg.tTooShort}));
      list.firstElementChild.scrollIntoView({block: "nearest", behavior: "instant"});
      return;
    }
    const response = await fetch(`${cfg.search}?q=${encodeURIComponent(q)}`, {credentials: "same-origin"});
    const data = await response.json();
    if (!data.badges || !data.badges.length) {
      list.append(Object.assign(document.createElement("li"), {textContent: cfg.tNone}));
    }
    for (const badge of data.badges || []) {
      const li = document.createElement("li");
      const who = Object.assign(document.createElement("span"), {className: "search-who"});
      who.append(Object.assign(document.createElement("strong"), {textContent: badge.name}),
        ` · ${badge.company || badge.role_label}`);
      const state = Object.assign(document.createElement("span"), {className: "search-state"});
      state.textContent = badge.status !== "active" ? badge.status_label : badge.inside ? cfg.tInside : cfg.tNotInside;
      state.dataset.state = badge.status !== "active" ? "revoked" : badge.inside ? "inside" : "outside";
      li.append(who, state);
      if (badge.status === "active" && !badge.inside) {
        const button = Object.assign(document.createElement("button"), {type: "button", textContent: cfg.tCheckIn});
        button.addEventListener("click", async () => {
          await scanner.again(badge.code);
          $("result").scrollIntoView({block: "start", behavior: "instant"});
          if ($("result").dataset.result === "ok") {
            state.textContent = cfg.tInside;
            state.dataset.state = "inside";
            button.remove();
          }
        });
        li.append(button);
      }
      list.append(li);
    }
    // On a phone the list starts below the fold: bring the first answer into view.
    list.firstElementChild?.scrollIntoView({block: "nearest", behavior: "instant"});
  });
  wireScannerPage({root, swUrl: cfg.sw, scope: "/door", noCameraText: cfg.tNoCamera, scanner, sync});
}

init();
