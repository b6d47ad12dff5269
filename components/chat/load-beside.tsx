import { useEffect, useState, type ComponentType } from "react";
import { loadOnce, loadUntilDone } from "@/lib/client/load-once";

/**
 * A part with nothing to show until data arrives over the socket (or that works in the background): its
 * code downloads beside the page's own scripts as soon as this module runs in the browser, in parallel
 * with the socket client, instead of holding up hydration. Until it has arrived, `placeholder` (or
 * nothing) is rendered in its place. A failed download is tried again every few seconds.
 */
export function loadBeside<P extends object>(load: () => Promise<ComponentType<P>>, placeholder: ComponentType<P> | null = null) {
  const loadPart = loadOnce(load);
  if (typeof window !== "undefined") loadPart().catch(() => undefined);

  return function LoadedBeside(props: P) {
    const [Part, setPart] = useState<ComponentType<P> | null>(null);
    useEffect(() => loadUntilDone(loadPart, (part) => setPart(() => part)).cancel, []);
    const Shown = Part ?? placeholder;
    return Shown ? <Shown {...props} /> : null;
  };
}
