import type { Typist } from "@/lib/client/chat-state";
import { useChatState } from "./chat-provider";
import { useNameOf } from "./use-names";

const nobody: readonly Typist[] = [];

/** "Alice is typing…" in a live region that is always there, so screen readers hear it come and go. */
export function TypingIndicator({ conversationId }: { conversationId: string }) {
  const typists = useChatState((state) => state.typing[conversationId]) ?? nobody;
  const nameOf = useNameOf();
  const names = typists.map((typist) => nameOf(typist.userId) ?? "Someone");
  const text =
    names.length === 0
      ? ""
      : names.length === 1
        ? `${names[0]} is typing…`
        : names.length === 2
          ? `${names[0]} and ${names[1]} are typing…`
          : "Several people are typing…";
  return (
    <div role="status" className="h-5 flex-none truncate bg-slate-50 px-5 text-xs text-slate-500 italic">
      {text}
    </div>
  );
}
