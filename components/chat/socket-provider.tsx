"use client";

import { createContext, useContext, useEffect, useState } from "react";
import { createChatSocket, type ChatSocket } from "@/lib/socket-client";

export type ConnectionStatus = "connecting" | "connected" | "offline";

interface SocketState {
  socket: ChatSocket | null;
  status: ConnectionStatus;
  transport: string | null;
}

const SocketContext = createContext<SocketState>({ socket: null, status: "connecting", transport: null });

export function SocketProvider({ children }: { children: React.ReactNode }) {
  const [state, setState] = useState<SocketState>({ socket: null, status: "connecting", transport: null });

  useEffect(() => {
    const socket = createChatSocket();
    const update = (status: ConnectionStatus) =>
      setState({ socket, status, transport: socket.connected ? socket.io.engine.transport.name : null });
    const onConnect = () => {
      update("connected");
      socket.io.engine.once("upgrade", () => update("connected"));
    };
    const onDisconnect = () => update(socket.active ? "connecting" : "offline");
    const onConnectError = () => update(socket.active ? "connecting" : "offline");
    // Back online: reconnect now rather than when the reconnection backoff next fires.
    const onOnline = () => {
      if (socket.connected) return;
      socket.disconnect();
      socket.connect();
    };

    socket.on("connect", onConnect);
    socket.on("disconnect", onDisconnect);
    socket.on("connect_error", onConnectError);
    window.addEventListener("online", onOnline);
    update("connecting");
    return () => {
      socket.off("connect", onConnect);
      socket.off("disconnect", onDisconnect);
      socket.off("connect_error", onConnectError);
      window.removeEventListener("online", onOnline);
      socket.disconnect();
    };
  }, []);

  return <SocketContext.Provider value={state}>{children}</SocketContext.Provider>;
}

export function useSocket() {
  return useContext(SocketContext);
}
