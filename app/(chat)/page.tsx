import { requireCurrentUser } from "@/server/auth/current-user";

export const dynamic = "force-dynamic";

export default async function HomePage() {
  await requireCurrentUser();
  return (
    <div className="flex flex-1 flex-col items-center justify-center gap-2 p-8 text-center">
      <p className="text-lg font-medium text-slate-700">Your messages</p>
      <p className="text-sm text-slate-500">Select a conversation, or start a new chat.</p>
    </div>
  );
}
