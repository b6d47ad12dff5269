/**
 * Notifications are a choice per browser and per person (kept in localStorage): whether this browser
 * notifies, and whether notifications show only "New message" instead of a preview.
 */
export interface NotificationPrefs {
  enabled: boolean;
  privatePreviews: boolean;
}

const OFF: NotificationPrefs = { enabled: false, privatePreviews: false };
const listeners = new Set<() => void>();
const parsed = new Map<string, NotificationPrefs>();

const keyFor = (userId: string) => `chat:notifications:${userId}`;

function read(raw: string | null): NotificationPrefs {
  if (raw === null) return OFF;
  let prefs = parsed.get(raw);
  if (!prefs) {
    try {
      const value = JSON.parse(raw) as Partial<NotificationPrefs>;
      prefs = { enabled: value.enabled === true, privatePreviews: value.privatePreviews === true };
    } catch {
      prefs = OFF;
    }
    // Keyed by the stored text, so the same choice is the same object (a stable useSyncExternalStore snapshot).
    parsed.set(raw, prefs);
  }
  return prefs;
}

export function loadNotificationPrefs(userId: string): NotificationPrefs {
  try {
    return read(localStorage.getItem(keyFor(userId)));
  } catch {
    return OFF;
  }
}

export function saveNotificationPrefs(userId: string, prefs: NotificationPrefs): void {
  try {
    localStorage.setItem(keyFor(userId), JSON.stringify(prefs));
  } catch {
    // Storage refused (private mode, quota): the choice lasts as long as nothing reads it again.
  }
  for (const listener of listeners) listener();
}

/** Changes from this tab and from the browser's other tabs. */
export function subscribeNotificationPrefs(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener("storage", listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", listener);
  };
}

export const notificationsSupported = () => typeof window !== "undefined" && "Notification" in window;
