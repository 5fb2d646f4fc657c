// The door's service worker: keeps the scanner page and its files so that the page loads
// without network. API calls always go to the network (the page falls back to IndexedDB).
const CACHE = "jobday-door-v1";

self.addEventListener("install", (event) => {
  self.skipWaiting();
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(
    keys.filter((key) => key !== CACHE).map((key) => caches.delete(key)))).then(() => self.clients.claim()));
});

self.addEventListener("message", (event) => {
  if (event.data && event.data.cache) {
    event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(event.data.cache)));
  }
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) {
    return;
  }
  // Network first (fresh page, fresh CSRF token); the cached copy when offline.
  event.respondWith(fetch(event.request).then((response) => {
    if (response.ok && (url.pathname === "/door" || url.pathname.startsWith("/static/"))) {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(event.request, copy));
    }
    return response;
  }).catch(() => caches.match(event.request)));
});
