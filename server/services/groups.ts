import { z } from "zod";
import type { Database } from "../../db";
import { selectBlockersOf } from "../../db/queries/blocks";
import {
  changeGroup,
  insertGroup,
  markMemberLeft,
  selectGroupMembers,
  selectUsersByIds,
  updateGroupFields,
  updateMemberRole,
  upsertMembers,
} from "../../db/queries/groups";
import { selectActiveMembers, selectMessage } from "../../db/queries/messages";
import type { Message } from "../../db/schema";
import type { GroupMemberDto, MemberRole, MessageDto } from "../../lib/socket-events";
import { AppError } from "../errors";
import { parseInput } from "../validation";
import { GROUP_TIERS } from "./audience";
import { conversationIdSchema, getConversationSummary, requireMembership } from "./conversations";
import { toMessageDto } from "./dto";

const titleSchema = z.string().trim().min(1, "A group needs a name").max(64, "Group names are limited to 64 characters");
const avatarSchema = z.url({ protocol: /^https?$/, error: "The avatar must be an http(s) URL" }).max(2_048).nullable();
const announcementSchema = z.string().trim().max(2_000, "Announcements are limited to 2,000 characters").nullable();
const userIdsSchema = z.array(z.uuid("userIds must be user ids")).max(GROUP_TIERS.receiptsMax * 5);

export interface GroupChange {
  conversationId: string;
  messages: MessageDto[];
}

const names = (users: Array<{ displayName: string }>) => users.map((user) => user.displayName).join(", ");

async function displayNameOf(db: Database, userId: string) {
  const [user] = await selectUsersByIds({ db, ids: [userId] });
  return user?.displayName ?? "Someone";
}

async function requireGroupManager({ db, userId, conversationId }: { db: Database; userId: string; conversationId: string }) {
  const membership = await requireMembership({ db, userId, conversationId });
  if (membership.conversation.kind !== "group") throw new AppError("bad_request:not_a_group", "This is not a group");
  if (membership.role === "member") throw new AppError("forbidden:not_admin", "Only the group's owner and admins can do this");
  return membership;
}

/** People who may be added by `adderId`: they exist, and none of them blocked the adder. */
async function requireAddable({ db, adderId, userIds }: { db: Database; adderId: string; userIds: string[] }) {
  const found = await selectUsersByIds({ db, ids: userIds });
  if (found.length !== userIds.length) throw new AppError("not_found:user", "Some of these people do not exist");
  const blockers = await selectBlockersOf({ db, blockedId: adderId, userIds });
  if (blockers.length > 0) {
    const blockedBy = found.filter((user) => blockers.includes(user.id));
    throw new AppError("forbidden:blocked", `${names(blockedBy)} cannot be added by you`, { userIds: blockers });
  }
  return found;
}

const createSchema = z.object({
  title: titleSchema,
  memberIds: userIdsSchema,
  avatarUrl: avatarSchema.optional().default(null),
  announcement: announcementSchema.optional().default(null),
});

export async function createGroup({ db, userId, input, maxMembers }: { db: Database; userId: string; input: unknown; maxMembers: number }) {
  const { title, memberIds, avatarUrl, announcement } = parseInput(createSchema, input);
  const others = [...new Set(memberIds)].filter((id) => id !== userId);
  if (others.length === 0) throw new AppError("bad_request:validation", "A group needs at least one other member");
  if (others.length + 1 > maxMembers) throw new AppError("bad_request:group_full", `Groups are limited to ${maxMembers} members`);
  await requireAddable({ db, adderId: userId, userIds: others });
  const actor = await displayNameOf(db, userId);
  const { conversationId, message } = await insertGroup({
    db,
    ownerId: userId,
    memberIds: others,
    title,
    avatarUrl,
    announcement,
    event: { body: `${actor} created the group "${title}"`, meta: { type: "group_created", actorId: userId, title } },
  });
  return {
    conversation: await getConversationSummary({ db, userId, conversationId }),
    memberIds: [userId, ...others],
    change: { conversationId, messages: [toMessageDto(message)] } satisfies GroupChange,
  };
}

const addSchema = z.object({ conversationId: conversationIdSchema, userIds: userIdsSchema.min(1, "Choose someone to add") });

