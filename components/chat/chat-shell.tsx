import type { Me } from "@/lib/client/chat-state";
import { AccountMenu } from "./account-menu";
import { ChatLayout } from "./chat-layout";
import { ChatProvider } from "./chat-provider";
import { ConnectionStatus } from "./connection-status";
import { ConversationList } from "./conversation-list";
import { FaviconBadge, NotificationsAgent } from "./loaded-beside";
import { NewChatButton } from "./new-chat";
import { NewGroupButton } from "./new-group";
import { SocketProvider } from "./socket-provider";
import { UnreadTotal } from "./unread-total";

type ShellUser = { id: string; name: string; username: string };

/** The layout of every chat page: one shell, kept mounted while the user moves between conversations. */
export function chatLayout(page: React.ReactElement, { user }: { user: ShellUser }) {
  return <ChatShell user={user}>{page}</ChatShell>;
}

function ChatShell({ user, children }: { user: ShellUser; children: React.ReactNode }) {
  const me: Me = { id: user.id, displayName: user.name, username: user.username };
  return (
    <SocketProvider>
      <ChatProvider me={me}>
        <NotificationsAgent />
        <FaviconBadge />
        <ChatLayout
          sidebar={
            <>
              <header className="flex items-center justify-between gap-2 border-b border-slate-200 px-4 py-3">
                <div className="min-w-0">
                  <p className="truncate font-semibold" data-testid="current-user">
                    {user.name}
                  </p>
                  <p className="truncate text-xs text-slate-500">@{user.username}</p>
                  <ConnectionStatus />
                </div>
                <AccountMenu user={user} />
              </header>
              <div className="flex items-center justify-between gap-2 px-4 pt-4 pb-2">
                <div className="flex items-center gap-2">
                  <h1 className="text-lg font-semibold">Chats</h1>
                  <UnreadTotal />
                </div>
                <div className="flex items-center gap-2">
                  <NewGroupButton />
                  <NewChatButton />
                </div>
              </div>
              <nav aria-label="Conversations" className="min-h-0 flex-1 overflow-y-auto">
                <ConversationList />
              </nav>
            </>
          }
        >
          {children}
        </ChatLayout>
      </ChatProvider>
    </SocketProvider>
  );
}
