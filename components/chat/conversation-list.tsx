import { useMemo } from "react";
import { sortConversations } from "@/lib/client/chat-state";
import { useChatState } from "./chat-provider";
import { ConversationListItem } from "./conversation-list-item";
import { useActiveConversationId } from "./use-active-conversation";
import { useNameOf } from "./use-names";

export function ConversationList() {
  const conversations = useChatState((state) => state.conversations);
  const listLoaded = useChatState((state) => state.listLoaded);
  const nameOf = useNameOf();
  const activeId = useActiveConversationId();
  const sorted = useMemo(() => sortConversations(conversations), [conversations]);

  return (
    <>
      <ul className="divide-y divide-slate-100">
        {sorted.map((summary) => (
          <ConversationListItem key={summary.id} summary={summary} nameOf={nameOf} active={summary.id === activeId} />
        ))}
      </ul>
      {sorted.length === 0 &&
        (listLoaded ? (
          <p className="px-4 py-8 text-center text-sm text-slate-500">No conversations yet.</p>
        ) : (
          <ListPlaceholder />
        ))}
    </>
  );
}

function ListPlaceholder() {
  return (
    <div aria-hidden className="space-y-4 px-4 py-4">
      {[0, 1, 2].map((row) => (
        <div key={row} className="flex animate-pulse items-center gap-3">
          <div className="h-11 w-11 rounded-full bg-slate-100" />
          <div className="flex-1 space-y-2">
            <div className="h-3 w-1/2 rounded bg-slate-100" />
            <div className="h-3 w-3/4 rounded bg-slate-100" />
          </div>
        </div>
      ))}
    </div>
  );
}
