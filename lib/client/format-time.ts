const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
const weekday = new Intl.DateTimeFormat(undefined, { weekday: "short" });
const shortDate = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });
const fullDate = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const longDay = new Intl.DateTimeFormat(undefined, { weekday: "long", day: "numeric", month: "long", year: "numeric" });
const relativeDay = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

const DAY_MS = 24 * 60 * 60 * 1000;
const startOfDay = (date: Date) => new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();

/** For the conversation list: the time today, the weekday this week, the date before. */
export function formatListTime(iso: string, now = new Date()): string {
  const date = new Date(iso);
  const startOfToday = startOfDay(now);
  if (date.getTime() >= startOfToday) return timeOfDay.format(date);
  if (date.getTime() >= startOfToday - 6 * DAY_MS) return weekday.format(date);
  return shortDate.format(date);
}

export const formatMessageTime = (iso: string) => timeOfDay.format(new Date(iso));

export const formatFullDate = (iso: string) => fullDate.format(new Date(iso));

/** For day dividers: "today", "yesterday" (capitalised), or the full date. */
export function formatDay(iso: string, now = new Date()): string {
  const date = new Date(iso);
  const days = Math.round((startOfDay(now) - startOfDay(date)) / DAY_MS);
  if (days === 0 || days === 1) {
    const label = relativeDay.format(-days, "day");
    return label.charAt(0).toUpperCase() + label.slice(1);
  }
  return longDay.format(date);
}

const relativeTime = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
const MINUTE_MS = 60 * 1000;

/** "Last seen just now", "Last seen 5 minutes ago", "Last seen 3 hours ago", then the day. */
export function formatLastSeen(iso: string, now = Date.now()): string {
  const ago = Math.max(0, now - Date.parse(iso));
  if (ago < MINUTE_MS) return "Last seen just now";
  if (ago < 60 * MINUTE_MS) return `Last seen ${relativeTime.format(-Math.floor(ago / MINUTE_MS), "minute")}`;
  if (ago < DAY_MS) return `Last seen ${relativeTime.format(-Math.floor(ago / (60 * MINUTE_MS)), "hour")}`;
  return `Last seen on ${shortDate.format(new Date(iso))}`;
}
