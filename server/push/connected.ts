import { userRoom } from "../../lib/socket-events";
import type { ChatServer } from "../socket";

/**
 * "Does this user have a connected device on any instance?" Local sockets answer without a round trip;
 * otherwise the adapter asks every instance (Redis), bounded by a timeout so a slow instance cannot stall
 * the push queue (a timeout rejects, and the push service then notifies rather than stay silent).
 */
export function connectedDeviceCheck(io: () => ChatServer, timeoutMs = 1_000) {
  return async (userId: string): Promise<boolean> => {
    const room = userRoom(userId);
    if ((await io().local.in(room).fetchSockets()).length > 0) return true;
    return (await io().in(room).timeout(timeoutMs).fetchSockets()).length > 0;
  };
}
