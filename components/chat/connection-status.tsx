import { useSocket } from "./socket-provider";

const labels = { connecting: "Connecting…", connected: "Connected", offline: "Offline" } as const;
const dots = { connecting: "bg-amber-400", connected: "bg-emerald-500", offline: "bg-slate-400" } as const;

export function ConnectionStatus() {
  const { status, transport } = useSocket();
  return (
    <span
      data-testid="connection-status"
      data-status={status}
      data-transport={transport ?? ""}
      className="inline-flex items-center gap-1.5 text-xs text-slate-500"
    >
      <span aria-hidden className={`h-2 w-2 rounded-full ${dots[status]}`} />
      {labels[status]}
    </span>
  );
}
