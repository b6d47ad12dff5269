import { useState } from "react";
import type { ConversationSummary } from "@/lib/socket-events";
import { lazyOnOpen } from "./lazy-on-open";

// Loaded when first opened (see lazyOnOpen).
const ConversationSettings = lazyOnOpen(() => import("./conversation-settings-dialog").then((module) => module.ConversationSettings));

export function ConversationSettingsButton({ summary }: { summary: ConversationSummary }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        aria-label="Conversation settings"
        onClick={() => setOpen(true)}
        onPointerEnter={ConversationSettings.preload}
        onFocus={ConversationSettings.preload}
        className="flex-none rounded-full p-2 text-slate-500 hover:bg-slate-100 hover:text-slate-700"
      >
        <svg aria-hidden viewBox="0 0 20 20" fill="currentColor" className="h-5 w-5">
          <circle cx="10" cy="4.5" r="1.7" />
          <circle cx="10" cy="10" r="1.7" />
          <circle cx="10" cy="15.5" r="1.7" />
        </svg>
      </button>
      {open && <ConversationSettings summary={summary} onClose={() => setOpen(false)} />}
    </>
  );
}
