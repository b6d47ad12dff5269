import type { ConversationSummary, DndSettings, GroupMemberDto, MessageDto, MessagePage, Presence, ReadState, UserDto } from "@/lib/socket-events";
import { withoutTypist } from "./activity-state";
import { applyMemberReadState, rememberUsers } from "./group-state";

// The browser's model of the chat, as immutable snapshots (for useSyncExternalStore), and the pure
// transitions that apply server data to it. Every transition is idempotent: applying the same push or
// page twice leaves the state as applying it once.

export interface Me {
  id: string;
  displayName: string;
  username: string;
}

export interface Thread {
  status: "loading" | "ready" | "error";
  error: { code: string; message: string } | null;
  /** Ascending by seq, each seq once. */
  messages: readonly MessageDto[];
  /** Every seq in [lowSeq, highSeq] is known: shown, deleted for me, or cleared. */
  lowSeq: number;
  highSeq: number;
  hasOlder: boolean;
  loadingOlder: boolean;
  /** Every recall/edit up to this conversation change version is applied to the messages held here. */
  modVersion: number;
}

export interface OutboxEntry {
  clientMsgId: string;
  conversationId: string;
  body: string;
  /** User ids @mentioned in the body (absent in entries stored before mentions existed). */
  mentions?: string[];
  createdAt: string;
  status: "sending" | "failed";
  failure: { code: string; message: string } | null;
}

export interface GroupMembers {
  members: readonly GroupMemberDto[];
  receiptsEnabled: boolean;
}

/** Someone typing in a conversation, until `expiresAt` (epoch ms) unless refreshed. */
export interface Typist {
  userId: string;
  expiresAt: number;
}

export interface ChatState {
  me: Me;
  /** The first conversation list sync has completed. */
  listLoaded: boolean;
  conversations: Readonly<Record<string, ConversationSummary>>;
  threads: Readonly<Record<string, Thread>>;
  outbox: Readonly<Record<string, OutboxEntry>>;
  /** Member lists (with read positions) of the groups that were opened. */
  members: Readonly<Record<string, GroupMembers>>;
  /** Everyone this device has learned about, kept after they leave a group so old messages keep names. */
  users: Readonly<Record<string, UserDto>>;
  typing: Readonly<Record<string, readonly Typist[]>>;
  presence: Readonly<Record<string, Presence>>;
  /** Global do-not-disturb; null until loaded. */
  dnd: DndSettings | null;
}

export function initialChatState(me: Me): ChatState {
  return { me, listLoaded: false, conversations: {}, threads: {}, outbox: {}, members: {}, users: {}, typing: {}, presence: {}, dnd: null };
}

// --- conversation summaries -------------------------------------------------------------------------

/** The seq up to which nothing counts as unread (read, cleared or before joining), as the server derived it. */
const readFloorOf = (summary: ConversationSummary) => summary.lastSeq - summary.unreadCount;

function withReadFloor(summary: ConversationSummary, readFloor: number): ConversationSummary {
  return { ...summary, unreadCount: Math.max(0, summary.lastSeq - readFloor) };
}

/** A former member cannot mark anything read (the server refuses), so nothing there counts as unread or mentioned. */
function settled(summary: ConversationSummary): ConversationSummary {
  if (summary.leftSeq === null || (summary.unreadCount === 0 && !summary.mentioned)) return summary;
  return { ...summary, unreadCount: 0, mentioned: false };
}

/** Merges a list entry from the server; positions and versions only move forward, whichever copy is older. */
export function mergeSummary(current: ConversationSummary | undefined, incoming: ConversationSummary): ConversationSummary {
  if (!current) return settled(incoming);
  const newer = incoming.lastSeq >= current.lastSeq ? incoming : current;
  return settled(
    withReadFloor(
      {
        ...incoming,
        lastSeq: newer.lastSeq,
        lastMessage: newer.lastMessage,
        lastMessageAt: newer.lastMessageAt,
        lastReadSeq: Math.max(current.lastReadSeq, incoming.lastReadSeq),
        peerLastDeliveredSeq: Math.max(current.peerLastDeliveredSeq, incoming.peerLastDeliveredSeq),
        peerLastReadSeq: Math.max(current.peerLastReadSeq, incoming.peerLastReadSeq),
        modVersion: Math.max(current.modVersion, incoming.modVersion),
      },
      Math.max(readFloorOf(current), readFloorOf(incoming)),
    ),
  );
}

