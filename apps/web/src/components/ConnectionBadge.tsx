// Connection state in words and colour (never colour alone), with a countdown and a way to
// skip it from the keyboard.

import { useEffect, useState } from "react";
import type { ConnectionStatus } from "../stats-connection.ts";

const LABELS: Record<ConnectionStatus["state"], string> = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  offline: "Offline",
};

export interface ConnectionBadgeProps {
  status: ConnectionStatus;
  onReconnect: () => void;
}

function useSecondsUntil(when: number | null): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (when === null) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [when]);
  return when === null ? null : Math.max(0, Math.ceil((when - now) / 1000));
}

export function ConnectionBadge({ status, onReconnect }: ConnectionBadgeProps) {
  const seconds = useSecondsUntil(status.retryAt);
  const waiting = status.state === "reconnecting" || status.state === "offline";
  const label = status.state === "live" && status.transport === "poll" ? "Live (polling)" : LABELS[status.state];
  return (
    <div className="connection">
      <p className="retry" aria-hidden={!waiting}>
        {waiting && seconds !== null ? `retry in ${seconds} s` : ""}
      </p>
      {/* Kept in the layout when hidden so the header never shifts. */}
      <button type="button" className={waiting ? "reconnect" : "reconnect reconnect-idle"} onClick={onReconnect} disabled={!waiting}>
        Reconnect now
      </button>
      {/* Only the state word is announced; the countdown would be chatty. */}
      <p className={`badge badge-${status.state}`} role="status" data-testid="connection-state">
        <span className="badge-dot" aria-hidden="true" />
        {label}
      </p>
    </div>
  );
}
