"use client";

import dynamic from "next/dynamic";
import { useState } from "react";

// Loaded when first opened: the chat's first load carries only what the first screen needs.
const NewGroupDialog = dynamic(() => import("./new-group-dialog").then((module) => module.NewGroupDialog));

export function NewGroupButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        className="inline-flex items-center gap-1.5 rounded-full px-3 py-1.5 text-sm font-medium text-brand-600 ring-1 ring-brand-100 hover:bg-brand-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-500"
      >
        New group
      </button>
      {open && <NewGroupDialog onClose={() => setOpen(false)} />}
    </>
  );
}
