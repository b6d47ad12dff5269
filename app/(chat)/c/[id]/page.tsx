import { ConversationView } from "@/components/chat/conversation-view";
import { requireCurrentUser } from "@/server/auth/current-user";

export const dynamic = "force-dynamic";

export default async function ConversationPage({ params }: { params: Promise<{ id: string }> }) {
  await requireCurrentUser();
  const { id } = await params;
  return <ConversationView key={id} conversationId={id} />;
}
