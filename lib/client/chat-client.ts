import type { ChatSocket } from "@/lib/socket-client";
import { parseJsonBytes, type ConversationSummary, type MessageDto, type ServerToClientEvents, type UserDto } from "@/lib/socket-events";
import {
  applyChangedMessage,
  applyModifiedPage,
  applyNewestPage,
  applyOlderPage,
  applyPushedMessage,
  applyReadState,
  applySincePage,
  failThreadLoad,
  hideMessage,
  mergeSummaries,
  setBlockedByMe,
  startOlderLoad,
  startThreadLoad,
  threadsBehindOnChanges,
  type Me,
} from "./chat-state";
import { ChatStore } from "./chat-store";
import { changesMembership, rememberUsers } from "./group-state";
import { Groups } from "./groups";
import { Outbox } from "./outbox";
import { Preferences } from "./preferences";
import { PresenceTracker } from "./presence";
import { Receipts } from "./receipts";
import { request, requireConnected, RequestError } from "./request";
import { loadOnce } from "./load-once";
import { singleFlight, singleFlightPerKey } from "./single-flight";
import { Typing } from "./typing";

// Web Push's code is loaded on first use, not with the chat.
const loadWebPush = loadOnce(() => import("./web-push"));

const HISTORY_PAGE_SIZE = 50;
const CATCH_UP_PAGE_SIZE = 200;
const CHANGES_PAGE_SIZE = 100;
/** Signing out waits this long at most for the server to forget this browser's push subscription. */
const SIGN_OUT_PUSH_TIMEOUT_MS = 2_000;

type IncomingListener = (message: MessageDto) => void;

/**
 * The browser side of the chat protocol: push for speed, pull for truth. Pushed messages join a thread
 * only in seq order, and recalls/edits in change-version order; a gap, a (re)connection or an unknown
 * conversation triggers a pull of exactly what is missing. Components read `store` and call the methods
 * here (and of the feature objects it holds); nothing else talks to the socket.
 */
export class ChatClient {
  readonly store: ChatStore;
  readonly groups: Groups;
  readonly typing: Typing;
  readonly preferences: Preferences;
  private socket: ChatSocket | null = null;
  private readonly outbox: Outbox;
  private readonly receipts: Receipts;
  private readonly presence: PresenceTracker;
  private listCursor: string | undefined;
  private readonly syncList = singleFlight(() => this.syncListOnce());
  private readonly catchUp = singleFlightPerKey((conversationId) => this.catchUpOnce(conversationId));
  private readonly pullChanges = singleFlightPerKey((conversationId) => this.pullChangesOnce(conversationId));
  private readonly threadLoads = new Set<string>();
  private readonly incomingListeners = new Set<IncomingListener>();
  private viewing: { conversationId: string; atBottom: boolean } | null = null;

  constructor(me: Me) {
    this.store = new ChatStore(me);
    const socket = () => this.socket;
    this.receipts = new Receipts(this.store, socket);
    this.outbox = new Outbox({ store: this.store, userId: me.id, socket, onSent: (message) => this.onMessage(message, false) });
    this.groups = new Groups(this.store, socket);
    this.typing = new Typing(this.store, socket, me.id);
    this.preferences = new Preferences(this.store, socket);
    this.presence = new PresenceTracker(this.store, socket);
  }

  private get me() {
    return this.store.getState().me;
  }

