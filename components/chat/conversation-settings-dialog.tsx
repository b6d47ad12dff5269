import type { ConversationSummary } from "@/lib/socket-events";
import { useChat } from "./chat-provider";
import { GroupSettings } from "./group-settings";
import { Modal } from "./modal";
import { Switch } from "./switch";
import { useAction } from "./use-action";

export function ConversationSettings({ summary, onClose }: { summary: ConversationSummary; onClose: () => void }) {
  const chat = useChat();
  const { run, busy, error } = useAction();

  return (
    <Modal title="Conversation settings" onClose={onClose}>
      <div className="divide-y divide-slate-100">
        <div className="pb-2">
          <Switch
            label="Mute"
            description="No notifications, and not counted in your total."
            checked={summary.muted}
            disabled={busy}
            onChange={(muted) => run(() => chat.preferences.setConversation(summary.id, { muted }))}
          />
          <Switch
            label="Pin"
            description="Keep this conversation at the top of your list."
            checked={summary.pinned}
            disabled={busy}
            onChange={(pinned) => run(() => chat.preferences.setConversation(summary.id, { pinned }))}
          />
        </div>
        {summary.peer && <BlockSetting summary={summary} />}
        {summary.kind === "group" && <GroupSettings summary={summary} onLeft={onClose} />}
      </div>
      {error && (
        <p role="alert" className="mt-3 text-sm text-red-600">
          {error}
        </p>
      )}
    </Modal>
  );
}

function BlockSetting({ summary }: { summary: ConversationSummary }) {
  const chat = useChat();
  const { run, busy, error } = useAction();
  const peer = summary.peer!;
  return (
    <div className="pt-3">
      <div className="flex items-center justify-between gap-4">
        <div className="min-w-0">
          <p className="text-sm font-medium">{summary.blockedByMe ? `${peer.displayName} is blocked` : `Block ${peer.displayName}`}</p>
          <p className="text-xs text-slate-500">
            {summary.blockedByMe ? "They can’t send you messages until you unblock them." : "They won’t be able to send you messages."}
          </p>
        </div>
        <button
          type="button"
          disabled={busy}
          onClick={() => run(() => chat.setBlocked(peer.id, !summary.blockedByMe))}
          className={`flex-none rounded-full px-4 py-1.5 text-sm font-semibold disabled:opacity-60 ${
            summary.blockedByMe ? "text-slate-700 ring-1 ring-slate-300 hover:bg-slate-100" : "bg-red-600 text-white hover:bg-red-700"
          }`}
        >
          {summary.blockedByMe ? "Unblock" : "Block"}
        </button>
      </div>
      {error && (
        <p role="alert" className="mt-3 text-sm text-red-600">
          {error}
        </p>
      )}
    </div>
  );
}
