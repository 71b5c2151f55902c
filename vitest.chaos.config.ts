import path from "node:path";
import { defineConfig } from "vitest/config";

// `npm run test:chaos`: the fault-injection suite (test/chaos), on a PostgreSQL cluster it
// creates for itself and production servers it starts, SIGKILLs and restarts. Needs a build
// (`next build`, as `npm test` makes). One file at a time: it owns its ports.
process.env.NEXT_TELEMETRY_DISABLED = "1";
process.env.LOG_LEVEL ??= "silent";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: ["test/chaos/**/*.chaos.ts"],
    pool: "forks",
    maxWorkers: 1,
    testTimeout: 240_000,
    hookTimeout: 240_000,
  },
});
