// Dev server and production build of the dashboard.
// `npm start -w apps/web` serves it on 127.0.0.1:3050 (or $PORT) and proxies the API paths to the
// services on loopback, like nginx does in production; /config.json gets the same-origin defaults.

import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";
import { DEFAULT_CONFIG } from "./src/config.ts";

const statsOrigin = process.env.STATS_ORIGIN ?? "http://127.0.0.1:8080";
const helloOrigin = process.env.HELLO_ORIGIN ?? "http://127.0.0.1:8090";

/** In production nginx renders /config.json from the environment; in dev it is the defaults. */
function devRuntimeConfig(): Plugin {
  return {
    name: "flotilla-dev-runtime-config",
    configureServer(server) {
      server.middlewares.use("/config.json", (_req, res) => {
        res.setHeader("content-type", "application/json");
        res.setHeader("cache-control", "no-cache");
        res.end(JSON.stringify(DEFAULT_CONFIG));
      });
    },
  };
}

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react(), devRuntimeConfig()],
  server: {
    host: "127.0.0.1",
    port: Number(process.env.PORT ?? 3050),
    strictPort: true,
    proxy: {
      "/stats": { target: statsOrigin },
      "/hello/": { target: helloOrigin, rewrite: (path) => path.replace(/^\/hello/, "") },
    },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // Everything as files under /assets/: no data: URIs or inline code for the CSP to allow.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    target: "es2022",
  },
});
