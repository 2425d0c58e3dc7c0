import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/src/**/*.test.ts", "packages/*/test/**/*.test.ts", "apps/*/src/**/*.test.ts", "apps/*/test/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    // Two cores: keep the number of parallel test files small so real terraform and
    // PostgreSQL processes started by tests are not starved.
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
