import { useRouter } from "next/router";
import { chatLayout } from "@/components/chat/chat-shell";
import { ConversationView } from "@/components/chat/conversation-view";
import type { PageWithLayout } from "@/components/page-layout";
import { signedInPageProps, type SessionUser } from "@/server/auth/page-session";

export const getServerSideProps = signedInPageProps;

const ConversationPage: PageWithLayout<{ user: SessionUser }> = () => {
  const id = String(useRouter().query.id);
  return <ConversationView key={id} conversationId={id} />;
};
ConversationPage.layout = chatLayout;

export default ConversationPage;
