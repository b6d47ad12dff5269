import { useRouter } from "next/router";
import { useState } from "react";
import type { UserDto } from "@/lib/socket-events";
import { Avatar } from "./avatar";
import { useChat } from "./chat-provider";
import { Modal } from "./modal";
import { usePeopleSearch } from "./use-people-search";

export function NewChatDialog({ onClose }: { onClose: () => void }) {
  const chat = useChat();
  const router = useRouter();
  const { query, setQuery, trimmed, result } = usePeopleSearch();
  const [opening, setOpening] = useState<string | null>(null);
  const [openError, setOpenError] = useState<string | null>(null);

  async function choose(user: UserDto) {
    setOpening(user.id);
    setOpenError(null);
    try {
      const conversation = await chat.openDirect(user.id);
      router.push(`/c/${conversation.id}`);
      onClose();
    } catch (error) {
      setOpenError((error as Error).message);
      setOpening(null);
    }
  }

  return (
    <Modal title="New chat" onClose={onClose}>
      <input
        type="search"
        aria-label="Search people"
        placeholder="Search by name or username"
        data-autofocus
        value={query}
        onChange={(event) => setQuery(event.target.value)}
        className="w-full rounded-xl border border-slate-300 px-3 py-2 text-sm outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-100"
      />
      <div className="mt-3 min-h-24">
        {!trimmed && <p className="py-6 text-center text-sm text-slate-500">Find people by their name or username.</p>}
        {trimmed && !result && (
          <p role="status" className="py-6 text-center text-sm text-slate-500">
            Searching…
          </p>
        )}
        {result && "error" in result && (
          <p role="alert" className="py-6 text-center text-sm text-red-600">
            {result.error}
          </p>
        )}
        {result && "users" in result && result.users.length === 0 && (
          <p className="py-6 text-center text-sm text-slate-500">No one matches “{trimmed}”.</p>
        )}
        {result && "users" in result && result.users.length > 0 && (
          <ul className="max-h-72 overflow-y-auto">
            {result.users.map((user) => (
              <li key={user.id}>
                <button
                  type="button"
                  aria-label={user.displayName}
                  disabled={opening !== null}
                  onClick={() => void choose(user)}
                  className="flex w-full items-center gap-3 rounded-xl px-2 py-2 text-left hover:bg-slate-50 focus-visible:bg-slate-100 focus-visible:outline-none disabled:opacity-60"
                >
                  <Avatar name={user.displayName} seed={user.id} size="sm" />
                  <span className="min-w-0">
                    <span className="block truncate text-sm font-medium">{user.displayName}</span>
                    <span className="block truncate text-xs text-slate-500">@{user.username}</span>
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
        {openError && (
          <p role="alert" className="mt-2 text-sm text-red-600">
            {openError}
          </p>
        )}
      </div>
    </Modal>
  );
}
