import { useEffect, useRef, useState } from "react";
import { MAX_MESSAGE_LENGTH } from "@/lib/socket-events";

/** Inline editing of an own message: Enter saves, Shift+Enter breaks the line, Escape cancels. */
export function MessageEditForm({ initial, onSave, onClose }: { initial: string; onSave: (body: string) => Promise<void>; onClose: () => void }) {
  const [text, setText] = useState(initial);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const body = text.trim();
  const canSave = body.length > 0 && body.length <= MAX_MESSAGE_LENGTH && !saving;

  useEffect(() => {
    const input = inputRef.current;
    input?.focus();
    input?.setSelectionRange(input.value.length, input.value.length);
  }, []);

  async function save() {
    if (!canSave) return;
    if (body === initial.trim()) return onClose();
    setSaving(true);
    setError(null);
    try {
      await onSave(body);
    } catch (reason) {
      setError((reason as Error).message);
      setSaving(false);
    }
  }

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
      className="w-full max-w-[85%] rounded-2xl bg-white p-2 shadow-sm ring-2 ring-brand-100 sm:max-w-[70%]"
    >
      <textarea
        ref={inputRef}
        aria-label="Edit message"
        value={text}
        rows={1}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Escape") {
            event.preventDefault();
            onClose();
          } else if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
            event.preventDefault();
            void save();
          }
        }}
        className="field-sizing-content max-h-40 w-full resize-none rounded-xl bg-slate-50 px-3 py-2 text-[15px] leading-snug outline-none"
      />
      {error && (
        <p role="alert" className="px-1 pt-1 text-xs text-red-600">
          {error}
        </p>
      )}
      <div className="flex justify-end gap-2 pt-1">
        <button type="button" onClick={onClose} className="rounded-full px-3 py-1 text-sm font-medium text-slate-600 hover:bg-slate-100">
          Cancel
        </button>
        <button type="submit" disabled={!canSave} className="rounded-full bg-brand-500 px-3 py-1 text-sm font-semibold text-white hover:bg-brand-600 disabled:opacity-60">
          Save
        </button>
      </div>
    </form>
  );
}
