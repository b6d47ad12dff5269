import { Fragment, useEffect, useLayoutEffect, useRef, useState } from "react";
import type { OutboxEntry, Thread } from "@/lib/client/chat-state";
import { formatDay } from "@/lib/client/format-time";
import { readByCount } from "@/lib/client/group-state";
import type { MentionMark } from "@/lib/client/mentions";
import { systemText } from "@/lib/client/system-text";
import type { ConversationSummary, MessageDto } from "@/lib/socket-events";
import { useChat, useChatState } from "./chat-provider";
import type { OwnStatus, Receipt } from "./message-bubble";
import { MessageItem, PendingMessageItem, SystemMessageItem } from "./message-item";
import { useNameOf } from "./use-names";
import { lazyOnOpen } from "./lazy-on-open";
import { LoadingStatus, logClassName, logFrameClassName, logInnerClassName } from "./message-log-frame";

// Loaded when first opened (see lazyOnOpen).
const ReadersDialog = lazyOnOpen(() => import("./readers-dialog").then((module) => module.ReadersDialog));

const AT_BOTTOM_SLACK_PX = 48;
const LOAD_OLDER_WITHIN_PX = 400;

const dayKey = (iso: string) => new Date(iso).toDateString();

function deliveryStatus(seq: number, summary: ConversationSummary | undefined): OwnStatus {
  if (summary && summary.peerLastReadSeq >= seq) return "Read";
  if (summary && summary.peerLastDeliveredSeq >= seq) return "Delivered";
  return "Sent";
}

/** Groups show each sender's name above the first of their consecutive messages. */
function startsRun(message: MessageDto, previous: MessageDto | undefined): boolean {
  return !previous || previous.kind === "system" || previous.senderId !== message.senderId || dayKey(previous.createdAt) !== dayKey(message.createdAt);
}

function failureText(entry: OutboxEntry, peerName: string): string | null {
  if (!entry.failure) return null;
  if (entry.failure.code === "forbidden:blocked") return `${peerName} is not accepting your messages`;
  if (entry.failure.code.startsWith("unavailable:")) return "Could not reach the server";
  return entry.failure.message;
}

/**
 * The scrolling message list: stays at the bottom while the reader is there, loads older pages when
 * scrolled near the top and keeps the visible messages in place when they are prepended.
 */
