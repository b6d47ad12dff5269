import { formatFullDate, formatMessageTime } from "@/lib/client/format-time";
import type { MentionMark } from "@/lib/client/mentions";
import { MessageText } from "./message-text";

export type OwnStatus = "Sending" | "Sent" | "Delivered" | "Read" | "Failed";

/** An own message's state: one-to-one delivery states, or in groups how many members read it. */
export type Receipt = { status: OwnStatus } | { readBy: number; onShowReaders: () => void };

function bubbleTone(own: boolean, status: OwnStatus | undefined): string {
  if (!own) return "rounded-bl-md bg-white text-slate-900 ring-1 ring-slate-200";
  if (status === "Failed") return "rounded-br-md bg-brand-500/60 text-white";
  if (status === "Sending") return "rounded-br-md bg-brand-500/85 text-white";
  return "rounded-br-md bg-brand-500 text-white";
}

export function Bubble({
  own,
  body,
  createdAt,
  edited = false,
  mentions,
  receipt,
}: {
  own: boolean;
  body: string;
  createdAt: string;
  edited?: boolean;
  mentions?: readonly MentionMark[];
  receipt?: Receipt;
}) {
  const status = receipt && "status" in receipt ? receipt.status : undefined;
  return (
    <div className={`min-w-0 rounded-2xl px-3.5 py-2 shadow-sm ${bubbleTone(own, status)}`}>
      <p className="text-[15px] leading-snug whitespace-pre-wrap [overflow-wrap:anywhere]">
        <MessageText body={body} own={own} mentions={mentions} />
      </p>
      <p className={`mt-1 flex items-center justify-end gap-1.5 text-[11px] ${own ? "text-white/80" : "text-slate-500"}`}>
        {edited && <span className="italic">edited</span>}
        <time dateTime={createdAt} title={formatFullDate(createdAt)}>
          {formatMessageTime(createdAt)}
        </time>
        {receipt && "status" in receipt && <StatusLabel status={receipt.status} />}
        {receipt && "readBy" in receipt && (
          <button
            type="button"
            onClick={receipt.onShowReaders}
            className="rounded-full px-1 font-medium text-white underline decoration-white/40 underline-offset-2 hover:decoration-white"
          >
            Read by {receipt.readBy}
          </button>
        )}
      </p>
    </div>
  );
}

function StatusLabel({ status }: { status: OwnStatus }) {
  const icon = {
    Sending: <circle cx="8" cy="8" r="5.5" strokeDasharray="3 2.5" />,
    Sent: <path d="M3.5 8.5l3 3 6-7" />,
    Delivered: <path d="M1.5 8.5l3 3 6-7M7.5 11.5l6-7" />,
    Read: <path d="M1.5 8.5l3 3 6-7M7.5 11.5l6-7" />,
    Failed: <path d="M8 4v5M8 11.5v.5" />,
  }[status];
  return (
    <span className={`inline-flex items-center gap-0.5 ${status === "Read" ? "font-semibold text-white" : ""}`}>
      <svg aria-hidden viewBox="0 0 16 16" className="h-3.5 w-3.5" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round">
        {icon}
      </svg>
      <span>{status}</span>
    </span>
  );
}
