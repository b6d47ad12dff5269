import { initialChatState, type ChatState, type Me } from "./chat-state";

/** An external store for useSyncExternalStore: one immutable snapshot, replaced on every change. */
export class ChatStore {
  private state: ChatState;
  private readonly listeners = new Set<() => void>();

  constructor(me: Me) {
    this.state = initialChatState(me);
  }

  getState = (): ChatState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  update(transition: (state: ChatState) => ChatState): void {
    const next = transition(this.state);
    if (next === this.state) return;
    this.state = next;
    for (const listener of this.listeners) listener();
  }
}
