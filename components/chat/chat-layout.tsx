import { useActiveConversationId } from "./use-active-conversation";

/** Side by side from md up; below it, the list or the open conversation, one at a time. */
export function ChatLayout({ sidebar, children }: { sidebar: React.ReactNode; children: React.ReactNode }) {
  const conversationOpen = useActiveConversationId() !== null;
  return (
    <div className="flex h-dvh min-h-0 w-full">
      <aside
        className={`${conversationOpen ? "hidden" : "flex"} w-full min-w-0 flex-col border-r border-slate-200 bg-white md:flex md:w-80 md:flex-none lg:w-96`}
      >
        {sidebar}
      </aside>
      <main className={`${conversationOpen ? "flex" : "hidden"} min-h-0 min-w-0 flex-1 flex-col bg-slate-50 md:flex`}>{children}</main>
    </div>
  );
}
