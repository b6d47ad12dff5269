import Head from "next/head";
import { useMemo } from "react";
import { totalUnread } from "@/lib/client/chat-state";
import { useChatState } from "./chat-provider";
import { CountBadge } from "./count-badge";

const APP_TITLE = "Chat";

/** The total badge across non-muted conversations, mirrored in the document title as "(N) Chat". */
export function UnreadTotal() {
  const conversations = useChatState((state) => state.conversations);
  const total = useMemo(() => totalUnread(conversations), [conversations]);
  return (
    <>
      <Head>
        <title>{total > 0 ? `(${total}) ${APP_TITLE}` : APP_TITLE}</title>
      </Head>
      {total > 0 ? <CountBadge count={total} label="unread in total" /> : null}
    </>
  );
}
