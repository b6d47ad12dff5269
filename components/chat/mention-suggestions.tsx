import type { UserDto } from "@/lib/socket-events";
import { Avatar } from "./avatar";

/** Members matching the "@…" being typed; the composer keeps focus and drives it with the arrow keys. */
export function MentionSuggestions({
  id,
  users,
  activeIndex,
  onChoose,
}: {
  id: string;
  users: readonly UserDto[];
  activeIndex: number;
  onChoose: (user: UserDto) => void;
}) {
  return (
    <ul
      id={id}
      role="listbox"
      aria-label="Mention suggestions"
      className="absolute bottom-full left-3 z-10 mb-1 max-h-64 w-64 overflow-y-auto rounded-xl bg-white py-1 shadow-lg ring-1 ring-slate-200 sm:left-4"
    >
      {users.map((user, index) => (
        <li
          key={user.id}
          id={`${id}-${index}`}
          role="option"
          aria-label={user.displayName}
          aria-selected={index === activeIndex}
          // mousedown would move the focus out of the composer before the click lands.
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => onChoose(user)}
          className="flex cursor-pointer items-center gap-2 px-3 py-1.5 text-sm aria-selected:bg-brand-50"
        >
          <Avatar name={user.displayName} seed={user.id} size="sm" />
          <span className="min-w-0">
            <span className="block truncate font-medium">{user.displayName}</span>
            <span className="block truncate text-xs text-slate-500">@{user.username}</span>
          </span>
        </li>
      ))}
    </ul>
  );
}
