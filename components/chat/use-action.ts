import { useState } from "react";

/** Runs a user-triggered request, keeping whether it is in flight and the server's refusal, if any. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  function run(action: () => Promise<unknown>, onDone?: () => void) {
    setBusy(true);
    setError(null);
    action().then(
      () => {
        setBusy(false);
        onDone?.();
      },
      (reason: Error) => {
        setBusy(false);
        setError(reason.message);
      },
    );
  }

  return { run, busy, error };
}
