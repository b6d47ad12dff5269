import type { UserDto } from "@/lib/socket-events";
import { Avatar } from "./avatar";
import { usePeopleSearch } from "./use-people-search";



/** Search people and tick several: the chosen ones stay listed (ticked) while the search moves on. */
export function PeoplePicker({
  selected,
  onChange,
  exclude = [],
}: {
  selected: readonly UserDto[];
  onChange: (selected: UserDto[]) => void;
  /** People who cannot be chosen (already in the group). */
  exclude?: readonly string[];
}) {
  const { query, setQuery, trimmed, result } = usePeopleSearch();

  const chosenIds = new Set(selected.map((user) => user.id));
  const found = result && "users" in result ? result.users.filter((user) => !chosenIds.has(user.id) && !exclude.includes(user.id)) : [];
  const toggle = (user: UserDto, checked: boolean) =>
    onChange(checked ? [...selected, user] : selected.filter((chosen) => chosen.id !== user.id));

  return (
    <div>
      <input
        type="search"
        aria-label="Search people"
        placeholder="Search by name or username"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
        // Enter would submit the surrounding form; here it only means "search".
        onKeyDown={(event) => event.key === "Enter" && event.preventDefault()}
        className="w-full rounded-xl border border-slate-300 px-3 py-2 text-sm outline-none focus:border-brand-500 focus:ring-2 focus:ring-brand-100"
      />
      <ul className="mt-2 max-h-64 overflow-y-auto">
        {[...selected, ...found].map((user) => (
          <li key={user.id}>
            <label className="flex cursor-pointer items-center gap-3 rounded-xl px-2 py-2 hover:bg-slate-50">
              <input
                type="checkbox"
                aria-label={user.displayName}
                checked={chosenIds.has(user.id)}
                onChange={(event) => toggle(user, event.target.checked)}
                className="h-4 w-4 flex-none accent-brand-500"
              />
              <Avatar name={user.displayName} seed={user.id} size="sm" />
              <span className="min-w-0">
                <span className="block truncate text-sm font-medium">{user.displayName}</span>
                <span className="block truncate text-xs text-slate-500">@{user.username}</span>
              </span>
            </label>
          </li>
        ))}
      </ul>
      {trimmed && !result && (
        <p role="status" className="py-3 text-center text-sm text-slate-500">
          Searching…
        </p>
      )}
      {result && "error" in result && (
        <p role="alert" className="py-3 text-center text-sm text-red-600">
          {result.error}
        </p>
      )}
      {result && "users" in result && found.length === 0 && (
        <p className="py-3 text-center text-sm text-slate-500">No one else matches “{trimmed}”.</p>
      )}
    </div>
  );
}
