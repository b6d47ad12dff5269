import { useEffect, useMemo } from "react";
import { totalUnread } from "@/lib/client/chat-state";
import { iconWithDot, setFavicon } from "@/lib/client/favicon";
import { useChatState } from "./chat-provider";

/** The tab's icon gets a dot while there are unread messages (muted conversations aside), like the "(N)" title. */
export function FaviconBadge() {
  const conversations = useChatState((state) => state.conversations);
  const unread = useMemo(() => totalUnread(conversations) > 0, [conversations]);

  useEffect(() => {
    let current = true;
    if (!unread) setFavicon(null);
    else iconWithDot().then((href) => current && setFavicon(href), () => setFavicon(null));
    return () => {
      current = false;
    };
  }, [unread]);

  useEffect(() => () => setFavicon(null), []);

  return null;
}