export async function addGroupMembers({ db, userId, input, maxMembers }: { db: Database; userId: string; input: unknown; maxMembers: number }) {
  const { conversationId, userIds } = parseInput(addSchema, input);
  const membership = await requireGroupManager({ db, userId, conversationId });
  const alreadyIn = new Set(await selectActiveMembers({ db, conversationId, userIds }));
  const newcomers = [...new Set(userIds)].filter((id) => !alreadyIn.has(id));
  if (newcomers.length === 0) return { added: [], change: { conversationId, messages: [] } satisfies GroupChange };
  if (membership.conversation.memberCount + newcomers.length > maxMembers) {
    throw new AppError("bad_request:group_full", `Groups are limited to ${maxMembers} members`);
  }
  const people = await requireAddable({ db, adderId: userId, userIds: newcomers });
  const actor = await displayNameOf(db, userId);
  const messages = await changeGroup({
    db,
    conversationId,
    events: [{ actorId: userId, body: `${actor} added ${names(people)}`, meta: { type: "members_added", actorId: userId, userIds: newcomers } }],
    // New members see history from the message that added them.
    apply: (tx, seq) => upsertMembers(tx, { conversationId, userIds: newcomers, joinedSeq: seq - 1 }),
  });
  return { added: newcomers, change: toChange(conversationId, messages) };
}

const memberSchema = z.object({ conversationId: conversationIdSchema, userId: z.uuid("userId must be a user id") });

/** Owners remove anyone else; admins remove plain members. The removed member keeps history up to removal. */
export async function removeGroupMember({ db, userId, input }: { db: Database; userId: string; input: unknown }) {
  const { conversationId, userId: targetId } = parseInput(memberSchema, input);
  const actorMembership = await requireGroupManager({ db, userId, conversationId });
  if (targetId === userId) throw new AppError("bad_request:self", "Use Leave group to leave");
  const target = await requireTargetMember({ db, conversationId, userId: targetId });
  if (target.role === "owner" || (target.role === "admin" && actorMembership.role !== "owner")) {
    throw new AppError("forbidden:not_owner", "Only the owner can remove an admin, and nobody can remove the owner");
  }
  const [actor, removed] = await Promise.all([displayNameOf(db, userId), displayNameOf(db, targetId)]);
  const messages = await changeGroup({
    db,
    conversationId,
    events: [{ actorId: userId, body: `${actor} removed ${removed}`, meta: { type: "member_removed", actorId: userId, userId: targetId } }],
    apply: (tx, seq) => markMemberLeft(tx, { conversationId, userId: targetId, leftSeq: seq }),
  });
  return { removedUserId: targetId, change: toChange(conversationId, messages) };
}

async function requireTargetMember({ db, conversationId, userId }: { db: Database; conversationId: string; userId: string }) {
  try {
    return await requireMembership({ db, userId, conversationId });
  } catch {
    throw new AppError("not_found:member", "That person is not a member of this group");
  }
}

const conversationOnly = z.object({ conversationId: conversationIdSchema });

/** Leaving as the owner hands ownership to the longest-standing admin, or else member. */
export async function leaveGroup({ db, userId, input }: { db: Database; userId: string; input: unknown }) {
  const { conversationId } = parseInput(conversationOnly, input);
  const membership = await requireMembership({ db, userId, conversationId });
  if (membership.conversation.kind !== "group") throw new AppError("bad_request:not_a_group", "This is not a group");
  const actor = await displayNameOf(db, userId);
  const successor =
    membership.role === "owner" ? (await selectGroupMembers({ db, conversationId })).find((member) => member.user.id !== userId) : undefined;
  const events: Parameters<typeof changeGroup>[0]["events"] = [
    { actorId: userId, body: `${actor} left`, meta: { type: "member_left", actorId: userId } },
  ];
  if (successor) {
    events.push({
      actorId: userId,
      body: `${successor.user.displayName} is now the owner`,
      meta: { type: "role_changed", actorId: userId, userId: successor.user.id, role: "owner" },
    });
  }
  const messages = await changeGroup({
    db,
    conversationId,
    events,
    apply: async (tx, seq) => {
      await markMemberLeft(tx, { conversationId, userId, leftSeq: seq });
      if (successor) await updateMemberRole(tx, { conversationId, userId: successor.user.id, role: "owner" });
    },
  });
  return { successorId: successor?.user.id ?? null, change: toChange(conversationId, messages) };
}

const roleSchema = memberSchema.extend({ role: z.enum(["admin", "member"]) });

export async function setGroupRole({ db, userId, input }: { db: Database; userId: string; input: unknown }) {
  const { conversationId, userId: targetId, role } = parseInput(roleSchema, input);
  await requireOwner({ db, userId, conversationId });
  if (targetId === userId) throw new AppError("bad_request:self", "Hand over ownership instead");
  await requireTargetMember({ db, conversationId, userId: targetId });
  return changeRole({ db, actorId: userId, conversationId, targetId, role });
}

