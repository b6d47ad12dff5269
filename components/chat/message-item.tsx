import { useState } from "react";
import type { OutboxEntry } from "@/lib/client/chat-state";
import type { MentionMark } from "@/lib/client/mentions";
import type { MessageDto } from "@/lib/socket-events";
import { Bubble, type Receipt } from "./message-bubble";
import { MessageActions, type MessageAction } from "./message-actions";
import { lazyOnOpen } from "./lazy-on-open";

// The server decides; these only hide options it would surely refuse (its windows are configurable).
const RECALL_WINDOW_MS = 2 * 60_000;
const EDIT_WINDOW_MS = 15 * 60_000;

// Loaded when first opened (see lazyOnOpen).
const MessageEditForm = lazyOnOpen(() => import("./message-edit-form").then((module) => module.MessageEditForm));

export interface MessageHandlers {
  deleteForMe: () => Promise<void>;
  recall: () => Promise<void>;
  edit: (body: string) => Promise<void>;
}

/** A stored message: someone else's (with their name in groups), or mine with its receipt. */
export function MessageItem({
  message,
  own,
  senderName,
  showSender,
  receipt,
  mentions,
  handlers,
}: {
  message: MessageDto;
  own: boolean;
  senderName: string;
  /** Groups: the sender's name above the first of their consecutive messages. */
  showSender: boolean;
  receipt?: Receipt;
  mentions: readonly MentionMark[];
  handlers: MessageHandlers;
}) {
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);

  if (message.recalledAt) {
    return (
      <article className="flex justify-center px-4 py-1">
        <p className="text-xs text-slate-500 italic">{own ? "You" : senderName} recalled a message</p>
      </article>
    );
  }

  const attempt = (what: string, action: () => Promise<void>) => {
    setError(null);
    action().catch((reason: Error) => setError(`Could not ${what}: ${reason.message}`));
  };

  const actions = (): MessageAction[] => {
    const age = Date.now() - Date.parse(message.createdAt);
    const mine = own && message.kind === "text";
    if (mine && age < EDIT_WINDOW_MS) void MessageEditForm.preload().catch(() => undefined);
    return [
      ...(mine && age < EDIT_WINDOW_MS ? [{ label: "Edit", onSelect: () => setEditing(true) }] : []),
      ...(mine && age < RECALL_WINDOW_MS ? [{ label: "Recall", onSelect: () => attempt("recall", handlers.recall) }] : []),
      { label: "Delete for me", tone: "danger" as const, onSelect: () => attempt("delete", handlers.deleteForMe) },
    ];
  };

  const bubble = <Bubble own={own} body={message.body} createdAt={message.createdAt} edited={message.editedAt !== null} mentions={mentions} receipt={receipt} />;
  return (
    <article className={`group flex flex-col px-4 py-0.5 ${own ? "items-end" : "items-start"}`}>
      {showSender && <p className="mt-1 px-3 pb-0.5 text-xs font-medium text-slate-500">{senderName}</p>}
      {editing ? (
        <MessageEditForm
          initial={message.body}
          onClose={() => setEditing(false)}
          onSave={async (body) => {
            await handlers.edit(body);
            setEditing(false);
          }}
          loading={<div className="flex max-w-[85%] sm:max-w-[70%]">{bubble}</div>}
        />
      ) : (
        <div className={`flex max-w-[85%] items-center gap-1 sm:max-w-[70%] ${own ? "flex-row-reverse" : ""}`}>
          {bubble}
          <MessageActions actions={actions} />
        </div>
      )}
      {error && (
        <p role="alert" className="mt-1 text-xs text-red-600">
          {error}
        </p>
      )}
    </article>
  );
}

/** A membership change or group edit, in words, centred between the messages. */
export function SystemMessageItem({ text }: { text: string }) {
  return (
    <article className="flex justify-center px-4 py-1.5">
      <p className="max-w-[85%] rounded-full bg-slate-200/70 px-3 py-1 text-center text-xs text-slate-600">{text}</p>
    </article>
  );
}

/** A message of mine the server has not acknowledged yet: Sending, or Failed with Retry and Discard. */
export function PendingMessageItem({
  entry,
  failureText,
  onRetry,
  onDiscard,
}: {
  entry: OutboxEntry;
  failureText: string | null;
  onRetry: () => void;
  onDiscard: () => void;
}) {
  const failed = entry.status === "failed";
  return (
    <article className="flex flex-col items-end px-4 py-0.5">
      <div className="flex max-w-[85%] sm:max-w-[70%]">
        <Bubble own body={entry.body} createdAt={entry.createdAt} receipt={{ status: failed ? "Failed" : "Sending" }} />
      </div>
      {failed && (
        <div className="mt-1 flex flex-wrap items-center justify-end gap-x-2 gap-y-1 text-xs">
          {failureText && <span className="text-red-600">{failureText}</span>}
          <button type="button" onClick={onRetry} className="rounded-full px-2 py-0.5 font-medium text-brand-600 ring-1 ring-brand-100 hover:bg-brand-50">
            Retry
          </button>
          <button type="button" onClick={onDiscard} className="rounded-full px-2 py-0.5 font-medium text-slate-600 ring-1 ring-slate-200 hover:bg-slate-100">
            Discard
          </button>
        </div>
      )}
    </article>
  );
}
