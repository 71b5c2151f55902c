import fs from "node:fs";
import { parse, required, UsageError, out, info, type Command } from "@/scripts/cli/command";
import { addConnector, listConnectors, removeConnector } from "@/lib/connectors/manage";
import { runConnector } from "@/lib/connectors/run";
import { VENDORS } from "@/lib/connectors/vendors";
import { AdminError } from "@/lib/admin/errors";

// `connectors add|list|run|remove` (docs/connectors.md). Credentials never go on the command
// line (shell history, `ps`): they are read from an environment variable or from stdin.

const asUsage = async <T>(f: () => Promise<T>): Promise<T> => {
  try {
    return await f();
  } catch (e) {
    if (e instanceof AdminError) throw new UsageError(e.message);
    throw e;
  }
};

export const connectorsAdd: Command = {
  name: "connectors add",
  summary: `add a vendor connector (${VENDORS.map((v) => v.slug).join(", ")}); the credentials come from $WAKEBOARD_CONNECTOR_SECRET (or --secret-env NAME, or --secret-stdin)`,
  usage: "connectors add --vendor copilot|claude-code|cursor --name N [--scope orgs/ORG|enterprises/ENT] [--base-url URL] [--schedule CRON] [--backfill-days N] [--revision-days N] [--secret-env NAME | --secret-stdin]",
  needsDb: true,
  async run(argv) {
    const { values } = parse(argv, {
      vendor: { type: "string" },
      name: { type: "string" },
      scope: { type: "string" },
      "base-url": { type: "string" },
      schedule: { type: "string" },
      "backfill-days": { type: "string" },
      "revision-days": { type: "string" },
      "secret-env": { type: "string" },
      "secret-stdin": { type: "boolean" },
    });
    const vendor = required(values.vendor, "--vendor");
    const name = required(values.name, "--name");
    const envName = values["secret-env"] ?? "WAKEBOARD_CONNECTOR_SECRET";
    const secret = values["secret-stdin"] ? fs.readFileSync(0, "utf8").trim() : (process.env[envName] ?? "").trim();
    if (!secret) throw new UsageError(values["secret-stdin"] ? "stdin was empty: pipe the vendor's credentials in" : `$${envName} is empty: put the vendor's credentials there (or use --secret-stdin)`);
    const c = await asUsage(() =>
      addConnector(
        {
          vendor,
          name,
          scope: values.scope ?? "",
          baseUrl: values["base-url"],
          schedule: values.schedule,
          backfillDays: values["backfill-days"] as unknown as number,
          revisionDays: values["revision-days"] as unknown as number,
          secret,
        },
        "cli",
      ),
    );
    info(`added connector ${c.id} "${c.name}" (${c.vendor}); the credentials are stored encrypted and will not be shown again`);
    out(String(c.id));
  },
};

export const connectorsList: Command = {
  name: "connectors list",
  summary: "list connectors with their last run (never their credentials)",
  usage: "connectors list",
  needsDb: true,
  async run() {
    out(["id", "name", "vendor", "scope", "base_url", "schedule", "enabled", "next_day", "last_run", "last_status", "last_error"].join("\t"));
    for (const c of await listConnectors({ runs: 1 })) {
      const r = c.runs[0];
      out([c.id, c.name, c.vendor, c.scope, c.baseUrl, c.schedule, c.enabled, c.cursorDay ?? "", r?.startedAt.toISOString() ?? "never", r?.status ?? "", c.lastError ?? ""].join("\t"));
    }
  },
};

export const connectorsRun: Command = {
  name: "connectors run",
  summary: "run a connector now (one instance at a time: answers busy if it is already running)",
  usage: "connectors run ID|NAME",
  needsDb: true,
  async run(argv) {
    const { positionals } = parse(argv, {}, true);
    const which = positionals[0];
    if (!which) throw new UsageError("give the connector's id or name (see `connectors list`)");
    const r = await asUsage(() => runConnector(which, { trigger: "cli", actor: "cli" }));
    if (r.status === "busy") throw new UsageError(`connector "${r.connector}" is running elsewhere; try again when it finishes`);
    const line = `${r.connector}: ${r.daysPulled} day(s) pulled (${r.days[0] ?? "-"} … ${r.days.at(-1) ?? "-"}), ${r.records} record(s), ${r.eventsStored} event(s) stored, ${r.revised} revised, ${r.unchanged} unchanged, ${r.retries} retr${r.retries === 1 ? "y" : "ies"}`;
    if (r.status === "failed") throw new UsageError(`${line}; failed: ${r.error}`);
    out(line);
  },
};

export const connectorsRemove: Command = {
  name: "connectors remove",
  summary: "remove a connector and its credentials (the usage it stored stays)",
  usage: "connectors remove ID|NAME",
  needsDb: true,
  async run(argv) {
    const { positionals } = parse(argv, {}, true);
    const which = positionals[0];
    if (!which) throw new UsageError("give the connector's id or name (see `connectors list`)");
    const c = await asUsage(() => removeConnector(which, "cli"));
    out(`removed connector ${c.id} "${c.name}"`);
  },
};
