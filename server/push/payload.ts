import type { PushMessageContext } from "../../db/queries/push-subscriptions";

/** What the service worker receives (JSON, encrypted by web-push) and shows. */
export interface PushPayload {
  title: string;
  body: string;
  conversationId: string;
  messageId: string;
  seq: number;
  /** Where a click on the notification opens the app. */
  url: string;
  /** One notification per conversation: a newer push replaces the shown one instead of stacking. */
  tag: string;
  /** This conversation's unread count for the recipient. */
  unread: number;
  /** The recipient's total unread (the app badge), as the server counts it. */
  totalUnread: number;
}

export const PREVIEW_LENGTH = 120;
const MAX_TITLE_LENGTH = 120;

function truncate(text: string, length: number): string {
  // By code point, so an emoji is never cut in half.
  const characters = Array.from(text);
  return characters.length > length ? `${characters.slice(0, length - 1).join("")}…` : text;
}

function preview(message: Pick<PushMessageContext, "kind" | "body" | "recalled">): string {
  if (message.recalled) return "Message recalled";
  const text = message.body.replace(/\s+/g, " ").trim();
  return truncate(text || "New message", PREVIEW_LENGTH);
}

export function notificationTag(conversationId: string): string {
  return `conversation:${conversationId}`;
}

/**
 * The notification for the latest message of a conversation. When several are unread, the body says
 * how many, so a burst collapsed into one push (or a push replacing an earlier one by tag) still tells.
 */
export function buildPushPayload({
  context,
  conversationId,
  messageId,
  seq,
  unread,
  totalUnread,
  privatePreviews,
}: {
  context: PushMessageContext;
  conversationId: string;
  messageId: string;
  seq: number;
  unread: number;
  totalUnread: number;
  privatePreviews: boolean;
}): PushPayload {
  const title =
    context.conversationKind === "group" ? `${context.senderName} in ${context.conversationTitle ?? "Group"}` : context.senderName;
  const count = Math.max(unread, 1);
  const body = privatePreviews
    ? count > 1
      ? `${count} new messages`
      : "New message"
    : count > 1
      ? `${count} new messages · ${preview(context)}`
      : preview(context);
  return {
    title: truncate(title, MAX_TITLE_LENGTH),
    body,
    conversationId,
    messageId,
    seq,
    url: `/c/${conversationId}`,
    tag: notificationTag(conversationId),
    unread,
    totalUnread,
  };
}
