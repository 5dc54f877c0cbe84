// React binding for StatsConnection: the latest sample, its recent history and the connection status.

import { useCallback, useEffect, useRef, useState } from "react";
import type { RuntimeConfig } from "./config.ts";
import { appendSample } from "./history.ts";
import type { StatsSample } from "./stats.ts";
import { type ConnectionStatus, StatsConnection, type StatsConnectionOptions } from "./stats-connection.ts";

export interface StatsView {
  sample: StatsSample | null;
  cpuHistory: number[];
  ramHistory: number[];
  status: ConnectionStatus;
  reconnectNow: () => void;
}

export type ConnectionOverrides = Partial<Omit<StatsConnectionOptions, "statsUrl" | "streamUrl" | "onSample" | "onStatus">>;

export function useStats(config: RuntimeConfig, overrides: ConnectionOverrides = {}): StatsView {
  const [sample, setSample] = useState<StatsSample | null>(null);
  const [history, setHistory] = useState<{ cpu: number[]; ram: number[] }>({ cpu: [], ram: [] });
  const [status, setStatus] = useState<ConnectionStatus>({
    state: "connecting",
    transport: null,
    failures: 0,
    retryAt: null,
  });
  const connection = useRef<StatsConnection | null>(null);
  // Overrides are for tests and fixed for a component's life: read once.
  const initialOverrides = useRef(overrides);

  useEffect(() => {
    const conn = new StatsConnection({
      ...initialOverrides.current,
      statsUrl: config.statsUrl,
      streamUrl: config.streamUrl,
      onStatus: setStatus,
      onSample: (s) => {
        setSample(s);
        setHistory((h) => ({ cpu: appendSample(h.cpu, s.cpu), ram: appendSample(h.ram, s.ram) }));
      },
    });
    connection.current = conn;
    conn.start();
    const online = (): void => conn.reconnectNow();
    window.addEventListener("online", online);
    return () => {
      window.removeEventListener("online", online);
      conn.stop();
      connection.current = null;
    };
  }, [config.statsUrl, config.streamUrl]);

  const reconnectNow = useCallback(() => connection.current?.reconnectNow(), []);
  return { sample, cpuHistory: history.cpu, ramHistory: history.ram, status, reconnectNow };
}