export async function transferGroupOwnership({ db, userId, input }: { db: Database; userId: string; input: unknown }) {
  const { conversationId, userId: targetId } = parseInput(memberSchema, input);
  await requireOwner({ db, userId, conversationId });
  if (targetId === userId) throw new AppError("bad_request:self", "You already own this group");
  await requireTargetMember({ db, conversationId, userId: targetId });
  return changeRole({ db, actorId: userId, conversationId, targetId, role: "owner", previousOwnerRole: "admin" });
}

async function requireOwner({ db, userId, conversationId }: { db: Database; userId: string; conversationId: string }) {
  const membership = await requireGroupManager({ db, userId, conversationId });
  if (membership.role !== "owner") throw new AppError("forbidden:not_owner", "Only the group's owner can do this");
}

async function changeRole({
  db,
  actorId,
  conversationId,
  targetId,
  role,
  previousOwnerRole,
}: {
  db: Database;
  actorId: string;
  conversationId: string;
  targetId: string;
  role: MemberRole;
  previousOwnerRole?: "admin";
}) {
  const target = await displayNameOf(db, targetId);
  const wording = { owner: "is now the owner", admin: "is now an admin", member: "is no longer an admin" } as const;
  const messages = await changeGroup({
    db,
    conversationId,
    events: [{ actorId, body: `${target} ${wording[role]}`, meta: { type: "role_changed", actorId, userId: targetId, role } }],
    apply: async (tx) => {
      await updateMemberRole(tx, { conversationId, userId: targetId, role });
      if (previousOwnerRole) await updateMemberRole(tx, { conversationId, userId: actorId, role: previousOwnerRole });
    },
  });
  return { affectedUserIds: [targetId, actorId], change: toChange(conversationId, messages) };
}

const updateSchema = z
  .object({ conversationId: conversationIdSchema, title: titleSchema.optional(), avatarUrl: avatarSchema.optional(), announcement: announcementSchema.optional() })
  .refine((value) => value.title !== undefined || value.avatarUrl !== undefined || value.announcement !== undefined, "Nothing to change");

export async function updateGroup({ db, userId, input }: { db: Database; userId: string; input: unknown }) {
  const { conversationId, ...fields } = parseInput(updateSchema, input);
  await requireGroupManager({ db, userId, conversationId });
  const changed = (["title", "avatarUrl", "announcement"] as const).filter((field) => fields[field] !== undefined);
  const actor = await displayNameOf(db, userId);
  const wording = { title: `renamed the group to "${fields.title}"`, avatarUrl: "changed the group photo", announcement: "updated the announcement" };
  const messages = await changeGroup({
    db,
    conversationId,
    events: [{ actorId: userId, body: `${actor} ${changed.map((field) => wording[field]).join(" and ")}`, meta: { type: "group_updated", actorId: userId, fields: changed, ...(fields.title ? { title: fields.title } : {}) } }],
    apply: (tx) => updateGroupFields(tx, { conversationId, fields }),
  });
  return { change: toChange(conversationId, messages) };
}

/** Only members see the member list; read positions only where per-member receipts are offered. */
export async function listGroupMembers({ db, userId, input }: { db: Database; userId: string; input: unknown }) {
  const { conversationId } = parseInput(conversationOnly, input);
  const membership = await requireMembership({ db, userId, conversationId });
  const receiptsEnabled = membership.conversation.memberCount <= GROUP_TIERS.receiptsMax;
  const members = await selectGroupMembers({ db, conversationId });
  return {
    receiptsEnabled,
    members: members.map(({ user, role, lastReadSeq }) => ({ user, role, lastReadSeq: receiptsEnabled ? lastReadSeq : null })) satisfies GroupMemberDto[],
  };
}

const readersSchema = z.object({ conversationId: conversationIdSchema, seq: z.number().int().min(1) });

/** "Read by N": the members other than the sender whose read position reached the message. */
export async function messageReaders({ db, userId, input }: { db: Database; userId: string; input: unknown }) {
  const { conversationId, seq } = parseInput(readersSchema, input);
  const { members, receiptsEnabled } = await listGroupMembers({ db, userId, input: { conversationId } });
  if (!receiptsEnabled) throw new AppError("forbidden:receipts_disabled", "Read receipts are not offered in groups this large");
  const message = await selectMessage({ db, conversationId, seq });
  if (!message) throw new AppError("not_found:message", "No such message");
  const readers = members.filter((member) => member.user.id !== message.senderId && (member.lastReadSeq ?? 0) >= seq);
  return { readers: readers.map((member) => member.user) };
}

function toChange(conversationId: string, messages: Message[]): GroupChange {
  return { conversationId, messages: messages.map(toMessageDto) };
}
