import { useState } from "react";
import { Avatar } from "./avatar";
import { lazyOnOpen } from "./lazy-on-open";

// Loaded when first opened (see lazyOnOpen).
const AccountDialog = lazyOnOpen(() => import("./account-dialog").then((module) => module.AccountDialog));

/** The signed-in person's menu: do-not-disturb, notifications on this browser, and signing out. */
export function AccountMenu({ user }: { user: { id: string; name: string } }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        aria-label="Account"
        onClick={() => setOpen(true)}
        onPointerEnter={AccountDialog.preload}
        onFocus={AccountDialog.preload}
        className="flex-none rounded-full p-0.5 ring-1 ring-slate-200 hover:ring-brand-500 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-500"
      >
        <Avatar name={user.name} seed={user.id} size="sm" />
      </button>
      {open && <AccountDialog onClose={() => setOpen(false)} />}
    </>
  );
}
