/**
 * Wraps an async task so that at most one run is in progress. A call during a run schedules exactly one
 * more run after it (the state it must see may have changed meanwhile); all callers share the promise.
 */
export function singleFlight(task: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let again = false;
  return () => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await task();
        } while (again);
      } finally {
        running = null;
      }
    })();
    return running;
  };
}

/** `singleFlight` per key: runs for different keys (conversations) proceed independently. */
export function singleFlightPerKey(task: (key: string) => Promise<void>): (key: string) => Promise<void> {
  const runs = new Map<string, () => Promise<void>>();
  return (key) => {
    let run = runs.get(key);
    if (!run) runs.set(key, (run = singleFlight(() => task(key))));
    return run();
  };
}
