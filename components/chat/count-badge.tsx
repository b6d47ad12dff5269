const tones = { brand: "bg-brand-500 text-white", quiet: "bg-slate-300 text-slate-700" } as const;

/** A count whose accessible name is spelled out, e.g. "3 unread" (testers and screen readers rely on it). */
export function CountBadge({ count, label, tone = "brand" }: { count: number; label: string; tone?: keyof typeof tones }) {
  const name = `${count} ${label}`;
  return (
    <span
      aria-label={name}
      title={name}
      className={`inline-flex min-w-5 flex-none items-center justify-center rounded-full px-1.5 text-xs font-semibold leading-5 ${tones[tone]}`}
    >
      {count}
      <span className="sr-only"> {label}</span>
    </span>
  );
}
