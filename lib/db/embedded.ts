import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";

// PGlite keeps its data in a folder that exactly one process may open: two processes on
// the same folder corrupt it. A lock file holding the owner's pid guards it.

export class DatabaseBusyError extends Error {
  constructor(public readonly pid: number, dir: string) {
    super(
      `The embedded database in ${dir} is in use by another Wakeboard process (pid ${pid}); ` +
        "stop the server first, use the admin pages, or set DATABASE_URL to a PostgreSQL server",
    );
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function takeLock(lockFile: string, dir: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: "wx" });
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const pid = Number(fs.readFileSync(lockFile, "utf8").trim());
      if (pid === process.pid) return;
      if (pid && alive(pid)) throw new DatabaseBusyError(pid, dir);
      fs.rmSync(lockFile, { force: true }); // a stale lock left by a process that died
    }
  }
  throw new Error(`Could not take the lock ${lockFile}`);
}

export interface EmbeddedDatabase {
  client: PGlite;
  close(): Promise<void>;
}

export async function openEmbedded(dataDir: string): Promise<EmbeddedDatabase> {
  const dir = path.join(dataDir, "pglite");
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const lockFile = path.join(dataDir, "pglite.lock");
  takeLock(lockFile, dir);
  const release = () => {
    try {
      if (fs.readFileSync(lockFile, "utf8").trim() === String(process.pid)) fs.rmSync(lockFile);
    } catch {
      // already gone
    }
  };
  process.once("exit", release);
  try {
    const client = await PGlite.create(dir);
    return {
      client,
      async close() {
        await client.close();
        release();
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}
