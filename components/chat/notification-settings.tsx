import { useState, useSyncExternalStore } from "react";
import {
  loadNotificationPrefs,
  notificationsSupported,
  saveNotificationPrefs,
  subscribeNotificationPrefs,
  type NotificationPrefs,
} from "@/lib/client/notification-prefs";
import { useChat, useChatState } from "./chat-provider";
import { Switch } from "./switch";

type Outcome = { tone: "ok" | "problem"; text: string } | null;

const permissionNow = () => (notificationsSupported() ? Notification.permission : "denied");

/**
 * Notifications on this browser: asking the browser's permission, then subscribing to Web Push so
 * messages reach me with no tab open. If only the push subscription fails, notifications still show
 * while a tab is open, and the reason is said plainly.
 */
export function NotificationSettings() {
  const chat = useChat();
  const myId = useChatState((state) => state.me.id);
  const prefs = useSyncExternalStore(
    subscribeNotificationPrefs,
    () => loadNotificationPrefs(myId),
    () => loadNotificationPrefs(myId),
  );
  const [permission, setPermission] = useState(permissionNow);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);

  if (!notificationsSupported()) return <p className="py-2 text-sm text-slate-500">This browser cannot show notifications.</p>;

  const enabled = prefs.enabled && permission === "granted";
  const save = (next: NotificationPrefs) => saveNotificationPrefs(myId, next);

  async function subscribe(next: NotificationPrefs) {
    try {
      await chat.enablePush(next.privatePreviews);
      setOutcome({ tone: "ok", text: "On for this browser, also when no tab of the app is open." });
    } catch (error) {
      setOutcome({
        tone: "problem",
        text: `Notifications will show while a tab of the app is open, but background notifications could not be set up: ${(error as Error).message}`,
      });
    }
  }

  async function turnOn() {
    const granted = await Notification.requestPermission();
    setPermission(granted);
    if (granted !== "granted") {
      setOutcome({ tone: "problem", text: "Notifications are blocked for this site. Allow them in your browser’s site settings." });
      return;
    }
    const next = { ...prefs, enabled: true };
    save(next);
    await subscribe(next);
  }

  async function turnOff() {
    save({ ...prefs, enabled: false });
    try {
      await chat.disablePush();
      setOutcome(null);
    } catch (error) {
      setOutcome({ tone: "problem", text: `Notifications are off, but the server could not be told: ${(error as Error).message}` });
    }
  }

  async function run(task: () => Promise<void>) {
    setBusy(true);
    setOutcome(null);
    await task();
    setBusy(false);
  }

  return (
    <div>
      <Switch
        label="Enable notifications"
        description="New messages, unless the conversation is muted or do not disturb is on."
        checked={enabled}
        disabled={busy}
        onChange={(on) => void run(on ? turnOn : turnOff)}
      />
      <Switch
        label="Private previews"
        description="Notifications say only “New message”."
        checked={prefs.privatePreviews}
        disabled={busy || !enabled}
        onChange={(privatePreviews) => {
          const next = { ...prefs, privatePreviews };
          save(next);
          void run(() => subscribe(next));
        }}
      />
      {outcome && (
        <p role={outcome.tone === "problem" ? "alert" : "status"} className={`pt-1 text-sm ${outcome.tone === "problem" ? "text-red-600" : "text-emerald-700"}`}>
          {outcome.text}
        </p>
      )}
    </div>
  );
}
