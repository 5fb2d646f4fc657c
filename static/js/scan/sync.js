// The offline side the scanner pages share: whether the network is there (the page's
// #offline-banner says so), the queue of scans sent to the sync endpoint with their nonces (each
// answer removes its scan; the root's data-queued counts those left, which #offline-status
// shows), and the fresh offline copy.
//
//   const sync = offlineSync({root, syncUrl, snapshotUrl, csrf,
//                             store: {queued, dequeue, count, saveSnapshot}, onResult});

export function offlineSync({root, syncUrl, snapshotUrl, csrf, store, onResult = () => {}}) {
  let online = navigator.onLine;
  let flushing = false;

  async function updateCount() {
    root.dataset.queued = String(await store.count());
  }

  function setOnline(value) {
    online = value;
    document.getElementById("offline-banner").hidden = value;
    if (value) flush();
    updateCount();
  }

  async function flush() {
    if (flushing) return;
    flushing = true;
    try {
      // In the order they were made (the queue's keys are random nonces): the server decides
      // each in turn, so the first of two scans of a badge is the entry.
      const scans = (await store.queued()).sort((a, b) => (a.seq || 0) - (b.seq || 0) ||
        String(a.client_time).localeCompare(String(b.client_time)));
      if (!scans.length) return;
      const response = await fetch(syncUrl, {method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRFToken": csrf}, body: JSON.stringify({scans})});
      // 429: the unknown codes used up the limit on the way; the scans decided before are
      // answered (and removed), the others stay queued for the next flush.
      if (!response.ok && response.status !== 429) return;
      const {results = []} = await response.json();
      for (const result of results) {
        if (!result.nonce) continue;
        await store.dequeue(result.nonce);
        onResult(result);
      }
    } catch (e) {
      setOnline(false);
    } finally {
      flushing = false;
      updateCount();
    }
  }

  async function refreshSnapshot() {
    try {
      const response = await fetch(snapshotUrl, {credentials: "same-origin"});
      if (!response.ok) return false;
      const data = await response.json();
      await store.saveSnapshot(data.badges);
      root.dataset.snapshotSize = String(data.badges.length);
      if (!online) setOnline(true);
      return true;
    } catch (e) {
      setOnline(false);
      return false;
    }
  }

  return {isOnline: () => online, setOnline, flush, refreshSnapshot, updateCount};
}
