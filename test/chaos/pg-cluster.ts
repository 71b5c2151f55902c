import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import pg from "pg";

// A PostgreSQL cluster of the test's own (never the machine's shared server): initdb into a
// temporary folder, pg_ctl to start, restart and stop it — gently or hard (immediate mode =
// like a crash: no checkpoint, recovery from WAL on the next start). initdb refuses to run
// as root, so as root everything runs as the `postgres` user (runuser).

const run = promisify(execFile);

function binDir(): string {
  const root = "/usr/lib/postgresql";
  const versions = fs.existsSync(root) ? fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, "bin", "initdb"))) : [];
  if (!versions.length) throw new Error("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql)");
  return path.join(root, versions.sort((a, b) => Number(b) - Number(a))[0], "bin");
}

export class PgCluster {
  readonly dir: string;
  readonly url: string;
  private readonly bin = binDir();
  private readonly asRoot = process.getuid?.() === 0;

  constructor(readonly port: number) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "wakeboard-chaos-pg-"));
    this.url = `postgresql://postgres@127.0.0.1:${port}/wakeboard`;
  }

  private async pg(tool: string, args: string[]): Promise<string> {
    const cmd = path.join(this.bin, tool);
    const { stdout } = this.asRoot ? await run("runuser", ["-u", "postgres", "--", cmd, ...args]) : await run(cmd, args);
    return stdout;
  }

  async init(): Promise<void> {
    if (this.asRoot) {
      fs.chmodSync(this.dir, 0o755);
      await run("chown", ["postgres:postgres", this.dir]);
    }
    await this.pg("initdb", ["-D", path.join(this.dir, "data"), "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8"]);
    await this.start();
    const c = new pg.Client({ connectionString: this.url.replace(/\/wakeboard$/, "/postgres") });
    await c.connect();
    await c.query("CREATE DATABASE wakeboard");
    await c.end();
  }

  async start(): Promise<void> {
    const opts = `-p ${this.port} -c listen_addresses=127.0.0.1 -k ${this.dir} -c max_connections=100 -c shared_buffers=32MB -c fsync=on`;
    await this.pg("pg_ctl", ["-D", path.join(this.dir, "data"), "-l", path.join(this.dir, "log"), "-o", opts, "-w", "-t", "60", "start"]);
  }

  /** "fast": clean shutdown; "immediate": no checkpoint, like a crash (recovery on start). */
  async stop(mode: "fast" | "immediate"): Promise<void> {
    await this.pg("pg_ctl", ["-D", path.join(this.dir, "data"), "-m", mode, "-w", "-t", "60", "stop"]);
  }

  async restart(): Promise<void> {
    await this.stop("fast");
    await this.start();
  }

  async destroy(): Promise<void> {
    try {
      await this.stop("immediate");
    } catch {
      // already stopped
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
