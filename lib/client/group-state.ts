import type { GroupMemberDto, MemberRole, MessageDto, ReadState, UserDto } from "@/lib/socket-events";
import type { ChatState, GroupMembers } from "./chat-state";

// Group members, their read positions (for "Read by N") and the names this device knows, as pure
// transitions on the chat state.

export function rememberUsers(state: ChatState, users: readonly UserDto[]): ChatState {
  const news = users.filter((user) => {
    const known = state.users[user.id];
    return !known || known.displayName !== user.displayName || known.avatarUrl !== user.avatarUrl;
  });
  if (news.length === 0) return state;
  const directory = { ...state.users };
  for (const user of news) directory[user.id] = user;
  return { ...state, users: directory };
}

/** A fresh member list; read positions only move forward, so a list older than a pushed position keeps it. */
export function applyMembers(state: ChatState, conversationId: string, loaded: GroupMembers): ChatState {
  const previous = new Map(state.members[conversationId]?.members.map((member) => [member.user.id, member.lastReadSeq]));
  const members = loaded.members.map((member) => {
    const before = previous.get(member.user.id);
    return before != null && member.lastReadSeq != null && before > member.lastReadSeq ? { ...member, lastReadSeq: before } : member;
  });
  const next = { ...state, members: { ...state.members, [conversationId]: { members, receiptsEnabled: loaded.receiptsEnabled } } };
  return rememberUsers(next, members.map((member) => member.user));
}

export function applyMemberReadState(state: ChatState, readState: ReadState): ChatState {
  const group = state.members[readState.conversationId];
  const member = group?.members.find((entry) => entry.user.id === readState.userId);
  if (!group || !member || member.lastReadSeq === null || member.lastReadSeq >= readState.lastReadSeq) return state;
  const members = group.members.map((entry) => (entry === member ? { ...entry, lastReadSeq: readState.lastReadSeq } : entry));
  return { ...state, members: { ...state.members, [readState.conversationId]: { ...group, members } } };
}

/** "Read by N": members other than the sender whose read position reached the message; null without per-member receipts. */
export function readByCount(group: GroupMembers | undefined, message: Pick<MessageDto, "seq" | "senderId">): number | null {
  if (!group?.receiptsEnabled) return null;
  return group.members.filter((member) => member.user.id !== message.senderId && (member.lastReadSeq ?? 0) >= message.seq).length;
}

export const canManage = (role: MemberRole | null | undefined) => role === "owner" || role === "admin";

/** Whether I may remove this member: owners remove anyone else, admins only plain members. */
export function canRemove(myRole: MemberRole | null | undefined, member: GroupMemberDto, myId: string): boolean {
  if (member.user.id === myId || member.role === "owner") return false;
  return myRole === "owner" || (myRole === "admin" && member.role === "member");
}

/** System messages that change who is in the group or who manages it: the member list must be reloaded. */
export const changesMembership = (message: MessageDto) =>
  message.kind === "system" && message.meta !== null && message.meta.type !== "group_created";
