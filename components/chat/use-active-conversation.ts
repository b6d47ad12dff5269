"use client";

import { usePathname } from "next/navigation";

/** The id in `/c/<id>`, or null on the conversation list. */
export function useActiveConversationId(): string | null {
  const match = /^\/c\/([^/]+)/.exec(usePathname());
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}
