import type { IncomingMessage } from "node:http";
import type { Database } from "../../db";
import { selectActiveGroupIds } from "../../db/queries/conversations";
import { findUserById } from "../../db/queries/users";
import { conversationRoom, userRoom } from "../../lib/socket-events";
import { readSessionFromCookieHeader } from "../auth/session";
import type { ChatSocket } from "./context";

const refusal = (code: string) => Object.assign(new Error(code), { data: { code } });

/**
 * The handshake middleware: authenticates the next-auth session cookie, loads the user's public fields
 * and joins the socket to its user room and its groups' rooms.
 */
export function authenticateHandshake({ db, authSecret, secureCookie }: { db: Database; authSecret: string; secureCookie: boolean }) {
  return async (socket: ChatSocket, next: (error?: Error) => void) => {
    try {
      const cookieHeader = socket.handshake.headers.cookie;
      forgetCookies(socket.request);
      const session = await readSessionFromCookieHeader({ cookieHeader, secret: authSecret, secureCookie });
      const user = session ? await findUserById({ db, id: session.userId }) : null;
      if (!user) return next(refusal("unauthorized:session"));
      const groupIds = await selectActiveGroupIds({ db, userId: user.id });
      socket.data.user = user;
      // Joined as the handshake is accepted, the tick before the connection opens: no push can slip
      // between the client's connect (when it pulls what it missed) and the socket being in its rooms.
      // A socket that closes before it connects leaves them again (Socket.IO's cleanup).
      void socket.join([userRoom(user.id), ...groupIds.map(conversationRoom)]);
      next();
    } catch (error) {
      console.error("Socket handshake failed", error);
      next(refusal("unavailable:handshake"));
    }
  };
}

/**
 * The upgrade request stays referenced for the connection's whole life (Engine.IO and `socket.handshake`
 * keep it), but its cookies (the session token and whatever else the browser sends) are needed only to
 * authenticate: an idle connection should not hold a copy of its user's credentials.
 */
function forgetCookies(request: IncomingMessage) {
  // Assigned, not deleted: `delete` would turn the headers object into a (larger) dictionary.
  request.headers.cookie = undefined;
  const raw = request.rawHeaders;
  for (let index = raw.length - 2; index >= 0; index -= 2) {
    if (raw[index]!.toLowerCase() === "cookie") raw.splice(index, 2);
  }
}
