// The door's offline copy: the edition's badges (code → name, role, company, status), who was
// let in, and a queue of scans with their nonces, in IndexedDB. Scans answered offline are
// sent, with their original time, when the network returns.
import {openDatabase} from "../scan/idb.js";

const db = openDatabase("jobday-door", 1, {badges: "code", queue: "nonce", inside: "code"});

export const saveSnapshot = (badges) => db.replaceAll("badges", badges);
export const findBadge = (code) => db.get("badges", code);
export const markInside = (code, gate, at) => db.put("inside", {code, gate, at});
export const wasInside = (code) => db.get("inside", code);
export const enqueue = (scan) => db.put("queue", scan);
export const queued = () => db.getAll("queue");
export const dequeue = (nonce) => db.delete("queue", nonce);
export const countQueued = () => db.count("queue");
