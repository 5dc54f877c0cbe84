// Fetches hello's messages now and then; the panel shows them only while hello is reachable.

import { useEffect, useState } from "react";
import { type HelloInfo, parseHello } from "./hello.ts";

export type HelloView = { state: "loading" } | { state: "unreachable" } | { state: "ok"; info: HelloInfo };

export function useHello(url: string | null, refreshMs = 30_000, fetchFn: typeof fetch = fetch): HelloView {
  const [view, setView] = useState<HelloView>({ state: "loading" });

  useEffect(() => {
    if (url === null) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async (): Promise<void> => {
      let next: HelloView = { state: "unreachable" };
      try {
        const res = await fetchFn(url, { cache: "no-store", headers: { accept: "application/json" } });
        const info = res.ok ? parseHello(await res.json()) : null;
        if (info !== null) next = { state: "ok", info };
      } catch {
        // unreachable: shown as such, retried below
      }
      if (cancelled) return;
      setView(next);
      timer = setTimeout(load, refreshMs);
    };
    void load();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [url, refreshMs, fetchFn]);

  return view;
}
