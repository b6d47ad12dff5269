import { useRouter } from "next/router";
import { useEffect, useRef } from "react";
import { loadNotificationPrefs, notificationsSupported } from "@/lib/client/notification-prefs";
import { dndActive } from "@/lib/client/preferences";
import type { MessageDto } from "@/lib/socket-events";
import { useChat } from "./chat-provider";
import { useSocket } from "./socket-provider";

const PREVIEW_LENGTH = 120;

function preview(body: string): string {
  const text = body.replace(/\s+/g, " ").trim();
  return text.length > PREVIEW_LENGTH ? `${text.slice(0, PREVIEW_LENGTH - 1)}…` : text;
}

/**
 * Notifications while the app runs: registers the service worker, keeps this browser's push
 * subscription registered when notifications are on, and shows a browser notification for messages
 * that arrive while the tab is hidden (not for muted conversations, not during do-not-disturb).
 */
export function NotificationsAgent() {
  const chat = useChat();
  const router = useRouter();
  const { status } = useSocket();
  const pushRefreshed = useRef(false);

  useEffect(() => {
    // Web Push's code is not needed to render: it is loaded after the first screen.
    import("@/lib/client/web-push").then(({ registerServiceWorker }) => registerServiceWorker()).catch(() => undefined);
  }, []);

  // Once per page, re-send the subscription: the server may have dropped it (expired, or another user signed in here).
  useEffect(() => {
    if (status !== "connected" || pushRefreshed.current || !notificationsSupported()) return;
    pushRefreshed.current = true;
    const prefs = loadNotificationPrefs(chat.store.getState().me.id);
    if (prefs.enabled && Notification.permission === "granted") chat.enablePush(prefs.privatePreviews).catch(() => undefined);
  }, [chat, status]);

  useEffect(() => {
    function notify(message: MessageDto) {
      if (document.visibilityState === "visible" || message.kind !== "text" || !notificationsSupported()) return;
      const state = chat.store.getState();
      const prefs = loadNotificationPrefs(state.me.id);
      const summary = state.conversations[message.conversationId];
      if (!prefs.enabled || Notification.permission !== "granted" || !summary || summary.muted || dndActive(state.dnd)) return;
      const sender = state.users[message.senderId]?.displayName ?? "Someone";
      const notification = new Notification(summary.kind === "group" ? `${sender} in ${summary.title}` : sender, {
        body: prefs.privatePreviews ? "New message" : preview(message.body),
        // One per conversation, as the service worker's pushes: a newer message replaces the older one.
        tag: `conversation:${summary.id}`,
      });
      notification.onclick = () => {
        window.focus();
        router.push(`/c/${summary.id}`);
        notification.close();
      };
    }
    return chat.onIncoming(notify);
  }, [chat, router]);

  return null;
}
