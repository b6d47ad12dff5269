import { Component, lazy, Suspense, type ComponentType, type ReactNode } from "react";
import { loadOnce } from "@/lib/client/load-once";

/**
 * A dialog (or another part shown only on the user's demand) whose code is downloaded when it is first
 * opened, so the chat's first load carries only what the first screen needs. Plain React.lazy: next/dynamic
 * would add its own loader to the first load. `preload` starts the download early (opening buttons call it
 * on hover and focus). While it loads, `loading` is shown (by default a backdrop saying so); if the download
 * fails (offline), an alert whose Dismiss closes it replaces the part instead of taking the page down, and
 * the next opening tries again.
 */
export function lazyOnOpen<P extends { onClose: () => void }>(load: () => Promise<ComponentType<P>>) {
  const preload = loadOnce(() => load().then((component) => ({ default: component })));
  // React.lazy remembers a failure for good: a fresh one is made for the next try.
  const loader = { Part: lazy(preload) };

  function LazyOnOpen({ loading = <Loading />, ...props }: P & { loading?: ReactNode }) {
    const { Part } = loader;
    return (
      <LoadFailure onClose={props.onClose} onFailure={() => (loader.Part = lazy(preload))}>
        <Suspense fallback={loading}>
          <Part {...(props as unknown as P & React.JSX.IntrinsicAttributes)} />
        </Suspense>
      </LoadFailure>
    );
  }
  return Object.assign(LazyOnOpen, { preload });
}

function Loading() {
  return (
    <div className="fixed inset-0 z-50 grid place-items-center bg-slate-900/40">
      <p role="status" className="rounded-xl bg-white px-4 py-2 text-sm text-slate-600 shadow-xl">
        Loading…
      </p>
    </div>
  );
}

class LoadFailure extends Component<{ onClose: () => void; onFailure: () => void; children: ReactNode }, { failed: boolean }> {
  state = { failed: false };

  static getDerivedStateFromError() {
    return { failed: true };
  }

  componentDidCatch() {
    this.props.onFailure();
  }

  render() {
    if (!this.state.failed) return this.props.children;
    return (
      <div
        role="alert"
        className="fixed inset-x-4 bottom-4 z-50 mx-auto flex max-w-md items-center gap-3 rounded-xl bg-white px-4 py-3 text-sm shadow-xl ring-1 ring-slate-200"
      >
        <span className="flex-1 text-red-600">This could not be opened. Check your connection and try again.</span>
        <button type="button" onClick={this.props.onClose} className="rounded-full px-3 py-1 font-medium text-slate-600 ring-1 ring-slate-200 hover:bg-slate-100">
          Dismiss
        </button>
      </div>
    );
  }
}
