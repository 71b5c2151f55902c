import { parse, required, UsageError, out, info, type Command } from "@/scripts/cli/command";
import { db } from "@/lib/db/client";
import { createKey, revokeKey, SCOPES, type Scope } from "@/lib/keys/api-keys";

export const keysCreate: Command = {
  name: "keys create",
  summary: "create an API key; prints the secret alone on the last line, once",
  usage: "keys create --name N --scopes ingest,read,export [--team SLUG] [--rate-limit N]",
  needsDb: true,
  async run(argv) {
    const { values } = parse(argv, { name: { type: "string" }, scopes: { type: "string" }, team: { type: "string" }, "rate-limit": { type: "string" } });
    const name = required(values.name, "--name");
    const scopes = required(values.scopes, "--scopes").split(",").map((s) => s.trim()).filter(Boolean);
    const bad = scopes.filter((s) => !SCOPES.includes(s as Scope));
    if (!scopes.length || bad.length) throw new UsageError(`--scopes must be a comma list of ${SCOPES.join(", ")}${bad.length ? ` (unknown: ${bad.join(", ")})` : ""}`);
    const rateLimit = values["rate-limit"] ? Number(values["rate-limit"]) : null;
    if (rateLimit !== null && !(Number.isInteger(rateLimit) && rateLimit > 0)) throw new UsageError("--rate-limit must be a positive whole number (requests per second)");
    let teamId: number | null = null;
    if (values.team) {
      const team = await (await db()).team.findUnique({ where: { slug: values.team } });
      if (!team) throw new UsageError(`unknown team "${values.team}"`);
      teamId = team.id;
    }
    const key = await createKey({ name, scopes: scopes as Scope[], teamId, rateLimit, actor: "cli" });
    info(`created key ${key.id} "${name}" (${key.prefix}…) with scopes ${scopes.join(",")}${values.team ? ` for team ${values.team}` : ""}; the secret is shown once:`);
    out(key.secret);
  },
};

export const keysList: Command = {
  name: "keys list",
  summary: "list API keys (prefix, scopes, team, last used, revoked)",
  usage: "keys list",
  needsDb: true,
  async run() {
    const keys = await (await db()).apiKey.findMany({ orderBy: { id: "asc" }, include: { team: true } });
    out(["id", "name", "prefix", "scopes", "team", "last_used", "revoked"].join("\t"));
    for (const k of keys) {
      out([k.id, k.name, k.prefix, k.scopes.join(","), k.team?.slug ?? "", k.lastUsedAt?.toISOString() ?? "never", k.revokedAt?.toISOString() ?? ""].join("\t"));
    }
  },
};

export const keysRevoke: Command = {
  name: "keys revoke",
  summary: "revoke an API key at once",
  usage: "keys revoke ID",
  needsDb: true,
  async run(argv) {
    const id = Number(argv[0]);
    if (!Number.isInteger(id) || id <= 0) throw new UsageError("give the key's numeric id (see `keys list`)");
    if (!(await revokeKey(id, "cli"))) throw new UsageError(`no active key with id ${id}`);
    out(`revoked key ${id}`);
  },
};
