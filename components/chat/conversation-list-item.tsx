import { NavLink } from "@/components/nav-link";
import type { ConversationSummary } from "@/lib/socket-events";
import { formatFullDate, formatListTime } from "@/lib/client/format-time";
import { systemText, type NameOf } from "@/lib/client/system-text";
import { Avatar } from "./avatar";
import { CountBadge } from "./count-badge";
import { MutedIcon, PinnedIcon } from "./icons";

function preview(summary: ConversationSummary, nameOf: NameOf): string {
  const message = summary.lastMessage;
  if (!message) return "No messages yet";
  if (message.kind === "system") return systemText(message, nameOf);
  const sender = nameOf(message.senderId) ?? (summary.kind === "direct" ? summary.title : null);
  if (message.recalledAt) return `${sender ?? "Someone"} recalled a message`;
  const text = message.body.replace(/\s+/g, " ").trim();
  if (sender === "You") return `You: ${text}`;
  return summary.kind === "group" && sender ? `${sender}: ${text}` : text;
}

export function ConversationListItem({ summary, nameOf, active }: { summary: ConversationSummary; nameOf: NameOf; active: boolean }) {
  const unread = summary.unreadCount;
  return (
    <li>
      <NavLink
        href={`/c/${summary.id}`}
        aria-current={active ? "page" : undefined}
        className={`flex items-center gap-3 px-4 py-3 outline-none transition-colors hover:bg-slate-50 focus-visible:bg-slate-100 ${active ? "bg-brand-50 hover:bg-brand-50" : ""}`}
      >
        <Avatar name={summary.title} seed={summary.peer?.id ?? summary.id} src={summary.avatarUrl} />
        <span className="min-w-0 flex-1">
          <span className="flex items-baseline justify-between gap-2">
            <span className={`truncate ${unread > 0 ? "font-semibold text-slate-900" : "font-medium text-slate-800"}`}>{summary.title}</span>
            {summary.lastMessageAt && (
              <time dateTime={summary.lastMessageAt} title={formatFullDate(summary.lastMessageAt)} className="flex-none text-xs text-slate-500">
                {formatListTime(summary.lastMessageAt)}
              </time>
            )}
          </span>
          <span className="mt-0.5 flex items-center justify-between gap-2">
            <span className={`truncate text-sm ${unread > 0 ? "text-slate-700" : "text-slate-500"}`}>{preview(summary, nameOf)}</span>
            <span className="flex flex-none items-center gap-1">
              {summary.pinned && <PinnedIcon />}
              {summary.muted && <MutedIcon />}
              {summary.mentioned && (
                <span
                  role="img"
                  aria-label="Mentioned"
                  title="You were mentioned"
                  className="inline-flex h-5 w-5 items-center justify-center rounded-full bg-amber-400 text-xs font-bold text-white"
                >
                  @
                </span>
              )}
              {unread > 0 && <CountBadge count={unread} label="unread" tone={summary.muted ? "quiet" : "brand"} />}
            </span>
          </span>
        </span>
      </NavLink>
    </li>
  );
}
