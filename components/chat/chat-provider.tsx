import { createContext, useContext, useEffect, useState, useSyncExternalStore } from "react";
import { ChatClient } from "@/lib/client/chat-client";
import type { ChatState, Me } from "@/lib/client/chat-state";
import { useSocket } from "./socket-provider";

const ChatContext = createContext<ChatClient | null>(null);

/** One chat client per signed-in shell, wired to the shell's socket for as long as it is mounted. */
export function ChatProvider({ me, children }: { me: Me; children: React.ReactNode }) {
  const [chat] = useState(() => new ChatClient(me));
  const { socket } = useSocket();
  useEffect(() => (socket ? chat.attach(socket) : undefined), [chat, socket]);
  return <ChatContext value={chat}>{children}</ChatContext>;
}

export function useChat(): ChatClient {
  const chat = useContext(ChatContext);
  if (!chat) throw new Error("useChat must be used inside <ChatProvider>");
  return chat;
}

/** Subscribes to a slice of the chat state; the selector must return stored objects, not new ones. */
export function useChatState<T>(selector: (state: ChatState) => T): T {
  const { store } = useChat();
  const select = () => selector(store.getState());
  return useSyncExternalStore(store.subscribe, select, select);
}
