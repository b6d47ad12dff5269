import { useEffect, useRef, useState } from "react";
import { createPortal } from "react-dom";

const MENU_WIDTH_PX = 176;
const MENU_ITEM_PX = 36;

type MenuPosition = { left: number; top: number } | { left: number; bottom: number };

export interface MessageAction {
  label: string;
  onSelect: () => void;
  tone?: "danger";
}

/** The per-message "More actions" menu button. The actions are decided when it opens (some expire with time). */
export function MessageActions({ actions }: { actions: () => MessageAction[] }) {
  const [menu, setMenu] = useState<{ position: MenuPosition; items: MessageAction[] } | null>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const open = menu !== null;

  useEffect(() => {
    if (!open) return;
    const close = () => setMenu(null);
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!menuRef.current?.contains(target) && !buttonRef.current?.contains(target)) close();
    };
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      close();
      buttonRef.current?.focus();
    };
    menuRef.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    document.addEventListener("pointerdown", onPointerDown);
    document.addEventListener("keydown", onKeyDown);
    window.addEventListener("resize", close);
    // The menu is fixed to where its button was: once the messages scroll, it would point elsewhere.
    window.addEventListener("scroll", close, true);
    return () => {
      document.removeEventListener("pointerdown", onPointerDown);
      document.removeEventListener("keydown", onKeyDown);
      window.removeEventListener("resize", close);
      window.removeEventListener("scroll", close, true);
    };
  }, [open]);

  function toggle() {
    const rect = buttonRef.current?.getBoundingClientRect();
    if (open || !rect) return setMenu(null);
    const items = actions();
    const left = Math.max(8, Math.min(rect.left, window.innerWidth - MENU_WIDTH_PX - 8));
    const room = items.length * MENU_ITEM_PX + 16;
    const position = rect.bottom + room > window.innerHeight ? { left, bottom: window.innerHeight - rect.top + 4 } : { left, top: rect.bottom + 4 };
    setMenu({ position, items });
  }

  function moveFocus(event: React.KeyboardEvent) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    event.preventDefault();
    const items = [...(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];
    const index = items.indexOf(document.activeElement as HTMLElement);
    const next = event.key === "ArrowDown" ? (index + 1) % items.length : (index - 1 + items.length) % items.length;
    items[next]?.focus();
  }

  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        aria-label="More actions"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={toggle}
        className="flex-none rounded-full p-1 text-slate-400 opacity-0 transition-opacity group-hover:opacity-100 group-focus-within:opacity-100 hover:bg-slate-200 hover:text-slate-600 focus-visible:opacity-100 aria-expanded:opacity-100 pointer-coarse:opacity-100"
      >
        <svg aria-hidden viewBox="0 0 20 20" fill="currentColor" className="h-4 w-4">
          <circle cx="4" cy="10" r="1.6" />
          <circle cx="10" cy="10" r="1.6" />
          <circle cx="16" cy="10" r="1.6" />
        </svg>
      </button>
      {menu &&
        createPortal(
          <div
            ref={menuRef}
            role="menu"
            aria-label="Message actions"
            onKeyDown={moveFocus}
            style={{ position: "fixed", width: MENU_WIDTH_PX, ...menu.position }}
            className="z-50 rounded-xl bg-white py-1 text-sm shadow-lg ring-1 ring-slate-200"
          >
            {menu.items.map((item) => (
              <button
                key={item.label}
                type="button"
                role="menuitem"
                onClick={() => {
                  setMenu(null);
                  item.onSelect();
                }}
                className={`block w-full px-3 py-2 text-left hover:bg-slate-50 focus-visible:bg-slate-100 focus-visible:outline-none ${item.tone === "danger" ? "text-red-600" : "text-slate-700"}`}
              >
                {item.label}
              </button>
            ))}
          </div>,
          document.body,
        )}
    </>
  );
}
