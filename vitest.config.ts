import { defineConfig } from "vitest/config";

// `npm test`: unit and in-process integration tests of every workspace; no external servers.
export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 20_000,
    reporters: process.env.CI ? ["default", "junit"] : ["default"],
    outputFile: { junit: "test-results/unit.xml" },
    projects: [
      {
        extends: true,
        test: {
          name: "node",
          include: [
            "packages/*/{src,test}/**/*.test.ts",
            "services/*/{src,test}/**/*.test.ts",
            "scripts/**/*.test.ts",
            "bench/**/*.test.ts",
            "tools/**/*.test.ts",
            "ci/**/*.test.ts",
            "pipeline/**/*.test.ts",
            "deploy/**/*.test.ts",
          ],
        },
      },
      "apps/web/vitest.config.ts",
    ],
  },
});
