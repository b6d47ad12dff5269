import { useState } from "react";
import type { ConversationSummary } from "@/lib/socket-events";
import { useChat } from "./chat-provider";
import { useAction } from "./use-action";
import { InlineError } from "./inline-error";

const field = "mt-1 w-full rounded-xl border border-slate-300 px-3 py-2 text-sm outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-100";

/** Owner/admins: the group's name, announcement and picture. Only what changed is sent. */
export function GroupDetailsForm({ summary }: { summary: ConversationSummary }) {
  const chat = useChat();
  const [title, setTitle] = useState(summary.title);
  const [announcement, setAnnouncement] = useState(summary.announcement ?? "");
  const [avatarUrl, setAvatarUrl] = useState(summary.avatarUrl ?? "");
  const [saved, setSaved] = useState(false);
  const { run, busy, error } = useAction();

  const changes = {
    ...(title !== summary.title ? { title } : {}),
    ...(announcement.trim() !== (summary.announcement ?? "") ? { announcement: announcement.trim() || null } : {}),
    ...(avatarUrl.trim() !== (summary.avatarUrl ?? "") ? { avatarUrl: avatarUrl.trim() || null } : {}),
  };
  const changed = Object.keys(changes).length > 0;

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        setSaved(false);
        run(() => chat.groups.update(summary.id, changes), () => setSaved(true));
      }}
      onChange={() => setSaved(false)}
      className="space-y-3 py-3"
    >
      <label className="block">
        <span className="text-sm font-medium text-slate-700">Group name</span>
        <input type="text" value={title} maxLength={100} onChange={(event) => setTitle(event.target.value)} className={field} />
      </label>
      <label className="block">
        <span className="text-sm font-medium text-slate-700">Announcement</span>
        <textarea value={announcement} rows={2} onChange={(event) => setAnnouncement(event.target.value)} className={`${field} resize-y`} />
      </label>
      <label className="block">
        <span className="text-sm font-medium text-slate-700">Avatar URL</span>
        <input type="url" value={avatarUrl} placeholder="https://…" onChange={(event) => setAvatarUrl(event.target.value)} className={field} />
      </label>
      <InlineError message={error} />
      <div className="flex items-center justify-end gap-3">
        {saved && !changed && (
          <p role="status" className="text-sm text-emerald-700">
            Saved
          </p>
        )}
        <button
          type="submit"
          disabled={busy || !changed}
          className="rounded-full bg-brand-500 px-4 py-1.5 text-sm font-semibold text-white hover:bg-brand-600 disabled:opacity-50"
        >
          Save changes
        </button>
      </div>
    </form>
  );
}
