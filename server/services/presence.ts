import type { PresenceStatus } from "../../lib/socket-events";

interface Connection {
  visible: boolean;
}

/**
 * Seed 004's user states from the connections a user has: online while any connection is visible, away
 * while all are hidden, offline with none. Tracks connection ids only; the gateway maps sockets to them.
 * (In-process; the multi-instance version keeps the same interface over Redis.)
 */
export class PresenceTracker {
  private readonly users = new Map<string, Map<string, Connection>>();

  status(userId: string): PresenceStatus {
    const connections = this.users.get(userId);
    if (!connections || connections.size === 0) return "offline";
    for (const connection of connections.values()) if (connection.visible) return "online";
    return "away";
  }

  /** Records a connection's state; returns the user's status if it changed. */
  set(userId: string, connectionId: string, visible: boolean): PresenceStatus | null {
    const before = this.status(userId);
    let connections = this.users.get(userId);
    if (!connections) this.users.set(userId, (connections = new Map()));
    connections.set(connectionId, { visible });
    const after = this.status(userId);
    return after === before ? null : after;
  }

  /** Forgets a connection; returns the user's status if it changed. */
  remove(userId: string, connectionId: string): PresenceStatus | null {
    const before = this.status(userId);
    const connections = this.users.get(userId);
    connections?.delete(connectionId);
    if (connections?.size === 0) this.users.delete(userId);
    const after = this.status(userId);
    return after === before ? null : after;
  }
}
