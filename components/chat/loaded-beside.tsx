import { loadBeside } from "./load-beside";
import { MessageLogLoading } from "./message-log-frame";

// The chat's parts that do not hold up hydration. Every chat page imports this module through the shell,
// so on any of them all three start downloading at once, beside the socket client.

/** What the log shows comes over the socket or from the outbox's IndexedDB, both loaded beside hydration too. */
export const MessageLog = loadBeside(() => import("./message-log").then((module) => module.MessageLog), MessageLogLoading);
export const NotificationsAgent = loadBeside(() => import("./notifications-agent").then((module) => module.NotificationsAgent));
export const FaviconBadge = loadBeside(() => import("./favicon-badge").then((module) => module.FaviconBadge));
