// The scanner pages' service worker (the door at /door, the stand at /company/stand): keeps
// the page of its scope and the static files so that the page loads without network. Every
// other request (the scans, the sync, the copy of names) goes to the network untouched: the
// page falls back to its IndexedDB copy by itself.
const SCOPE = new URL(self.registration.scope).pathname.replace(/\/$/, "");
const CACHE = `jobday-scan-v1${SCOPE}`;

self.addEventListener("install", (event) => {
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(
    keys.filter((key) => key.startsWith("jobday-") && key.endsWith(SCOPE) && key !== CACHE)
      .map((key) => caches.delete(key)))).then(() => self.clients.claim()));
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.cache) {
    event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(event.data.cache)));
  }
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  const kept = url.pathname === SCOPE || url.pathname.startsWith("/static/");
  if (event.request.method !== "GET" || url.origin !== self.location.origin || !kept) {
    return;
  }
  // Network first (fresh page, fresh CSRF token); the cached copy when offline.
  event.respondWith(fetch(event.request).then((response) => {
    if (response.ok) {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(event.request, copy));
    }
    return response;
  }).catch(() => caches.match(event.request)));
});