export function mergeSummaries(state: ChatState, summaries: readonly ConversationSummary[]): ChatState {
  if (summaries.length === 0) return state;
  const conversations = { ...state.conversations };
  for (const summary of summaries) conversations[summary.id] = mergeSummary(conversations[summary.id], summary);
  return rememberUsers({ ...state, conversations }, summaries.flatMap((summary) => (summary.peer ? [summary.peer] : [])));
}

function summaryWithMessage(summary: ConversationSummary, message: MessageDto, myId: string): ConversationSummary {
  const isLatest = message.seq >= summary.lastSeq;
  const mine = message.senderId === myId;
  // The server moves my read position to my own sends.
  const readFloor = mine ? Math.max(readFloorOf(summary), message.seq) : readFloorOf(summary);
  const mentionsMe = !mine && message.seq > readFloor && message.mentions.includes(myId);
  return settled(
    withReadFloor(
      {
        ...summary,
        lastSeq: Math.max(summary.lastSeq, message.seq),
        lastMessage: isLatest ? message : summary.lastMessage,
        lastMessageAt: isLatest ? message.createdAt : summary.lastMessageAt,
        lastReadSeq: mine ? Math.max(summary.lastReadSeq, message.seq) : summary.lastReadSeq,
        mentioned: summary.mentioned || mentionsMe,
      },
      readFloor,
    ),
  );
}

export function applyReadState(state: ChatState, readState: ReadState): ChatState {
  const summary = state.conversations[readState.conversationId];
  if (!summary) return state;
  let next: ConversationSummary;
  if (readState.userId === state.me.id) {
    if (readState.lastReadSeq <= summary.lastReadSeq) return state;
    next = withReadFloor({ ...summary, lastReadSeq: readState.lastReadSeq }, Math.max(readFloorOf(summary), readState.lastReadSeq));
    // A mention is always at or below lastSeq: with nothing unread left, it has been read.
    if (next.unreadCount === 0) next = { ...next, mentioned: false };
  } else if (summary.kind === "direct") {
    const peerLastReadSeq = Math.max(summary.peerLastReadSeq, readState.lastReadSeq);
    const peerLastDeliveredSeq = Math.max(summary.peerLastDeliveredSeq, readState.lastDeliveredSeq);
    if (peerLastReadSeq === summary.peerLastReadSeq && peerLastDeliveredSeq === summary.peerLastDeliveredSeq) return state;
    next = { ...summary, peerLastReadSeq, peerLastDeliveredSeq };
  } else {
    return applyMemberReadState(state, readState);
  }
  return { ...state, conversations: { ...state.conversations, [summary.id]: next } };
}

export function setBlockedByMe(state: ChatState, peerId: string, blocked: boolean): ChatState {
  const entries = Object.values(state.conversations).filter((summary) => summary.peer?.id === peerId && summary.blockedByMe !== blocked);
  if (entries.length === 0) return state;
  const conversations = { ...state.conversations };
  for (const summary of entries) conversations[summary.id] = { ...summary, blockedByMe: blocked };
  return { ...state, conversations };
}

export function totalUnread(conversations: Readonly<Record<string, ConversationSummary>>): number {
  let total = 0;
  for (const summary of Object.values(conversations)) if (!summary.muted) total += summary.unreadCount;
  return total;
}

/** Pinned first, then by last activity, newest first. */
export function sortConversations(conversations: Readonly<Record<string, ConversationSummary>>): ConversationSummary[] {
  const activity = (summary: ConversationSummary) => (summary.lastMessageAt ? Date.parse(summary.lastMessageAt) : 0);
  return Object.values(conversations).sort(
    (a, b) => Number(b.pinned) - Number(a.pinned) || activity(b) - activity(a) || a.title.localeCompare(b.title),
  );
}

// --- message threads --------------------------------------------------------------------------------

const emptyThread: Thread = { status: "loading", error: null, messages: [], lowSeq: 1, highSeq: 0, hasOlder: false, loadingOlder: false, modVersion: 0 };

