import { useState } from "react";
import { canManage, canRemove } from "@/lib/client/group-state";
import type { ConversationSummary, GroupMemberDto, MemberRole } from "@/lib/socket-events";
import { AddMembersDialog } from "./add-members-dialog";
import { Avatar } from "./avatar";
import { useChat, useChatState } from "./chat-provider";
import { GroupDetailsForm } from "./group-details-form";
import { useAction } from "./use-action";

const roleLabels: Record<MemberRole, string | null> = { owner: "Owner", admin: "Admin", member: null };

/** A group's part of Conversation settings: its details, its members and what I may do with them, leaving. */
export function GroupSettings({ summary, onLeft }: { summary: ConversationSummary; onLeft: () => void }) {
  const chat = useChat();
  const group = useChatState((state) => state.members[summary.id]);
  const myId = useChatState((state) => state.me.id);
  const [adding, setAdding] = useState(false);
  const { run, busy, error } = useAction();

  if (summary.leftSeq !== null) return <p className="pt-3 text-sm text-slate-500">You are no longer a member of this group.</p>;

  const manager = canManage(summary.myRole);
  const members = group?.members ?? [];
  return (
    <>
      <section aria-labelledby={`members-${summary.id}`} className="py-3">
        <div className="flex items-center justify-between gap-2">
          <h3 id={`members-${summary.id}`} className="text-sm font-semibold">
            Members <span className="font-normal text-slate-500">({summary.memberCount})</span>
          </h3>
          {manager && (
            <button
              type="button"
              onClick={() => setAdding(true)}
              className="rounded-full px-3 py-1 text-sm font-medium text-brand-600 ring-1 ring-brand-100 hover:bg-brand-50"
            >
              Add members
            </button>
          )}
        </div>
        {!group && (
          <p role="status" className="py-3 text-sm text-slate-500">
            Loading members…
          </p>
        )}
        <ul aria-label="Members" className="mt-2 max-h-72 space-y-1 overflow-y-auto">
          {members.map((member) => (
            <MemberRow
              key={member.user.id}
              member={member}
              isMe={member.user.id === myId}
              myRole={summary.myRole}
              busy={busy}
              removable={canRemove(summary.myRole, member, myId)}
              onRemove={() => run(() => chat.groups.removeMember(summary.id, member.user.id))}
              onSetRole={(role) => run(() => chat.groups.setRole(summary.id, member.user.id, role))}
              onMakeOwner={() => run(() => chat.groups.transferOwnership(summary.id, member.user.id))}
            />
          ))}
        </ul>
        {error && (
          <p role="alert" className="mt-2 text-sm text-red-600">
            {error}
          </p>
        )}
      </section>
      {manager && <GroupDetailsForm summary={summary} />}
      <div className="pt-3">
        <button
          type="button"
          disabled={busy}
          onClick={() => run(() => chat.groups.leave(summary.id), onLeft)}
          className="w-full rounded-full px-4 py-2 text-sm font-semibold text-red-600 ring-1 ring-red-200 hover:bg-red-50 disabled:opacity-60"
        >
          Leave group
        </button>
      </div>
      {adding && <AddMembersDialog conversationId={summary.id} memberIds={members.map((member) => member.user.id)} onClose={() => setAdding(false)} />}
    </>
  );
}

function MemberRow({
  member,
  isMe,
  myRole,
  busy,
  removable,
  onRemove,
  onSetRole,
  onMakeOwner,
}: {
  member: GroupMemberDto;
  isMe: boolean;
  myRole: MemberRole;
  busy: boolean;
  removable: boolean;
  onRemove: () => void;
  onSetRole: (role: "admin" | "member") => void;
  onMakeOwner: () => void;
}) {
  const name = member.user.displayName;
  const role = roleLabels[member.role];
  const ownerActions = myRole === "owner" && !isMe;
  const button = "rounded-full px-2 py-0.5 text-xs font-medium ring-1 disabled:opacity-60";
  return (
    <li className="flex items-center gap-3 rounded-xl px-1 py-1.5">
      <Avatar name={name} seed={member.user.id} size="sm" />
      <span className="min-w-0 flex-1">
        <span className="block truncate text-sm font-medium">
          {name}
          {isMe && <span className="font-normal text-slate-500"> (you)</span>}
        </span>
        {role && <span className="block text-xs text-slate-500">{role}</span>}
      </span>
      <span className="flex flex-none flex-wrap justify-end gap-1">
        {ownerActions && member.role !== "owner" && (
          <button
            type="button"
            disabled={busy}
            onClick={() => onSetRole(member.role === "admin" ? "member" : "admin")}
            aria-label={member.role === "admin" ? `Remove ${name} as admin` : `Make ${name} an admin`}
            className={`${button} text-slate-600 ring-slate-200 hover:bg-slate-100`}
          >
            {member.role === "admin" ? "Remove admin" : "Make admin"}
          </button>
        )}
        {ownerActions && (
          <button
            type="button"
            disabled={busy}
            onClick={onMakeOwner}
            aria-label={`Make ${name} the owner`}
            className={`${button} text-slate-600 ring-slate-200 hover:bg-slate-100`}
          >
            Make owner
          </button>
        )}
        {removable && (
          <button type="button" disabled={busy} onClick={onRemove} aria-label={`Remove ${name}`} className={`${button} text-red-600 ring-red-200 hover:bg-red-50`}>
            Remove
          </button>
        )}
      </span>
    </li>
  );
}
