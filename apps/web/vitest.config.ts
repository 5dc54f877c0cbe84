// Unit and component tests of the dashboard.

import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  test: {
    name: "web",
    // Logic tests run in Node; component tests opt into jsdom with a docblock.
    environment: "node",
    include: ["src/**/*.test.{ts,tsx}", "test/**/*.test.{ts,tsx}"],
    restoreMocks: true,
    // Node's EventSource is still behind a flag; the connection tests use the real one.
    execArgv: ["--experimental-eventsource", "--disable-warning=ExperimentalWarning"],
  },
});
