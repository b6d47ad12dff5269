// The service worker for Web Push: shows the server's notification, and opens the conversation on click.
// Kept dependency-free and tiny; it is served as-is from /sw.js (scope "/").

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("push", (event) => {
  let data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { body: event.data ? event.data.text() : "" };
  }
  // Only a path on this origin ("//host" would be another site).
  const url = typeof data.url === "string" && /^\/(?!\/)/.test(data.url) ? data.url : "/";
  const options = {
    body: data.body || "New message",
    // One notification per conversation: a newer push replaces it (and alerts again) instead of stacking.
    tag: data.tag || url,
    renotify: Boolean(data.tag),
    data: { url, conversationId: data.conversationId, totalUnread: data.totalUnread },
  };
  const badge =
    "setAppBadge" in navigator && typeof data.totalUnread === "number"
      ? (data.totalUnread > 0 ? navigator.setAppBadge(data.totalUnread) : navigator.clearAppBadge()).catch(() => undefined)
      : Promise.resolve();
  event.waitUntil(Promise.all([self.registration.showNotification(data.title || "New message", options), badge]));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL(event.notification.data?.url || "/", self.location.origin);
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const exact = windows.find((client) => new URL(client.url).pathname === target.pathname);
      if (exact) return exact.focus();
      // Prefer reusing an open tab of the app over opening another one.
      const any = windows.find((client) => new URL(client.url).origin === target.origin && "navigate" in client);
      if (any) {
        const focused = await any.focus();
        return (focused || any).navigate(target.href);
      }
      return self.clients.openWindow(target.href);
    })(),
  );
});
