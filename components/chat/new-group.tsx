import { useState } from "react";
import { lazyOnOpen } from "./lazy-on-open";

// Loaded when first opened (see lazyOnOpen).
const NewGroupDialog = lazyOnOpen(() => import("./new-group-dialog").then((module) => module.NewGroupDialog));

export function NewGroupButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        onPointerEnter={NewGroupDialog.preload}
        onFocus={NewGroupDialog.preload}
        className="inline-flex items-center gap-1.5 rounded-full px-3 py-1.5 text-sm font-medium text-brand-600 ring-1 ring-brand-100 hover:bg-brand-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-500"
      >
        New group
      </button>
      {open && <NewGroupDialog onClose={() => setOpen(false)} />}
    </>
  );
}
