import { useCallback } from "react";
import type { NameOf } from "@/lib/client/system-text";
import { useChatState } from "./chat-provider";

/** Names as the reader sees them: "You" for themselves, the display name of anyone this device knows. */
export function useNameOf(): NameOf {
  const users = useChatState((state) => state.users);
  const myId = useChatState((state) => state.me.id);
  return useCallback((userId: string) => (userId === myId ? "You" : (users[userId]?.displayName ?? null)), [users, myId]);
}
