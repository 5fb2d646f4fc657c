// The offline copy: the edition's badges (code → name, role, company, status) and a queue
// of scans with their nonces, in IndexedDB. Scans answered offline are sent, with their
// original time, when the network returns.

const DB_NAME = "jobday-door";
const VERSION = 1;

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains("badges")) db.createObjectStore("badges", {keyPath: "code"});
      if (!db.objectStoreNames.contains("queue")) db.createObjectStore("queue", {keyPath: "nonce"});
      if (!db.objectStoreNames.contains("inside")) db.createObjectStore("inside", {keyPath: "code"});
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

let dbPromise = null;
function db() {
  dbPromise = dbPromise || open();
  return dbPromise;
}

function run(store, mode, action) {
  return db().then((database) => new Promise((resolve, reject) => {
    const tx = database.transaction(store, mode);
    const result = action(tx.objectStore(store));
    tx.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
    tx.onerror = () => reject(tx.error);
  }));
}

export function saveSnapshot(badges) {
  return run("badges", "readwrite", (store) => {
    store.clear();
    for (const badge of badges) store.put(badge);
  });
}

export const findBadge = (code) => run("badges", "readonly", (store) => store.get(code));
export const markInside = (code, gate, at) => run("inside", "readwrite", (store) => store.put({code, gate, at}));
export const wasInside = (code) => run("inside", "readonly", (store) => store.get(code));
export const enqueue = (scan) => run("queue", "readwrite", (store) => store.put(scan));
export const queued = () => run("queue", "readonly", (store) => store.getAll());
export const dequeue = (nonce) => run("queue", "readwrite", (store) => store.delete(nonce));
export const countQueued = () => run("queue", "readonly", (store) => store.count());
