import { ChatShell } from "@/components/chat/chat-shell";
import { requireCurrentUser } from "@/server/auth/current-user";

// The shell (socket, chat state, conversation list) stays mounted while the user moves between conversations.
export default async function ChatRouteLayout({ children }: { children: React.ReactNode }) {
  const user = await requireCurrentUser();
  return <ChatShell user={user}>{children}</ChatShell>;
}
