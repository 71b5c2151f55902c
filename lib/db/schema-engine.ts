import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { SchemaEngine, MigrationList, SchemaFilter } from "@prisma/schema-engine-wasm";

// Prisma's schema engine, as WebAssembly, driven over our own driver adapter: the native
// engine cannot be downloaded on every machine (OFFLINE.md). On Node 20 the package's
// `import "./x.wasm"` needs a flag, so the module is instantiated here by hand.

type Bg = typeof import("@prisma/schema-engine-wasm/schema_engine_bg") & {
  __wbg_set_wasm(w: WebAssembly.Exports): void;
};

let loaded: Promise<{ SchemaEngine: typeof SchemaEngine }> | undefined;

function load() {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    const bgPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const bg = (await import(/* webpackIgnore: true */ /* @vite-ignore */ pathToFileURL(bgPath).href)) as Bg;
    const bytes = fs.readFileSync(path.join(path.dirname(bgPath), "schema_engine_bg.wasm"));
    const module = await WebAssembly.compile(bytes);
    const instance = new WebAssembly.Instance(module, { "./schema_engine_bg.js": bg as unknown as WebAssembly.ModuleImports });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return { SchemaEngine: bg.SchemaEngine as unknown as typeof SchemaEngine };
  })();
  return loaded;
}

export const PRISMA_DIR = path.resolve(process.cwd(), "prisma");
export const SCHEMA_FILE = path.join(PRISMA_DIR, "schema.prisma");
export const MIGRATIONS_DIR = path.join(PRISMA_DIR, "migrations");
export const NO_FILTERS: SchemaFilter = { externalTables: [], externalEnums: [] };

export async function openSchemaEngine(
  adapter: SqlMigrationAwareDriverAdapterFactory,
  log: (line: string) => void = () => {},
): Promise<SchemaEngine> {
  const { SchemaEngine } = await load();
  const schema = fs.readFileSync(SCHEMA_FILE, "utf8");
  return SchemaEngine.new(
    { datamodels: [["schema.prisma", schema]] },
    (line: string) => log(line),
    bindMigrationAwareSqlAdapterFactory(adapter),
  );
}

/** The migrations folder as the engine wants it. */
export function readMigrations(dir = MIGRATIONS_DIR): MigrationList {
  const names = fs.existsSync(dir)
    ? fs
        .readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, "migration.sql")))
        .map((d) => d.name)
        .sort()
    : [];
  const lockPath = path.join(dir, "migration_lock.toml");
  return {
    baseDir: dir,
    lockfile: {
      path: "migration_lock.toml",
      content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, "utf8") : null,
    },
    shadowDbInitScript: "",
    migrationDirectories: names.map((name) => ({
      path: name,
      migrationFile: {
        path: "migration.sql",
        content: { tag: "ok" as const, value: fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8") },
      },
    })),
  };
}
