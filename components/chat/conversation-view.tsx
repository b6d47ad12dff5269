import { useEffect, useMemo } from "react";
import { NavLink } from "@/components/nav-link";
import type { ConversationSummary, UserDto } from "@/lib/socket-events";
import { Avatar } from "./avatar";
import { useChat, useChatState } from "./chat-provider";
import { Composer } from "./composer";
import { ConversationSettingsButton } from "./conversation-settings";
import { MessageLog } from "./loaded-beside";
import { usePresenceText } from "./presence-text";
import { TypingIndicator } from "./typing-indicator";

const NOT_FOUND = /^(forbidden|bad_request|not_found):/;

export function ConversationView({ conversationId }: { conversationId: string }) {
  const chat = useChat();
  const summary = useChatState((state) => state.conversations[conversationId]);
  const thread = useChatState((state) => state.threads[conversationId]);
  const outbox = useChatState((state) => state.outbox);
  const group = useChatState((state) => state.members[conversationId]);
  const myId = useChatState((state) => state.me.id);
  const isGroup = summary?.kind === "group";
  const isMember = summary?.leftSeq === null;

  useEffect(() => chat.view(conversationId), [chat, conversationId]);
  useEffect(() => {
    if (isGroup && isMember) void chat.groups.loadMembers(conversationId);
  }, [chat, conversationId, isGroup, isMember]);

  const pending = useMemo(() => {
    const stored = new Set(thread?.messages.map((message) => message.clientMsgId));
    return Object.values(outbox)
      .filter((entry) => entry.conversationId === conversationId && !stored.has(entry.clientMsgId))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }, [outbox, thread, conversationId]);

  const mentionCandidates = useMemo(
    () => (group?.members ?? []).map((member) => member.user).filter((user) => user.id !== myId),
    [group, myId],
  );

  if (thread?.status === "error" && thread.error && NOT_FOUND.test(thread.error.code)) return <ConversationNotFound />;

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <ConversationHeader summary={summary} />
      {summary?.announcement && <Announcement text={summary.announcement} />}
      <MessageLog conversationId={conversationId} thread={thread} summary={summary} myId={myId} pending={pending} />
      <TypingIndicator conversationId={conversationId} />
      {summary && summary.leftSeq !== null ? (
        <Notice>You are no longer a member of this group. You can still read what was said while you were in it.</Notice>
      ) : summary?.blockedByMe ? (
        <Notice>You blocked {summary.title}. Unblock them in Conversation settings to send messages.</Notice>
      ) : (
        <Composer
          onSend={(body, mentions) => chat.send(conversationId, body, mentions)}
          onTyping={(text) => chat.typing.input(conversationId, text)}
          onStopTyping={() => chat.typing.stop(conversationId)}
          candidates={isGroup ? mentionCandidates : undefined}
        />
      )}
    </div>
  );
}

function Notice({ children }: { children: React.ReactNode }) {
  return <p className="border-t border-slate-200 bg-white px-4 py-4 text-center text-sm text-slate-500">{children}</p>;
}

function Announcement({ text }: { text: string }) {
  return (
    <section aria-label="Announcement" className="flex gap-2 border-b border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900">
      <svg aria-hidden viewBox="0 0 20 20" fill="currentColor" className="mt-0.5 h-4 w-4 flex-none text-amber-500">
        <path d="M15 3.5a1 1 0 0 1 1.5.9v11.2a1 1 0 0 1-1.5.9L10.5 14H7l.8 3.2a.7.7 0 0 1-.7.8H6a1 1 0 0 1-1-.8L4.2 14H4a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2h6.5L15 3.5Z" />
      </svg>
      <p className="min-w-0 whitespace-pre-wrap [overflow-wrap:anywhere]">{text}</p>
    </section>
  );
}

function ConversationHeader({ summary }: { summary: ConversationSummary | undefined }) {
  return (
    <header className="flex items-center gap-3 border-b border-slate-200 bg-white px-2 py-2.5 sm:px-4">
      <BackLink />
      {summary ? (
        <>
          <Avatar name={summary.title} seed={summary.peer?.id ?? summary.id} src={summary.avatarUrl} size="sm" />
          <div className="min-w-0 flex-1">
            <h2 className="truncate font-semibold">{summary.title}</h2>
            {summary.peer ? (
              <PeerPresence peer={summary.peer} />
            ) : (
              <p className="truncate text-xs text-slate-500">{`${summary.memberCount} ${summary.memberCount === 1 ? "member" : "members"}`}</p>
            )}
          </div>
          <ConversationSettingsButton summary={summary} />
        </>
      ) : (
        <div aria-hidden className="flex flex-1 animate-pulse items-center gap-3">
          <div className="h-8 w-8 rounded-full bg-slate-100" />
          <div className="h-4 w-32 rounded bg-slate-100" />
        </div>
      )}
    </header>
  );
}

function PeerPresence({ peer }: { peer: UserDto }) {
  const presence = usePresenceText(peer.id);
  return (
    <p className="flex items-center gap-1.5 truncate text-xs text-slate-500">
      {presence === "Online" && <span aria-hidden className="h-2 w-2 flex-none rounded-full bg-emerald-500" />}
      {presence === "Away" && <span aria-hidden className="h-2 w-2 flex-none rounded-full bg-amber-400" />}
      <span data-testid="presence">{presence ?? `@${peer.username}`}</span>
    </p>
  );
}

function BackLink() {
  return (
    <NavLink href="/" aria-label="Back to conversations" className="flex-none rounded-full p-2 text-slate-600 hover:bg-slate-100 md:hidden">
      <svg aria-hidden viewBox="0 0 20 20" className="h-5 w-5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
        <path d="M12.5 4.5L7 10l5.5 5.5" />
      </svg>
    </NavLink>
  );
}

function ConversationNotFound() {
  return (
    <div className="flex flex-1 flex-col items-center justify-center gap-3 p-8 text-center">
      <h2 className="text-lg font-semibold">Conversation not found</h2>
      <p className="text-sm text-slate-500">It does not exist, or you are not part of it.</p>
      <NavLink href="/" className="text-sm font-medium text-brand-600 hover:underline">
        Back to your conversations
      </NavLink>
    </div>
  );
}
