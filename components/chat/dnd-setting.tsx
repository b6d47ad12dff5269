import { useState } from "react";
import { formatFullDate } from "@/lib/client/format-time";
import { dndActive } from "@/lib/client/preferences";
import { useChat, useChatState } from "./chat-provider";
import { Switch } from "./switch";
import { useAction } from "./use-action";
import { useNow } from "./use-now";
import { InlineError } from "./inline-error";

const HOUR_MS = 60 * 60 * 1000;

const endings = {
  never: { label: "Until I turn it off", until: () => null },
  hour: { label: "For 1 hour", until: () => new Date(Date.now() + HOUR_MS).toISOString() },
  evening: { label: "For 8 hours", until: () => new Date(Date.now() + 8 * HOUR_MS).toISOString() },
  morning: {
    label: "Until tomorrow, 8:00",
    until: () => {
      const morning = new Date();
      morning.setDate(morning.getDate() + 1);
      morning.setHours(8, 0, 0, 0);
      return morning.toISOString();
    },
  },
} as const;
type Ending = keyof typeof endings;

/** The global do-not-disturb switch, with an optional end time; stored by the server for all my devices. */
export function DndSetting() {
  const chat = useChat();
  const dnd = useChatState((state) => state.dnd);
  const now = useNow(30_000);
  const [ending, setEnding] = useState<Ending>("never");
  const { run, busy, error } = useAction();
  const active = dndActive(dnd, now);

  const turn = (enabled: boolean, until: string | null) => run(() => chat.preferences.setDnd(enabled, enabled ? until : null));

  return (
    <div>
      <Switch
        label="Do not disturb"
        description={
          active ? (dnd?.until ? `Silenced until ${formatFullDate(dnd.until)}` : "Silenced until you turn it off") : "No notifications while it is on."
        }
        checked={active}
        disabled={busy || dnd === null}
        onChange={(enabled) => turn(enabled, endings[ending].until())}
      />
      <label className="flex items-center justify-between gap-4 pb-2 text-sm text-slate-700">
        <span>Ends</span>
        <select
          value={ending}
          disabled={busy}
          onChange={(event) => {
            const next = event.target.value as Ending;
            setEnding(next);
            if (active) turn(true, endings[next].until());
          }}
          className="rounded-lg border border-slate-300 bg-white px-2 py-1 text-sm"
        >
          {Object.entries(endings).map(([key, { label }]) => (
            <option key={key} value={key}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <InlineError message={error} />
    </div>
  );
}
