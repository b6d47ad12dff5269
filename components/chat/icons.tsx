// Small status icons that carry meaning, so each has an accessible name.

export function MutedIcon() {
  return (
    <svg role="img" aria-label="Muted" viewBox="0 0 20 20" fill="currentColor" className="h-4 w-4 text-slate-400">
      <title>Muted</title>
      <path d="M10 2a5 5 0 0 0-5 5v2.6l-1.4 2.8A1 1 0 0 0 4.5 14h11a1 1 0 0 0 .9-1.6L15 9.6V7a5 5 0 0 0-5-5Zm-2 13a2 2 0 0 0 4 0H8Z" />
      <path d="M3 3l14 14" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
    </svg>
  );
}

export function PinnedIcon() {
  return (
    <svg role="img" aria-label="Pinned" viewBox="0 0 20 20" fill="currentColor" className="h-4 w-4 text-slate-400">
      <title>Pinned</title>
      <path d="M12.6 2.3a1 1 0 0 1 1.4 0l3.7 3.7a1 1 0 0 1 0 1.4l-1.3 1.3a1 1 0 0 1-1 .25l-2.5 2.5.2 3.1a1 1 0 0 1-.3.8l-.6.6a1 1 0 0 1-1.4 0L8 13.3l-3.8 3.8a.7.7 0 0 1-1-1L7 12.2 4.3 9.5a1 1 0 0 1 0-1.4l.6-.6a1 1 0 0 1 .8-.3l3.1.2 2.5-2.5a1 1 0 0 1 .25-1l1.3-1.3Z" />
    </svg>
  );
}