  /** Wires the client to a socket; returns the function that unwires it. */
  attach(socket: ChatSocket): () => void {
    this.socket = socket;
    const offs: Array<() => void> = [];
    const listen = <E extends keyof ServerToClientEvents>(event: E, handler: ServerToClientEvents[E]) => {
      socket.on(event, handler as never);
      offs.push(() => socket.off(event, handler as never));
    };
    socket.on("connect", this.onConnected);
    offs.push(() => socket.off("connect", this.onConnected));
    socket.on("disconnect", this.typing.reset);
    offs.push(() => socket.off("disconnect", this.typing.reset));
    listen("sync:required", this.onConnected);
    listen("message:new", (message) => this.onMessage(message, true));
    listen("message:updated", (message) => this.onChangedMessage(message));
    listen("conversation:read-state", (state) => this.store.update((current) => applyReadState(current, state)));
    listen("conversation:changed", (summary) => this.mergeList([summary]));
    listen("message:hidden", ({ conversationId, seq }) => this.store.update((current) => hideMessage(current, conversationId, seq)));
    listen("typing", (state) => this.typing.received(state));
    listen("presence", (presence) => this.presence.received([presence]));
    listen("settings:changed", ({ dnd }) => this.preferences.received(dnd));
    const onVisibilityChange = () => {
      this.reportRead();
      this.presence.visibilityChanged();
    };
    document.addEventListener("visibilitychange", onVisibilityChange);
    const unsubscribe = this.store.subscribe(() => {
      this.reportRead();
      this.presence.follow();
    });
    void this.outbox.load();
    if (socket.connected) this.onConnected();

    return () => {
      for (const off of offs) off();
      document.removeEventListener("visibilitychange", onVisibilityChange);
      unsubscribe();
      this.outbox.stop();
      this.receipts.stop();
      this.typing.stopTimers();
      this.socket = null;
    };
  }

  // --- what components call ------------------------------------------------------------------------

  /** The conversation on screen: loads it, and reads it while the tab is visible and scrolled to the end. */
  view(conversationId: string): () => void {
    this.viewing = { conversationId, atBottom: true };
    const thread = this.store.getState().threads[conversationId];
    if (thread?.status !== "ready") void this.loadThread(conversationId);
    else void this.catchUp(conversationId);
    this.reportRead();
    return () => {
      if (this.viewing?.conversationId === conversationId) this.viewing = null;
      this.typing.stop(conversationId);
    };
  }

  setAtBottom(conversationId: string, atBottom: boolean): void {
    if (this.viewing?.conversationId !== conversationId || this.viewing.atBottom === atBottom) return;
    this.viewing = { conversationId, atBottom };
    this.reportRead();
  }

  /** Messages that arrive from others while this client runs (for in-tab notifications). */
  onIncoming(listener: IncomingListener): () => void {
    this.incomingListeners.add(listener);
    return () => this.incomingListeners.delete(listener);
  }

  async loadThread(conversationId: string): Promise<void> {
    if (this.threadLoads.has(conversationId)) return;
    this.store.update((state) => startThreadLoad(state, conversationId));
    const socket = this.socket;
    // Offline it stays "loading": the next connection loads the conversation on screen.
    if (!socket?.connected) return;
    this.threadLoads.add(conversationId);
    const modVersion = this.store.getState().conversations[conversationId]?.modVersion ?? 0;
    try {
      const page = parseJsonBytes(await request(socket, "messages:history", { conversationId, limit: HISTORY_PAGE_SIZE }));
      this.store.update((state) => applyNewestPage(state, conversationId, page, modVersion));
      this.received(conversationId, page.messages);
      void this.catchUp(conversationId);
      void this.pullChanges(conversationId);
    } catch (error) {
      const failure =
        error instanceof RequestError
          ? { code: error.code, message: error.message }
          : socket.connected
            ? { code: "unavailable:timeout", message: "Could not load messages" }
            : null; // Disconnected meanwhile: the next connection loads it again.
      if (failure) this.store.update((state) => failThreadLoad(state, conversationId, failure));
    } finally {
      this.threadLoads.delete(conversationId);
    }
  }

  async loadOlder(conversationId: string): Promise<void> {
    const thread = this.store.getState().threads[conversationId];
    const socket = this.socket;
    if (!socket?.connected || thread?.status !== "ready" || !thread.hasOlder || thread.loadingOlder) return;
    this.store.update((state) => startOlderLoad(state, conversationId));
    try {
      const page = parseJsonBytes(await request(socket, "messages:history", { conversationId, beforeSeq: thread.lowSeq, limit: HISTORY_PAGE_SIZE }));
      this.store.update((state) => applyOlderPage(state, conversationId, page));
      this.received(conversationId, page.messages);
    } catch {
      this.store.update((state) => applyOlderPage(state, conversationId, null));
    }
  }

