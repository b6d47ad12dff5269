// Types only: the wire contract shared by the Socket.IO gateway and the browser client.

export interface UserDto {
  id: string;
  username: string;
  displayName: string;
  avatarUrl: string | null;
}

export interface AckError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

export type AckResult<T> = { ok: true; data: T } | { ok: false; error: AckError };

export interface ServerToClientEvents {
  /** Sent once the handshake is accepted and the socket joined its user room. */
  "session:ready": (payload: { user: UserDto }) => void;
}

export interface ClientToServerEvents {
  "session:whoami": (ack: (result: AckResult<{ user: UserDto }>) => void) => void;
}

export type InterServerEvents = Record<string, never>;

export interface SocketData {
  user: UserDto;
}

export const userRoom = (userId: string) => `user:${userId}`;