function mergeMessages(existing: readonly MessageDto[], incoming: readonly MessageDto[]): readonly MessageDto[] {
  if (incoming.length === 0) return existing;
  const bySeq = new Map<number, MessageDto>();
  for (const message of existing) bySeq.set(message.seq, message);
  for (const message of incoming) if (!bySeq.has(message.seq)) bySeq.set(message.seq, message);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/** The seq range a page covers, deleted-for-me seqs included; null for an empty page. */
function pageRange(page: MessagePage): { first: number; last: number } | null {
  const seqs = [...page.messages.map((message) => message.seq), ...page.hiddenSeqs];
  if (seqs.length === 0) return null;
  return { first: Math.min(...seqs), last: Math.max(...seqs) };
}

function updateThread(state: ChatState, conversationId: string, update: (thread: Thread) => Thread): ChatState {
  const thread = state.threads[conversationId] ?? emptyThread;
  return { ...state, threads: { ...state.threads, [conversationId]: update(thread) } };
}

function withPageInSummary(state: ChatState, conversationId: string, page: MessagePage): ChatState {
  const summary = state.conversations[conversationId];
  const newest = page.messages.at(-1);
  if (!summary || !newest || newest.seq <= summary.lastSeq) return state;
  return { ...state, conversations: { ...state.conversations, [conversationId]: summaryWithMessage(summary, newest, state.me.id) } };
}

export function startThreadLoad(state: ChatState, conversationId: string): ChatState {
  return updateThread(state, conversationId, (thread) => ({ ...thread, status: "loading", error: null }));
}

export function failThreadLoad(state: ChatState, conversationId: string, error: { code: string; message: string }): ChatState {
  return updateThread(state, conversationId, (thread) => ({ ...thread, status: "error", error }));
}

/**
 * The newest page, when a conversation is opened. `modVersion` is the conversation's change version known
 * before the page was requested: every recall or edit up to it is already reflected in the page.
 */
export function applyNewestPage(state: ChatState, conversationId: string, page: MessagePage, modVersion: number): ChatState {
  const clearedSeq = state.conversations[conversationId]?.clearedSeq ?? 0;
  const range = pageRange(page);
  const next = updateThread(state, conversationId, (thread) => {
    const highSeq = Math.max(thread.highSeq, range?.last ?? 0, clearedSeq);
    return {
      ...thread,
      status: "ready",
      error: null,
      messages: mergeMessages(thread.messages, page.messages),
      lowSeq: range ? range.first : highSeq + 1,
      highSeq,
      hasOlder: page.hasMore,
      modVersion: Math.max(thread.modVersion, modVersion),
    };
  });
  return withPageInSummary(next, conversationId, page);
}

export function startOlderLoad(state: ChatState, conversationId: string): ChatState {
  return updateThread(state, conversationId, (thread) => ({ ...thread, loadingOlder: true }));
}

export function applyOlderPage(state: ChatState, conversationId: string, page: MessagePage | null): ChatState {
  const range = page && pageRange(page);
  return updateThread(state, conversationId, (thread) => ({
    ...thread,
    loadingOlder: false,
    messages: page ? mergeMessages(thread.messages, page.messages) : thread.messages,
    lowSeq: range ? Math.min(thread.lowSeq, range.first) : thread.lowSeq,
    // A failed load (null page) keeps hasOlder so scrolling up tries again.
    hasOlder: page ? page.hasMore && range !== null : thread.hasOlder,
  }));
}

/** A catch-up page (messages after highSeq): complete for its range, so highSeq moves to its end. */
export function applySincePage(state: ChatState, conversationId: string, page: MessagePage): ChatState {
  const range = pageRange(page);
  const next = updateThread(state, conversationId, (thread) => ({
    ...thread,
    messages: mergeMessages(thread.messages, page.messages),
    highSeq: Math.max(thread.highSeq, range?.last ?? 0),
  }));
  return withPageInSummary(next, conversationId, page);
}

/**
 * A pushed message. It joins an open thread only when it is the next seq; anything further ahead
 * means pushes were missed, and `gap` asks the caller to pull the range (which brings this one too).
 * Nothing after a former member's leaving point is theirs to see.
 */
export function applyPushedMessage(
  state: ChatState,
  message: MessageDto,
): { state: ChatState; gap: boolean; knownConversation: boolean; accepted: boolean } {
  const summary = state.conversations[message.conversationId];
  if (summary && summary.leftSeq !== null && message.seq > summary.leftSeq) return { state, gap: false, knownConversation: true, accepted: false };
  let next = summary
    ? { ...state, conversations: { ...state.conversations, [summary.id]: summaryWithMessage(summary, message, state.me.id) } }
    : state;
  next = withoutTypist(next, message.conversationId, message.senderId);
  const thread = next.threads[message.conversationId];
  let gap = false;
  if (thread?.status === "ready" && message.seq > thread.highSeq) {
    if (message.seq === thread.highSeq + 1) {
      next = updateThread(next, message.conversationId, (current) => ({
        ...current,
        messages: mergeMessages(current.messages, [message]),
        highSeq: message.seq,
      }));
    } else {
      gap = true;
    }
  }
  return { state: next, gap, knownConversation: summary !== undefined, accepted: true };
}

/** A recalled or edited message replaces its earlier copy wherever it is shown (never by an older version). */
function withChangedMessage(state: ChatState, message: MessageDto): ChatState {
  let next = state;
  const summary = state.conversations[message.conversationId];
  if (summary) {
    const isLast = summary.lastMessage?.seq === message.seq && summary.lastMessage.modVersion < message.modVersion;
    next = {
      ...next,
      conversations: {
        ...next.conversations,
        [summary.id]: { ...summary, lastMessage: isLast ? message : summary.lastMessage, modVersion: Math.max(summary.modVersion, message.modVersion) },
      },
    };
  }
  const thread = next.threads[message.conversationId];
  if (thread?.messages.some((existing) => existing.seq === message.seq && existing.modVersion < message.modVersion)) {
    next = updateThread(next, message.conversationId, (current) => ({
      ...current,
      messages: current.messages.map((existing) => (existing.seq === message.seq && existing.modVersion < message.modVersion ? message : existing)),
    }));
  }
  return next;
}

/**
 * A pushed recall or edit. Change versions are gap-free per conversation like seqs: the next version
 * advances the thread's, a later one means changes were missed and `gap` asks for a pull.
 */
export function applyChangedMessage(state: ChatState, message: MessageDto): { state: ChatState; gap: boolean } {
  let next = withChangedMessage(state, message);
  const thread = next.threads[message.conversationId];
  if (!thread || thread.status !== "ready" || message.modVersion <= thread.modVersion) return { state: next, gap: false };
  if (message.modVersion > thread.modVersion + 1) return { state: next, gap: true };
  next = updateThread(next, message.conversationId, (current) => ({ ...current, modVersion: message.modVersion }));
  return { state: next, gap: false };
}

/**
 * A `messages:modified` page: complete in version order, so the thread's version moves to its end. The
 * last page (`upTo`: the version known before asking) also covers changes to messages not shown to me.
 */
export function applyModifiedPage(state: ChatState, conversationId: string, messages: readonly MessageDto[], upTo: number | null): ChatState {
  let next = state;
  for (const message of messages) next = withChangedMessage(next, message);
  const newest = Math.max(upTo ?? 0, ...messages.map((message) => message.modVersion));
  const thread = next.threads[conversationId];
  if (!thread || newest <= thread.modVersion) return next;
  return updateThread(next, conversationId, (current) => ({ ...current, modVersion: newest }));
}

/** Loaded threads whose conversation changed (recall/edit) beyond what the thread has applied. */
export function threadsBehindOnChanges(state: ChatState): string[] {
  return Object.entries(state.threads)
    .filter(([conversationId, thread]) => thread.status === "ready" && (state.conversations[conversationId]?.modVersion ?? 0) > thread.modVersion)
    .map(([conversationId]) => conversationId);
}

export function hideMessage(state: ChatState, conversationId: string, seq: number): ChatState {
  const thread = state.threads[conversationId];
  if (!thread?.messages.some((message) => message.seq === seq)) return state;
  return updateThread(state, conversationId, (current) => ({
    ...current,
    messages: current.messages.filter((message) => message.seq !== seq),
  }));
}

// --- outbox -----------------------------------------------------------------------------------------

export function putOutboxEntries(state: ChatState, entries: readonly OutboxEntry[]): ChatState {
  if (entries.length === 0) return state;
  const outbox = { ...state.outbox };
  for (const entry of entries) outbox[entry.clientMsgId] = entry;
  return { ...state, outbox };
}

export function removeOutboxEntries(state: ChatState, clientMsgIds: readonly string[]): ChatState {
  const present = clientMsgIds.filter((id) => id in state.outbox);
  if (present.length === 0) return state;
  const outbox = { ...state.outbox };
  for (const id of present) delete outbox[id];
  return { ...state, outbox };
}
