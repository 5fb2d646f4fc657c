// A small IndexedDB helper for the scanner pages' offline copies and queues:
//
//   const db = openDatabase("jobday-door", 1, {badges: "code", queue: "nonce"});
//   await db.put("queue", scan); await db.getAll("queue"); await db.count("queue");

export function openDatabase(name, version, stores) {
  let opening = null;

  function open() {
    opening = opening || new Promise((resolve, reject) => {
      const request = indexedDB.open(name, version);
      request.onupgradeneeded = () => {
        const database = request.result;
        for (const [store, keyPath] of Object.entries(stores)) {
          if (!database.objectStoreNames.contains(store)) database.createObjectStore(store, {keyPath});
        }
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    return opening;
  }

  function run(store, mode, action) {
    return open().then((database) => new Promise((resolve, reject) => {
      const tx = database.transaction(store, mode);
      const result = action(tx.objectStore(store));
      tx.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
      tx.onerror = () => reject(tx.error);
    }));
  }

  return {
    run,
    get: (store, key) => run(store, "readonly", (s) => s.get(key)),
    getAll: (store) => run(store, "readonly", (s) => s.getAll()),
    count: (store) => run(store, "readonly", (s) => s.count()),
    put: (store, value) => run(store, "readwrite", (s) => s.put(value)),
    delete: (store, key) => run(store, "readwrite", (s) => s.delete(key)),
    replaceAll: (store, values) => run(store, "readwrite", (s) => {
      s.clear();
      for (const value of values) s.put(value);
    }),
  };
}
