import { useState } from "react";
import { lazyOnOpen } from "./lazy-on-open";

// Loaded when first opened (see lazyOnOpen).
const NewChatDialog = lazyOnOpen(() => import("./new-chat-dialog").then((module) => module.NewChatDialog));

export function NewChatButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        onPointerEnter={NewChatDialog.preload}
        onFocus={NewChatDialog.preload}
        className="inline-flex items-center gap-1.5 rounded-full bg-brand-500 px-3 py-1.5 text-sm font-medium text-white shadow-sm hover:bg-brand-600 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-500"
      >
        <svg aria-hidden viewBox="0 0 20 20" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
          <path d="M10 4v12M4 10h12" />
        </svg>
        New chat
      </button>
      {open && <NewChatDialog onClose={() => setOpen(false)} />}
    </>
  );
}
