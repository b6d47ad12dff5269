import type { AckResult } from "../../lib/socket-events";
import { toErrorBody } from "../errors";
import type { ChatSocket, GatewayContext } from "./context";
import { eventHandlers, type ChatEvent, type EventHandler } from "./handlers";
import { presenceConnected, presenceDisconnected } from "./presence";
import { stopTypingOnDisconnect } from "./typing";

const handlerByEvent: ReadonlyMap<unknown, EventHandler> = new Map(Object.entries(eventHandlers) as Array<[ChatEvent, EventHandler]>);

/**
 * Wires connections to the gateway's handlers without a closure per socket: each socket gets the same
 * two listener functions, which find their socket in `this` (Socket.IO calls catch-all listeners, and
 * Node's EventEmitter calls listeners, with the socket as `this`).
 */
export function createConnectionWiring(context: GatewayContext) {
  /** Every incoming event: unknown events and frames without an acknowledgement are ignored. */
  function dispatch(this: ChatSocket, event: unknown, ...args: unknown[]) {
    const handler = handlerByEvent.get(event);
    // The acknowledgement is the last argument; events without input have only that.
    const ack = args.at(-1);
    if (!handler || typeof ack !== "function") return;
    void answer(this, event as ChatEvent, handler, args.length > 1 ? args[0] : undefined, ack as (result: AckResult<unknown>) => void);
  }

  /** Each handler validates its input (zod, in the service); a thrown error is acknowledged, never raised. */
  async function answer(socket: ChatSocket, event: ChatEvent, handler: EventHandler, input: unknown, ack: (result: AckResult<unknown>) => void) {
    const userId = socket.data.user.id;
    let result: AckResult<unknown>;
    try {
      await context.limiter.consume(userId, event);
      result = { ok: true, data: await handler({ ...context, socket, userId }, input) };
    } catch (error) {
      result = { ok: false, error: toErrorBody(error).body.error };
    }
    ack(result);
  }

  function disconnected(this: ChatSocket) {
    stopTypingOnDisconnect(context, this);
    presenceDisconnected(context, this);
  }

  return function wire(socket: ChatSocket) {
    socket.onAny(dispatch);
    socket.on("disconnect", disconnected);
    presenceConnected(context, socket);
  };
}
