import { useRouter } from "next/router";

/** The id of the conversation open on this page (`/c/<id>`), or null on the conversation list. */
export function useActiveConversationId(): string | null {
  const { pathname, query } = useRouter();
  return pathname === "/c/[id]" && typeof query.id === "string" ? query.id : null;
}
