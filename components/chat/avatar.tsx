const palette = [
  "bg-rose-100 text-rose-700",
  "bg-amber-100 text-amber-800",
  "bg-emerald-100 text-emerald-700",
  "bg-sky-100 text-sky-700",
  "bg-violet-100 text-violet-700",
  "bg-fuchsia-100 text-fuchsia-700",
  "bg-teal-100 text-teal-700",
  "bg-indigo-100 text-indigo-700",
];

const sizes = { sm: "h-8 w-8 text-xs", md: "h-11 w-11 text-sm" } as const;

function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = [...(words[0] ?? "?")];
  const last = [...(words.at(-1) ?? "")];
  return (words.length > 1 ? `${first[0]}${last[0]}` : first.slice(0, 2).join("")).toUpperCase();
}

function colorFor(seed: string): string {
  let hash = 0;
  for (const char of seed) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return palette[Math.abs(hash) % palette.length] ?? palette[0]!;
}

/** Initials on a colour derived from a stable id (or the picture, if any): decorative, the name is always written next to it. */
export function Avatar({ name, seed, src, size = "md" }: { name: string; seed: string; src?: string | null; size?: keyof typeof sizes }) {
  if (src) {
    // A picture from any http(s) address the group's admins chose: next/image would need every host configured.
    // eslint-disable-next-line @next/next/no-img-element
    return <img src={src} alt="" referrerPolicy="no-referrer" className={`flex-none rounded-full object-cover ${sizes[size]}`} />;
  }
  return (
    <span aria-hidden className={`inline-flex flex-none select-none items-center justify-center rounded-full font-semibold ${sizes[size]} ${colorFor(seed)}`}>
      {initials(name)}
    </span>
  );
}