export function MessageLog({
  conversationId,
  thread,
  summary,
  myId,
  pending,
}: {
  conversationId: string;
  thread: Thread | undefined;
  summary: ConversationSummary | undefined;
  myId: string;
  pending: readonly OutboxEntry[];
}) {
  const chat = useChat();
  const nameOf = useNameOf();
  const group = useChatState((state) => state.members[conversationId]);
  const users = useChatState((state) => state.users);
  const me = useChatState((state) => state.me);
  const [readersOf, setReadersOf] = useState<number | null>(null);
  const logRef = useRef<HTMLDivElement>(null);
  const atBottomRef = useRef(true);
  const layoutRef = useRef({ distanceFromBottom: 0, firstSeq: 0, loadingOlder: false, pendingCount: 0 });
  const [scrolledUp, setScrolledUp] = useState(false);
  const messages = thread?.messages ?? [];
  const firstSeq = messages[0]?.seq ?? 0;
  const loadingOlder = thread?.loadingOlder ?? false;
  const peerName = summary?.title ?? "This person";
  const isGroup = summary?.kind === "group";

  const receiptOf = (message: MessageDto): Receipt | undefined => {
    if (message.senderId !== myId) return undefined;
    if (!isGroup) return { status: deliveryStatus(message.seq, summary) };
    const readBy = readByCount(group, message);
    return readBy === null ? { status: "Sent" } : { readBy, onShowReaders: () => setReadersOf(message.seq) };
  };
  const senderNameOf = (message: MessageDto) => nameOf(message.senderId) ?? (isGroup ? "Someone" : peerName);
  const mentionsIn = (message: MessageDto): MentionMark[] =>
    message.mentions.flatMap((userId) => {
      const name = userId === me.id ? me.displayName : users[userId]?.displayName;
      return name ? [{ text: `@${name}`, me: userId === me.id }] : [];
    });
  const readersMessage = readersOf === null ? undefined : messages.find((message) => message.seq === readersOf);

  // After every render: stick to the end, or keep what the reader sees in place when older messages arrive.
  useLayoutEffect(() => {
    const log = logRef.current;
    if (!log) return;
    const previous = layoutRef.current;
    if (pending.length > previous.pendingCount) atBottomRef.current = true;
    if (atBottomRef.current) log.scrollTop = log.scrollHeight;
    else if (previous.firstSeq !== firstSeq || previous.loadingOlder !== loadingOlder) {
      log.scrollTop = log.scrollHeight - previous.distanceFromBottom;
    }
    layoutRef.current = { distanceFromBottom: log.scrollHeight - log.scrollTop, firstSeq, loadingOlder, pendingCount: pending.length };
  });

  // A first page too short to scroll (or a reader already at the top) fetches the next older page.
  const ready = thread?.status === "ready";
  const hasOlder = thread?.hasOlder ?? false;
  useEffect(() => {
    const log = logRef.current;
    if (log && ready && hasOlder && log.scrollTop < LOAD_OLDER_WITHIN_PX) void chat.loadOlder(conversationId);
  }, [chat, conversationId, ready, hasOlder, firstSeq]);

  function onScroll() {
    const log = logRef.current;
    if (!log) return;
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight <= AT_BOTTOM_SLACK_PX;
    atBottomRef.current = atBottom;
    setScrolledUp(!atBottom);
    layoutRef.current.distanceFromBottom = log.scrollHeight - log.scrollTop;
    chat.setAtBottom(conversationId, atBottom);
    if (log.scrollTop < LOAD_OLDER_WITHIN_PX) void chat.loadOlder(conversationId);
  }

  function jumpToLatest() {
    logRef.current?.scrollTo({ top: logRef.current.scrollHeight, behavior: "smooth" });
  }

  return (
    <div className={logFrameClassName}>
      <div ref={logRef} role="log" aria-label="Messages" onScroll={onScroll} className={logClassName}>
        <div className={logInnerClassName}>
          {thread?.status === "ready" && !thread.hasOlder && (
            <p className="px-6 pt-4 pb-6 text-center text-xs text-slate-400">
              {isGroup ? `This is where ${peerName} begins for you.` : `This is the beginning of your conversation with ${peerName}.`}
            </p>
          )}
          {loadingOlder && <LoadingStatus label="Loading older messages…" />}
          {(!thread || thread.status === "loading") && messages.length === 0 && <LoadingStatus label="Loading messages…" />}
          {thread?.status === "error" && (
            <div className="flex flex-col items-center gap-2 py-8 text-sm text-slate-500">
              <p>{thread.error?.message ?? "Could not load messages"}</p>
              <button
                type="button"
                onClick={() => void chat.loadThread(conversationId)}
                className="rounded-full px-3 py-1 font-medium text-brand-600 ring-1 ring-brand-100 hover:bg-brand-50"
              >
                Try again
              </button>
            </div>
          )}
          {messages.map((message, index) => (
            <Fragment key={message.seq}>
              <DayDivider message={message} previous={messages[index - 1]} />
              {message.kind === "system" ? (
                <SystemMessageItem text={systemText(message, nameOf)} />
              ) : (
                <MessageItem
                  message={message}
                  own={message.senderId === myId}
                  senderName={senderNameOf(message)}
                  showSender={isGroup && message.senderId !== myId && startsRun(message, messages[index - 1])}
                  receipt={receiptOf(message)}
                  mentions={mentionsIn(message)}
                  handlers={{
                    deleteForMe: () => chat.deleteForMe(conversationId, message.seq),
                    recall: () => chat.recall(conversationId, message.seq),
                    edit: (body) => chat.edit(conversationId, message.seq, body),
                  }}
                />
              )}
            </Fragment>
          ))}
          {pending.map((entry) => (
            <PendingMessageItem
              key={entry.clientMsgId}
              entry={entry}
              failureText={failureText(entry, peerName)}
              onRetry={() => chat.retry(entry.clientMsgId)}
              onDiscard={() => chat.discard(entry.clientMsgId)}
            />
          ))}
        </div>
      </div>
      {scrolledUp && (summary?.unreadCount ?? 0) > 0 && (
        <button
          type="button"
          onClick={jumpToLatest}
          className="absolute bottom-3 left-1/2 -translate-x-1/2 rounded-full bg-white px-3 py-1.5 text-sm font-medium text-brand-600 shadow-md ring-1 ring-slate-200 hover:bg-brand-50"
        >
          New messages ↓
        </button>
      )}
      {readersMessage && (
        <ReadersDialog
          conversationId={conversationId}
          seq={readersMessage.seq}
          count={readByCount(group, readersMessage) ?? 0}
          onClose={() => setReadersOf(null)}
        />
      )}
    </div>
  );
}

function DayDivider({ message, previous }: { message: MessageDto; previous: MessageDto | undefined }) {
  if (previous && dayKey(previous.createdAt) === dayKey(message.createdAt)) return null;
  return (
    <div className="flex justify-center py-3">
      <span className="rounded-full bg-white px-3 py-0.5 text-xs text-slate-500 ring-1 ring-slate-200">
        {formatDay(message.createdAt)}
      </span>
    </div>
  );
}

