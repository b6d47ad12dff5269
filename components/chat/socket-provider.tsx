import { createContext, useContext, useEffect, useState } from "react";
import { loadOnce, loadUntilDone } from "@/lib/client/load-once";
import type { ChatSocket } from "@/lib/socket-client";

export type ConnectionStatus = "connecting" | "connected" | "offline";

interface SocketState {
  socket: ChatSocket | null;
  status: ConnectionStatus;
  transport: string | null;
}

// socket.io-client (~22 kB gzip) is not needed to render: its download starts as soon as this module runs
// in the browser, beside the page's own scripts, instead of holding up hydration. A failed download is
// tried again (every few seconds, and at once when the browser is back online).
const loadSocketClient = loadOnce(() => import("@/lib/socket-client"));
if (typeof window !== "undefined") loadSocketClient().catch(() => undefined);

const SocketContext = createContext<SocketState>({ socket: null, status: "connecting", transport: null });

export function SocketProvider({ children }: { children: React.ReactNode }) {
  const [state, setState] = useState<SocketState>({ socket: null, status: "connecting", transport: null });

  useEffect(() => {
    let socket: ChatSocket | null = null;

    const update = (status: ConnectionStatus) => {
      if (socket) setState({ socket, status, transport: socket.connected ? socket.io.engine.transport.name : null });
    };
    const onConnect = () => {
      update("connected");
      socket?.io.engine.once("upgrade", () => update("connected"));
    };
    const onDisconnect = () => update(socket?.active ? "connecting" : "offline");
    const onConnectError = () => update(socket?.active ? "connecting" : "offline");

    const loading = loadUntilDone(loadSocketClient, ({ createChatSocket }) => {
      socket = createChatSocket();
      socket.on("connect", onConnect);
      socket.on("disconnect", onDisconnect);
      socket.on("connect_error", onConnectError);
      update("connecting");
    });
    // Back online: reconnect now rather than when the reconnection backoff next fires.
    const onOnline = () => {
      if (!socket) return loading.retryNow();
      if (socket.connected) return;
      socket.disconnect();
      socket.connect();
    };

    window.addEventListener("online", onOnline);
    return () => {
      loading.cancel();
      window.removeEventListener("online", onOnline);
      if (!socket) return;
      socket.off("connect", onConnect);
      socket.off("disconnect", onDisconnect);
      socket.off("connect_error", onConnectError);
      socket.disconnect();
    };
  }, []);

  return <SocketContext.Provider value={state}>{children}</SocketContext.Provider>;
}

export function useSocket() {
  return useContext(SocketContext);
}