  send(conversationId: string, body: string, mentions: string[] = []): void {
    this.typing.stop(conversationId);
    this.outbox.enqueue(conversationId, body, mentions);
  }

  retry(clientMsgId: string): void {
    this.outbox.retry(clientMsgId);
  }

  discard(clientMsgId: string): void {
    this.outbox.discard(clientMsgId);
  }

  async recall(conversationId: string, seq: number): Promise<void> {
    const { message } = await request(requireConnected(this.socket), "message:recall", { conversationId, seq });
    this.onChangedMessage(message);
  }

  async edit(conversationId: string, seq: number, body: string): Promise<void> {
    const { message } = await request(requireConnected(this.socket), "message:edit", { conversationId, seq, body });
    this.onChangedMessage(message);
  }

  async deleteForMe(conversationId: string, seq: number): Promise<void> {
    await request(requireConnected(this.socket), "message:delete-for-me", { conversationId, seq });
    this.store.update((state) => hideMessage(state, conversationId, seq));
  }

  async setBlocked(userId: string, blocked: boolean): Promise<void> {
    const result = await request(requireConnected(this.socket), "users:block", { userId, blocked });
    this.store.update((state) => setBlockedByMe(state, result.userId, result.blocked));
  }

  async searchPeople(query: string): Promise<UserDto[]> {
    const { users } = await request(requireConnected(this.socket), "users:search", { query });
    this.store.update((state) => rememberUsers(state, users));
    return users;
  }

  async openDirect(userId: string): Promise<ConversationSummary> {
    const { conversation } = await request(requireConnected(this.socket), "conversations:open-direct", { userId });
    this.mergeList([conversation]);
    return conversation;
  }

  /** Background notifications (Web Push) for me on this browser. Its code is loaded on first use. */
  async enablePush(privatePreviews: boolean): Promise<void> {
    const socket = requireConnected(this.socket);
    return (await loadWebPush()).enablePush(socket, privatePreviews);
  }

  async disablePush(): Promise<void> {
    return (await loadWebPush()).disablePush(this.socket);
  }

  /** Before signing out; never fails, never waits long. */
  forgetPush(): Promise<void> {
    return loadWebPush()
      .then((webPush) => webPush.forgetPush(this.socket, SIGN_OUT_PUSH_TIMEOUT_MS))
      .catch(() => undefined);
  }

  // --- sync ----------------------------------------------------------------------------------------

  /** A (re)connection, or the server saying pushes may have been lost: pull everything this device shows. */
  private readonly onConnected = () => {
    void this.syncList();
    for (const [conversationId, thread] of Object.entries(this.store.getState().threads)) {
      if (thread.status === "ready") {
        void this.catchUp(conversationId);
        void this.pullChanges(conversationId);
      } else if (conversationId === this.viewing?.conversationId) void this.loadThread(conversationId);
    }
    this.outbox.flush();
    this.receipts.resume();
    this.reportRead();
    this.groups.reloadLoaded();
    this.presence.connected();
    void this.preferences.load();
  };

  private mergeList(summaries: readonly ConversationSummary[]) {
    this.store.update((state) => mergeSummaries(state, summaries));
    for (const conversationId of threadsBehindOnChanges(this.store.getState())) void this.pullChanges(conversationId);
  }

