// The scanner pages' service worker (the door at /door, the stand at /company/stand). The server
// serves it with self.PRECACHE = {version, page, files}: every static file and module the page
// loads, and a version that changes with any of them. Installing keeps them all, so the page
// works offline after one visit; a new release is a new worker with a new copy, and the old
// copy goes. The page itself is network first (fresh page, fresh CSRF token) with the kept copy
// when offline. Every other request (the scans, the sync, the copy of names) goes to the
// network untouched: the page falls back to its IndexedDB copy by itself.
const {version: VERSION, page: PAGE, files: FILES} = self.PRECACHE;
const CACHE = `jobday-scan-${VERSION}${PAGE}`;

async function keepPage(cache) {
  try {
    const response = await fetch(PAGE, {credentials: "same-origin"});
    if (response.ok && !response.redirected) await cache.put(PAGE, response);
  } catch (e) { /* offline while installing: the page is kept on its next load */ }
}

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => Promise.all([cache.addAll(FILES), keepPage(cache)]))
    .then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(
    keys.filter((key) => key.startsWith("jobday-") && key.endsWith(PAGE) && key !== CACHE)
      .map((key) => caches.delete(key)))).then(() => self.clients.claim()));
});

self.addEventListener("message", (event) => {
  if (event.data === "version" && event.ports[0]) event.ports[0].postMessage(VERSION);
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname === PAGE) {
    event.respondWith(fetch(event.request).then((response) => {
      if (response.ok && !response.redirected) {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(PAGE, copy));
      }
      return response;
    }).catch(() => caches.open(CACHE).then((cache) => cache.match(PAGE))));
  } else if (url.pathname.startsWith("/static/")) {
    // The copy of this release first: the files are the ones the version was made of.
    event.respondWith(caches.open(CACHE).then((cache) => cache.match(url.pathname))
      .then((kept) => kept || fetch(event.request)));
  }
});
