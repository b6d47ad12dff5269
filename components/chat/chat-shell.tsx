import { ConnectionStatus } from "./connection-status";
import { SignOutButton } from "./sign-out-button";
import { SocketProvider } from "./socket-provider";

export function ChatShell({ user, children }: { user: { name: string; username: string }; children?: React.ReactNode }) {
  return (
    <SocketProvider>
      <div className="flex h-dvh min-h-0 w-full">
        <aside className="flex w-full min-w-0 flex-col border-r border-slate-200 bg-white md:w-80 md:flex-none">
          <header className="flex items-center justify-between gap-2 border-b border-slate-200 px-4 py-3">
            <div className="min-w-0">
              <p className="truncate font-semibold" data-testid="current-user">
                {user.name}
              </p>
              <p className="truncate text-xs text-slate-500">@{user.username}</p>
              <ConnectionStatus />
            </div>
            <SignOutButton />
          </header>
          <nav aria-label="Conversations" className="min-h-0 flex-1 overflow-y-auto">
            <ul className="divide-y divide-slate-100" />
            <p className="px-4 py-8 text-center text-sm text-slate-500">No conversations yet.</p>
          </nav>
        </aside>
        <main className="hidden min-w-0 flex-1 flex-col items-center justify-center bg-slate-50 md:flex">
          {children ?? <p className="text-slate-500">Select a conversation to start chatting.</p>}
        </main>
      </div>
    </SocketProvider>
  );
}