  private async syncListOnce(): Promise<void> {
    const socket = this.socket;
    if (!socket?.connected) return;
    try {
      const sync = parseJsonBytes(await request(socket, "conversations:sync", this.listCursor ? { since: this.listCursor } : {}));
      this.listCursor = sync.cursor;
      this.mergeList(sync.conversations);
      this.store.update((state) => (state.listLoaded ? state : { ...state, listLoaded: true }));
      for (const summary of sync.conversations) {
        if (summary.unreadCount > 0 && summary.lastMessage && summary.lastMessage.senderId !== this.me.id) {
          this.receipts.delivered(summary.id, summary.lastSeq);
        }
      }
    } catch (error) {
      // A cursor the server no longer accepts: start over with the full list next time.
      if (error instanceof RequestError) this.listCursor = undefined;
    }
  }

  /** Pulls everything after the highest seq this thread knows, page by page. */
  private async catchUpOnce(conversationId: string): Promise<void> {
    for (;;) {
      const socket = this.socket;
      const thread = this.store.getState().threads[conversationId];
      if (!socket?.connected || thread?.status !== "ready") return;
      let page;
      try {
        page = parseJsonBytes(await request(socket, "messages:since", { conversationId, afterSeq: thread.highSeq, limit: CATCH_UP_PAGE_SIZE }));
      } catch {
        return; // Retried on the next gap or connection.
      }
      this.store.update((state) => applySincePage(state, conversationId, page));
      this.received(conversationId, page.messages);
      const progressed = (this.store.getState().threads[conversationId]?.highSeq ?? 0) > thread.highSeq;
      if (!page.hasMore || !progressed) return;
    }
  }

  /** Pulls the recalls and edits after the change version this thread has applied, page by page. */
  private async pullChangesOnce(conversationId: string): Promise<void> {
    for (;;) {
      const socket = this.socket;
      const state = this.store.getState();
      const thread = state.threads[conversationId];
      if (!socket?.connected || thread?.status !== "ready") return;
      const known = state.conversations[conversationId]?.modVersion ?? 0;
      let page;
      try {
        page = await request(socket, "messages:modified", { conversationId, afterVersion: thread.modVersion, limit: CHANGES_PAGE_SIZE });
      } catch {
        return; // Retried on the next connection or version bump.
      }
      this.store.update((current) => applyModifiedPage(current, conversationId, page.messages, page.hasMore ? null : known));
      const progressed = (this.store.getState().threads[conversationId]?.modVersion ?? 0) > thread.modVersion;
      if (!page.hasMore || !progressed) return;
    }
  }

  private onMessage(message: MessageDto, pushed: boolean) {
    let gap = false;
    let known = true;
    let accepted = true;
    this.store.update((state) => {
      const result = applyPushedMessage(state, message);
      ({ gap, accepted } = result);
      known = result.knownConversation;
      return result.state;
    });
    if (!accepted) return;
    this.received(message.conversationId, [message]);
    if (gap) void this.catchUp(message.conversationId);
    // Membership and group settings live in the list entry and the member list: both are pulled again.
    if (!known || changesMembership(message)) void this.syncList();
    if (changesMembership(message) && message.conversationId in this.store.getState().members) void this.groups.loadMembers(message.conversationId);
    if (pushed && message.senderId !== this.me.id) for (const listener of this.incomingListeners) listener(message);
  }

  private onChangedMessage(message: MessageDto) {
    let gap = false;
    this.store.update((state) => {
      const result = applyChangedMessage(state, message);
      gap = result.gap;
      return result.state;
    });
    if (gap) void this.pullChanges(message.conversationId);
  }

  /** Messages that reached this device: own ones settle their outbox entries, others' are delivered. */
  private received(conversationId: string, messages: readonly MessageDto[]) {
    this.outbox.confirm(messages);
    const fromOthers = messages.filter((message) => message.senderId !== this.me.id);
    const newest = fromOthers.at(-1);
    if (newest) this.receipts.delivered(conversationId, newest.seq);
  }

  private reportRead() {
    const viewing = this.viewing;
    if (!viewing?.atBottom || document.visibilityState !== "visible") return;
    const thread = this.store.getState().threads[viewing.conversationId];
    if (thread?.status === "ready") this.receipts.read(viewing.conversationId, thread.highSeq);
  }
}
