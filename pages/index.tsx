import { chatLayout } from "@/components/chat/chat-shell";
import type { PageWithLayout } from "@/components/page-layout";
import { signedInPageProps, type SessionUser } from "@/server/auth/page-session";

export const getServerSideProps = signedInPageProps;

const HomePage: PageWithLayout<{ user: SessionUser }> = () => (
  <div className="flex flex-1 flex-col items-center justify-center gap-2 p-8 text-center">
    <p className="text-lg font-medium text-slate-700">Your messages</p>
    <p className="text-sm text-slate-500">Select a conversation, or start a new chat.</p>
  </div>
);
HomePage.layout = chatLayout;

export default HomePage;
