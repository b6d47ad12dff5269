/**
 * Wraps a load (a code download, opening a database) so that every caller shares its one result; a failed
 * load is forgotten, so the next call tries again.
 */
export function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | null = null;
  return () =>
    (loaded ??= load().catch((error: unknown) => {
      loaded = null;
      throw error;
    }));
}

const RETRY_MS = 3_000;

/**
 * Calls `load` until it succeeds, then `onLoaded` once with its result: again every few seconds after a
 * failure, or at once on `retryNow()` (the browser is back online). After `cancel()` nothing is called.
 */
export function loadUntilDone<T>(load: () => Promise<T>, onLoaded: (value: T) => void) {
  let settled = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const attempt = () => {
    clearTimeout(retry);
    load().then(
      (value) => {
        if (settled) return;
        settled = true;
        onLoaded(value);
      },
      () => {
        if (!settled) retry = setTimeout(attempt, RETRY_MS);
      },
    );
  };
  attempt();
  return {
    retryNow: () => {
      if (!settled) attempt();
    },
    cancel: () => {
      settled = true;
      clearTimeout(retry);
    },
  };
}
