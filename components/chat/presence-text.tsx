import { formatLastSeen } from "@/lib/client/format-time";
import { useChatState } from "./chat-provider";
import { useNow } from "./use-now";

const REFRESH_MS = 30_000;

/** Online, Away, or Last seen …; null until this device knows (the caller shows something else then). */
export function usePresenceText(userId: string | undefined): string | null {
  const presence = useChatState((state) => (userId ? state.presence[userId] : undefined));
  const now = useNow(REFRESH_MS);
  if (!presence) return null;
  if (presence.status === "online") return "Online";
  if (presence.status === "away") return "Away";
  return presence.lastSeenAt ? formatLastSeen(presence.lastSeenAt, now) : "Offline";
}
