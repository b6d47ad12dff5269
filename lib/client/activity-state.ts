import type { Presence, TypingState } from "@/lib/socket-events";
import type { ChatState } from "./chat-state";

// Typing indicators and presence, as pure transitions on the chat state.

export function applyTyping(state: ChatState, typing: TypingState, now: number): ChatState {
  if (!typing.typing) return withoutTypist(state, typing.conversationId, typing.userId);
  const others = (state.typing[typing.conversationId] ?? []).filter((typist) => typist.userId !== typing.userId);
  const typists = [...others, { userId: typing.userId, expiresAt: now + typing.expiresInMs }];
  return { ...state, typing: { ...state.typing, [typing.conversationId]: typists } };
}

export function withoutTypist(state: ChatState, conversationId: string, userId: string): ChatState {
  const typists = state.typing[conversationId];
  if (!typists?.some((typist) => typist.userId === userId)) return state;
  return { ...state, typing: { ...state.typing, [conversationId]: typists.filter((typist) => typist.userId !== userId) } };
}

/** Drops indicators whose time ran out (an indicator that is not refreshed dies by itself). */
export function expireTypists(state: ChatState, now: number): ChatState {
  let next = state;
  for (const [conversationId, typists] of Object.entries(state.typing)) {
    for (const typist of typists) if (typist.expiresAt <= now) next = withoutTypist(next, conversationId, typist.userId);
  }
  return next;
}

export function clearTyping(state: ChatState): ChatState {
  return Object.keys(state.typing).length === 0 ? state : { ...state, typing: {} };
}

export function applyPresence(state: ChatState, presences: readonly Presence[]): ChatState {
  const changed = presences.filter((presence) => {
    const known = state.presence[presence.userId];
    return known?.status !== presence.status || known.lastSeenAt !== presence.lastSeenAt;
  });
  if (changed.length === 0) return state;
  const presence = { ...state.presence };
  for (const entry of changed) presence[entry.userId] = entry;
  return { ...state, presence };
}
