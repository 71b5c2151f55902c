import path from "node:path";
import { defineConfig } from "vitest/config";

// Integration tests create their own databases on the server named here (see
// test/helpers/database.ts); captured once, before any test rewrites DATABASE_URL.
process.env.WAKEBOARD_TEST_SERVER_URL ??= process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || "";
process.env.NEXT_TELEMETRY_DISABLED = "1";
process.env.LOG_LEVEL ??= "silent";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["lib/**/*.test.ts", "test/**/*.test.ts", "scripts/**/*.test.ts"],
    exclude: ["e2e/**", "node_modules/**", ".next/**"],
    setupFiles: ["test/setup/documented-statuses.ts"],
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
