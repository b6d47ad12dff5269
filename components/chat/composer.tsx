import { useId, useLayoutEffect, useRef, useState } from "react";
import { insertMention, mentionedIds, mentionQuery } from "@/lib/client/mentions";
import { MAX_MESSAGE_LENGTH, type UserDto } from "@/lib/socket-events";
import { MentionSuggestions } from "./mention-suggestions";

const numberFormat = new Intl.NumberFormat();
const MAX_SUGGESTIONS = 8;

function suggestionsFor(candidates: readonly UserDto[], query: string): UserDto[] {
  const needle = query.toLowerCase();
  return candidates
    .filter((user) => user.displayName.toLowerCase().includes(needle) || user.username.startsWith(needle))
    .slice(0, MAX_SUGGESTIONS);
}

/**
 * Enter sends, Shift+Enter starts a new line; blank messages are never sent, oversized ones are explained.
 * With mention candidates (groups), "@" suggests members; choosing one writes "@Name", and the send
 * carries the ids of the members named that way.
 */
export function Composer({
  onSend,
  onTyping,
  onStopTyping,
  candidates = [],
}: {
  onSend: (body: string, mentions: string[]) => void;
  onTyping: (text: string) => void;
  onStopTyping: () => void;
  candidates?: readonly UserDto[];
}) {
  const [text, setText] = useState("");
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState(0);
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const pendingCaret = useRef<number | null>(null);
  const inputId = useId();
  const errorId = useId();
  const listId = useId();
  const body = text.trim();
  const tooLong = body.length > MAX_MESSAGE_LENGTH;
  const canSend = body.length > 0 && !tooLong;

  const query = candidates.length > 0 ? mentionQuery(text, caret) : null;
  const suggestions = query && query.start !== dismissedAt ? suggestionsFor(candidates, query.query) : [];
  const open = suggestions.length > 0;
  const activeIndex = Math.min(active, suggestions.length - 1);

  // After inserting a mention, the caret goes right after it.
  useLayoutEffect(() => {
    if (pendingCaret.current === null) return;
    inputRef.current?.setSelectionRange(pendingCaret.current, pendingCaret.current);
    pendingCaret.current = null;
  });

  function update(value: string, caretAt: number) {
    setText(value);
    setCaret(caretAt);
    setActive(0);
    onTyping(value);
  }

  function choose(user: UserDto) {
    if (!query) return;
    const next = insertMention(text, query, caret, user.displayName);
    pendingCaret.current = next.caret;
    update(next.text, next.caret);
    inputRef.current?.focus();
  }

  function send() {
    if (!canSend) return;
    onSend(body, mentionedIds(body, candidates));
    setText("");
    setCaret(0);
  }

  function onKeyDown(event: React.KeyboardEvent<HTMLTextAreaElement>) {
    if (open) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        setActive((activeIndex + step + suggestions.length) % suggestions.length);
        return;
      }
      if (event.key === "Enter" || event.key === "Tab") {
        event.preventDefault();
        choose(suggestions[activeIndex]!);
        return;
      }
      if (event.key === "Escape") {
        event.preventDefault();
        setDismissedAt(query!.start);
        return;
      }
    }
    if (event.key !== "Enter" || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    send();
  }

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
      className="relative border-t border-slate-200 bg-white px-3 py-3 sm:px-4"
    >
      {open && <MentionSuggestions id={listId} users={suggestions} activeIndex={activeIndex} onChoose={choose} />}
      <div className="flex items-end gap-2">
        <label htmlFor={inputId} className="sr-only">
          Message
        </label>
        <textarea
          ref={inputRef}
          id={inputId}
          rows={1}
          value={text}
          placeholder={candidates.length > 0 ? "Write a message… (@ to mention)" : "Write a message…"}
          aria-invalid={tooLong}
          aria-describedby={tooLong ? errorId : undefined}
          aria-autocomplete={candidates.length > 0 ? "list" : undefined}
          aria-controls={open ? listId : undefined}
          aria-activedescendant={open ? `${listId}-${activeIndex}` : undefined}
          onChange={(event) => update(event.target.value, event.target.selectionStart)}
          onSelect={(event) => setCaret(event.currentTarget.selectionStart)}
          onBlur={onStopTyping}
          onKeyDown={onKeyDown}
          className="field-sizing-content max-h-40 min-h-10 flex-1 resize-none rounded-2xl border border-slate-300 bg-slate-50 px-4 py-2 text-[15px] leading-snug outline-none focus:border-brand-500 focus:bg-white focus:ring-2 focus:ring-brand-100 aria-invalid:border-red-400 aria-invalid:ring-red-100"
        />
        <button
          type="submit"
          disabled={!canSend}
          className="h-10 flex-none rounded-full bg-brand-500 px-4 text-sm font-semibold text-white shadow-sm hover:bg-brand-600 disabled:cursor-not-allowed disabled:bg-slate-300 disabled:shadow-none"
        >
          Send
        </button>
      </div>
      {tooLong && (
        <p id={errorId} role="alert" className="mt-1.5 px-2 text-xs text-red-600">
          Messages can be at most {numberFormat.format(MAX_MESSAGE_LENGTH)} characters; this one has{" "}
          {numberFormat.format(body.length)}.
        </p>
      )}
    </form>
  );
}
