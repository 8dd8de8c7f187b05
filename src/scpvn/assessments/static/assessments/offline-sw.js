// Service worker of the browser form (assessments/xform-fill.js). The page puts what it needs
// offline into the cache itself (the page, its scripts and styles, the XForm, the lists of
// places); this worker answers GET requests from the network when there is one, keeping the
// cached copy up to date, and from the cache when there is none. Submissions (POST) are never
// touched: the page keeps them in IndexedDB until the server has them.
const CACHE = "scpvn-offline-v1";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      const cached = await cache.match(request, { ignoreVary: true });
      try {
        const response = await fetch(request);
        if (cached && response.ok && !response.redirected) {
          await cache.put(request, response.clone());
        }
        return response;
      } catch (error) {
        if (cached) return cached;
        throw error;
      }
    })(),
  );
});
