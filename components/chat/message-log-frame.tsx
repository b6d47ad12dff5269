// The message log's frame, shared by the log and by what stands in for it while its code downloads.

export const logFrameClassName = "relative flex min-h-0 flex-1 flex-col";
export const logClassName = "min-h-0 flex-1 overflow-y-auto [overflow-anchor:none]";
// Few messages sit at the bottom, next to the composer, as in any chat.
export const logInnerClassName = "flex min-h-full flex-col justify-end py-3";

export function LoadingStatus({ label }: { label: string }) {
  return (
    <div role="status" className="flex items-center justify-center gap-2 py-4 text-sm text-slate-500">
      <span aria-hidden className="h-4 w-4 animate-spin rounded-full border-2 border-slate-300 border-t-brand-500" />
      {label}
    </div>
  );
}

/** The log as it looks while a conversation loads. */
export function MessageLogLoading() {
  return (
    <div className={logFrameClassName}>
      <div role="log" aria-label="Messages" className={logClassName}>
        <div className={logInnerClassName}>
          <LoadingStatus label="Loading messages…" />
        </div>
      </div>
    </div>
  );
}
