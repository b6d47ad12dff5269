import { ChatShell } from "@/components/chat/chat-shell";
import { requireCurrentUser } from "@/server/auth/current-user";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  const user = await requireCurrentUser();
  return <ChatShell user={user} />;
}
