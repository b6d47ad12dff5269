import { useRouter } from "next/router";
import { useState } from "react";
import type { UserDto } from "@/lib/socket-events";
import { useChat } from "./chat-provider";
import { Modal } from "./modal";
import { PeoplePicker } from "./people-picker";
import { InlineError } from "./inline-error";

export function NewGroupDialog({ onClose }: { onClose: () => void }) {
  const chat = useChat();
  const router = useRouter();
  const [title, setTitle] = useState("");
  const [members, setMembers] = useState<UserDto[]>([]);
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function create() {
    setCreating(true);
    setError(null);
    try {
      // The server is the judge of names and members; its messages are shown as they are.
      const conversation = await chat.groups.create({ title, memberIds: members.map((member) => member.id) });
      router.push(`/c/${conversation.id}`);
      onClose();
    } catch (reason) {
      setError((reason as Error).message);
      setCreating(false);
    }
  }

  return (
    <Modal title="New group" onClose={onClose}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void create();
        }}
        className="space-y-4"
      >
        <label className="block">
          <span className="text-sm font-medium text-slate-700">Group name</span>
          <input
            type="text"
            data-autofocus
            value={title}
            maxLength={100}
            onChange={(event) => setTitle(event.target.value)}
            className="mt-1 w-full rounded-xl border border-slate-300 px-3 py-2 text-sm outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-100"
          />
        </label>
        <div>
          <p className="mb-1 text-sm font-medium text-slate-700">
            Members <span className="font-normal text-slate-500">({members.length} chosen)</span>
          </p>
          <PeoplePicker selected={members} onChange={setMembers} />
        </div>
        <InlineError message={error} />
        <div className="flex justify-end">
          <button
            type="submit"
            disabled={creating}
            className="rounded-full bg-brand-500 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-600 disabled:opacity-60"
          >
            Create group
          </button>
        </div>
      </form>
    </Modal>
  );
}
