import pg from "pg";
import { parse as parseConnectionString } from "pg-connection-string";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { config } from "@/lib/config";
import { openEmbedded, type EmbeddedDatabase } from "@/lib/db/embedded";

// One database handle per process, created on first use (never at import: `next build`
// imports route modules) and kept on globalThis so the server script, Next's bundles and
// hot reloads all share it. With DATABASE_URL it is a pg pool; without, embedded PGlite.

export type Db = PrismaClient;

interface Handle {
  prisma: PrismaClient;
  adapter: SqlMigrationAwareDriverAdapterFactory;
  embedded?: EmbeddedDatabase;
  close(): Promise<void>;
}

const store = globalThis as unknown as { __wakeboardDb?: Promise<Handle>; __wakeboardPool?: pg.Pool };

/** The server database's connection pool, when there is one (for the pool-use metrics). */
export function currentPool(): pg.Pool | undefined {
  return store.__wakeboardPool;
}

/**
 * pg pool settings from a URL. The URL is taken apart rather than passed as
 * `connectionString`, which would override the `database` the adapter sets for
 * Prisma's shadow database.
 */
export function pgConfig(url: string, max = config().DATABASE_POOL_SIZE): pg.PoolConfig {
  const c = config();
  const { database, host, port, user, password, ssl } = parseConnectionString(url);
  return {
    database: database ?? undefined,
    host: host ?? undefined,
    port: port ? Number(port) : undefined,
    user,
    password,
    ssl: ssl as pg.PoolConfig["ssl"],
    max,
    // Without these an outage hangs requests instead of answering 503.
    connectionTimeoutMillis: c.DATABASE_CONNECT_TIMEOUT_MS,
    statement_timeout: c.DATABASE_STATEMENT_TIMEOUT_MS,
    query_timeout: c.DATABASE_STATEMENT_TIMEOUT_MS + 2000,
    idleTimeoutMillis: 30_000,
    application_name: "wakeboard",
  };
}

async function open(): Promise<Handle> {
  const c = config();
  if (c.DATABASE_URL) {
    const pool = new pg.Pool(pgConfig(c.DATABASE_URL));
    store.__wakeboardPool = pool;
    const adapter = new PrismaPg(pool, { disposeExternalPool: true });
    const prisma = new PrismaClient({ adapter });
    return {
      prisma,
      adapter,
      async close() {
        await prisma.$disconnect();
        if (store.__wakeboardPool === pool) store.__wakeboardPool = undefined;
        // A client that never connected leaves the pool to us.
        if (!pool.ending) await pool.end();
      },
    };
  }
  const embedded = await openEmbedded(c.dataDir);
  const adapter = new PrismaPGlite(embedded.client);
  const prisma = new PrismaClient({ adapter });
  return {
    prisma,
    adapter,
    embedded,
    async close() {
      await prisma.$disconnect();
      await embedded.close();
    },
  };
}

function handle(): Promise<Handle> {
  if (!store.__wakeboardDb) {
    store.__wakeboardDb = open();
    store.__wakeboardDb.catch(() => {
      store.__wakeboardDb = undefined; // let the next call try again
    });
  }
  return store.__wakeboardDb;
}

/** The shared Prisma client. */
export async function db(): Promise<PrismaClient> {
  return (await handle()).prisma;
}

/**
 * Runs `fn` with a driver adapter for Prisma's schema engine. On a server it gets a pool of
 * its own, ended afterwards: the engine holds a session-level advisory lock that would
 * otherwise stay with a pooled connection. PGlite has one session, so it shares the handle.
 */
export async function withSchemaAdapter<T>(fn: (adapter: SqlMigrationAwareDriverAdapterFactory) => Promise<T>): Promise<T> {
  const url = config().DATABASE_URL;
  if (!url) return fn((await handle()).adapter);
  const pool = new pg.Pool(pgConfig(url, 2));
  try {
    return await fn(new PrismaPg(pool));
  } finally {
    await pool.end();
  }
}

/**
 * Runs `fn` with a Prisma client whose connections have neither a statement timeout nor a
 * client-side query timeout, for long maintenance work (`rollups rebuild` on millions of
 * events). On a server it is a pool of its own, ended afterwards; the embedded database is
 * one session without timeouts, so it shares the handle.
 */
export async function withMaintenanceDb<T>(fn: (prisma: PrismaClient) => Promise<T>): Promise<T> {
  const url = config().DATABASE_URL;
  if (!url) return fn(await db());
  const prisma = new PrismaClient({ adapter: new PrismaPg({ ...pgConfig(url, 2), statement_timeout: 0, query_timeout: undefined }) });
  try {
    return await fn(prisma);
  } finally {
    await prisma.$disconnect();
  }
}

export async function closeDb(): Promise<void> {
  const pending = store.__wakeboardDb;
  store.__wakeboardDb = undefined;
  if (pending) await (await pending).close();
}
