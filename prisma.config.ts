import { defineConfig } from "prisma/config";

// Only `prisma generate` reads this: migrations run through lib/db/migrate.ts (Prisma's
// WASM schema engine over the driver adapter), because the native engines cannot be
// downloaded on every machine.
export default defineConfig({
  schema: "prisma/schema.prisma",
});
