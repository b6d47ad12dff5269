import { useEffect, useState } from "react";
import type { UserDto } from "@/lib/socket-events";
import { useChat } from "./chat-provider";

const SEARCH_DEBOUNCE_MS = 250;

export type PeopleSearchResult = { query: string; users: UserDto[] } | { query: string; error: string };

/** Debounced people search; `result` is null until the answer for the current query arrives. */
export function usePeopleSearch() {
  const chat = useChat();
  const [query, setQuery] = useState("");
  const [search, setSearch] = useState<PeopleSearchResult | null>(null);
  const trimmed = query.trim();

  useEffect(() => {
    if (!trimmed) return;
    let current = true;
    const timer = setTimeout(() => {
      chat.searchPeople(trimmed).then(
        (users) => current && setSearch({ query: trimmed, users }),
        (error: Error) => current && setSearch({ query: trimmed, error: error.message }),
      );
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [chat, trimmed]);

  return { query, setQuery, trimmed, result: trimmed && search?.query === trimmed ? search : null };
}
