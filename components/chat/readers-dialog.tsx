import { useEffect, useState } from "react";
import type { UserDto } from "@/lib/socket-events";
import { Avatar } from "./avatar";
import { useChat } from "./chat-provider";
import { Modal } from "./modal";

type Readers = { users: UserDto[] } | { error: string };

/** Who read one of my group messages; asked again whenever the count changes while it is open. */
export function ReadersDialog({ conversationId, seq, count, onClose }: { conversationId: string; seq: number; count: number; onClose: () => void }) {
  const chat = useChat();
  const [result, setResult] = useState<Readers | null>(null);

  useEffect(() => {
    let current = true;
    chat.groups.readers(conversationId, seq).then(
      (users) => current && setResult({ users }),
      (error: Error) => current && setResult({ error: error.message }),
    );
    return () => {
      current = false;
    };
  }, [chat, conversationId, seq, count]);

  return (
    <Modal title="Read by" onClose={onClose}>
      {!result && (
        <p role="status" className="py-4 text-center text-sm text-slate-500">
          Loading…
        </p>
      )}
      {result && "error" in result && (
        <p role="alert" className="py-4 text-center text-sm text-red-600">
          {result.error}
        </p>
      )}
      {result && "users" in result && result.users.length === 0 && <p className="py-4 text-center text-sm text-slate-500">No one has read it yet.</p>}
      {result && "users" in result && result.users.length > 0 && (
        <ul aria-label="Readers" className="max-h-72 overflow-y-auto">
          {result.users.map((user) => (
            <li key={user.id} className="flex items-center gap-3 px-1 py-1.5">
              <Avatar name={user.displayName} seed={user.id} size="sm" />
              <span className="truncate text-sm font-medium">{user.displayName}</span>
            </li>
          ))}
        </ul>
      )}
    </Modal>
  );
}
