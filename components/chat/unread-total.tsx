"use client";

import { usePathname } from "next/navigation";
import { useEffect, useMemo } from "react";
import { totalUnread } from "@/lib/client/chat-state";
import { useChatState } from "./chat-provider";
import { CountBadge } from "./count-badge";

const APP_TITLE = "Chat";

/** The total badge across non-muted conversations, mirrored in the document title as "(N) Chat". */
export function UnreadTotal() {
  const conversations = useChatState((state) => state.conversations);
  const total = useMemo(() => totalUnread(conversations), [conversations]);
  const pathname = usePathname();

  // Re-applied after navigations too, which reset the title from the route's metadata.
  useEffect(() => {
    document.title = total > 0 ? `(${total}) ${APP_TITLE}` : APP_TITLE;
  }, [total, pathname]);

  return total > 0 ? <CountBadge count={total} label="unread in total" /> : null;
}
