import { useState } from "react";
import type { UserDto } from "@/lib/socket-events";
import { useChat } from "./chat-provider";
import { Modal } from "./modal";
import { PeoplePicker } from "./people-picker";
import { useAction } from "./use-action";
import { InlineError } from "./inline-error";

export function AddMembersDialog({ conversationId, memberIds, onClose }: { conversationId: string; memberIds: readonly string[]; onClose: () => void }) {
  const chat = useChat();
  const [chosen, setChosen] = useState<UserDto[]>([]);
  const { run, busy, error } = useAction();

  return (
    <Modal title="Add members" onClose={onClose}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          run(() => chat.groups.addMembers(conversationId, chosen.map((user) => user.id)), onClose);
        }}
        className="space-y-3"
      >
        <PeoplePicker selected={chosen} onChange={setChosen} exclude={memberIds} />
        <InlineError message={error} />
        <div className="flex justify-end">
          <button
            type="submit"
            disabled={busy || chosen.length === 0}
            className="rounded-full bg-brand-500 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-600 disabled:opacity-50"
          >
            {chosen.length > 1 ? `Add ${chosen.length} people` : "Add"}
          </button>
        </div>
      </form>
    </Modal>
  );
}
