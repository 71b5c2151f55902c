import fs from "node:fs";
import type http from "node:http";
import path from "node:path";
import { Writable } from "node:stream";
import { randomBytes, timingSafeEqual } from "node:crypto";
import { cliIo } from "@/scripts/cli/command";
import { find, runCli } from "@/scripts/cli/run";

// The local channel between the CLI and a running server (DESIGN.md §9). Only one process
// may open the embedded database, so while `npm start` runs, a command is run by the server
// itself: the server writes its address and a fresh random token to
// <data dir>/cli-channel.json (mode 0600, readable only by the user who started it); the
// CLI reads it and POSTs the command line; the server answers only on the loopback
// interface and only with that token, runs the command in-process with the client's
// working directory, and streams stdout, stderr and the exit code back as JSON lines.

export const CHANNEL_PATH = "/_wakeboard/cli";
const FILE = "cli-channel.json";
const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

interface ChannelFile {
  url: string;
  token: string;
  pid: number;
}

export const channelFile = (dataDir: string) => path.join(dataDir, FILE);

/** Server side: writes the channel file and returns the request handler (true = handled). */
export function openCliChannel(dataDir: string, port: number) {
  const token = randomBytes(32).toString("base64url");
  const file = channelFile(dataDir);
  const tmp = `${file}.${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify({ url: `http://127.0.0.1:${port}`, token, pid: process.pid } satisfies ChannelFile), { mode: 0o600 });
  fs.renameSync(tmp, file);
  const expected = Buffer.from(`Bearer ${token}`);

  const handle = (req: http.IncomingMessage, res: http.ServerResponse): boolean => {
    if (req.url !== CHANNEL_PATH) return false;
    const given = Buffer.from(req.headers.authorization ?? "");
    const refuse = (status: number, code: string, message: string) => {
      res.writeHead(status, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify({ error: { code, message } }));
    };
    if (!LOOPBACK.has(req.socket.remoteAddress ?? "")) refuse(403, "forbidden", "The CLI channel answers on the loopback interface only");
    else if (given.length !== expected.length || !timingSafeEqual(given, expected)) refuse(401, "unauthorized", "Wrong or missing CLI channel token");
    else if (req.method !== "POST") refuse(405, "method_not_allowed", "Use POST");
    else void run(req, res);
    return true;
  };

  return {
    handle,
    /** Removes the channel file (only if it is still this server's). */
    close() {
      try {
        if ((JSON.parse(fs.readFileSync(file, "utf8")) as ChannelFile).token === token) fs.rmSync(file);
      } catch {
        // already gone
      }
    },
  };
}

async function run(req: http.IncomingMessage, res: http.ServerResponse) {
  let body = "";
  for await (const chunk of req) body += chunk;
  let argv: string[];
  let cwd: string;
  try {
    const parsed = JSON.parse(body) as { argv?: unknown; cwd?: unknown };
    if (!Array.isArray(parsed.argv) || !parsed.argv.every((a) => typeof a === "string") || typeof parsed.cwd !== "string") throw new Error();
    argv = parsed.argv as string[];
    cwd = parsed.cwd;
  } catch {
    res.writeHead(400, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify({ error: { code: "bad_request", message: 'Send {"argv": [...], "cwd": "..."}' } }));
    return;
  }
  res.writeHead(200, { "content-type": "application/x-ndjson; charset=utf-8", "cache-control": "no-store" });
  const stream = (key: "stdout" | "stderr") =>
    new Writable({
      write(chunk: Buffer | string, _enc, done) {
        res.write(JSON.stringify({ [key]: chunk.toString() }) + "\n") ? done() : res.once("drain", () => done());
      },
    });
  const code = await cliIo.run({ stdout: stream("stdout"), stderr: stream("stderr"), cwd }, () => runCli(argv));
  res.end(JSON.stringify({ exit: code }) + "\n");
}

/** Client side: the running server's channel, if there is one (a stale file is ignored). */
export function findChannel(dataDir: string): ChannelFile | null {
  try {
    const c = JSON.parse(fs.readFileSync(channelFile(dataDir), "utf8")) as ChannelFile;
    process.kill(c.pid, 0);
    return c;
  } catch {
    return null;
  }
}

/** Whether a command line needs the database (and so must go through a running server). */
export function needsDatabase(argv: string[]): boolean {
  const [cmd, rest] = find(argv);
  return Boolean(cmd?.needsDb) && !rest.includes("--help") && !rest.includes("-h");
}

/** The server named in the channel file does not answer (it is gone): nothing was run. */
export class ChannelUnreachable extends Error {}

/** Client side: runs the command line in the server; resolves with its exit code. */
export async function runThroughChannel(channel: ChannelFile, argv: string[]): Promise<number> {
  const res = await fetch(`${channel.url}${CHANNEL_PATH}`, {
    method: "POST",
    headers: { authorization: `Bearer ${channel.token}`, "content-type": "application/json" },
    body: JSON.stringify({ argv, cwd: process.cwd() }),
  }).catch((e: Error) => {
    throw new ChannelUnreachable(e.message);
  });
  if (!res.ok || !res.body) {
    process.stderr.write(`wakeboard: the running server refused the command (${res.status}): ${(await res.text()).slice(0, 200)}\n`);
    return 1;
  }
  let exit = 1;
  let buffered = "";
  const decoder = new TextDecoder();
  const flush = (line: string) => {
    if (!line) return;
    const m = JSON.parse(line) as { stdout?: string; stderr?: string; exit?: number };
    if (m.stdout !== undefined) process.stdout.write(m.stdout);
    if (m.stderr !== undefined) process.stderr.write(m.stderr);
    if (m.exit !== undefined) exit = m.exit;
  };
  for await (const chunk of res.body) {
    buffered += decoder.decode(chunk, { stream: true });
    const lines = buffered.split("\n");
    buffered = lines.pop()!;
    lines.forEach(flush);
  }
  flush(buffered);
  return exit;
}
