import { z } from "zod";
import { CronExpressionParser } from "cron-parser";
import { db } from "@/lib/db/client";
import { audit } from "@/lib/admin/audit";
import { AdminError } from "@/lib/admin/errors";
import { seal } from "@/lib/connectors/secret-box";
import { VENDORS, vendorOf } from "@/lib/connectors/vendors";

// Adding, listing and removing connectors (admin page, CLI). Credentials are sealed before
// they reach the database and are never read back out of this module except by a run.

export const connectorInput = z.object({
  name: z.string().trim().min(1, "is required").max(64, "must be at most 64 characters"),
  vendor: z.enum(VENDORS.map((v) => v.slug) as [string, ...string[]], { error: `must be one of ${VENDORS.map((v) => v.slug).join(", ")}` }),
  baseUrl: z
    .string()
    .trim()
    .optional()
    .transform((v) => v || undefined)
    .pipe(z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional()),
  scope: z.string().trim().max(200).default(""),
  secret: z.string().trim().min(1, "are required").max(4096, "are too long"),
  schedule: z
    .string()
    .trim()
    .default("0 */6 * * *")
    .refine((v) => {
      try {
        CronExpressionParser.parse(v, { tz: "UTC" });
        return true;
      } catch {
        return false;
      }
    }, 'must be a cron expression, e.g. "0 */6 * * *"'),
  backfillDays: z.coerce.number().int().min(1, "must be at least 1").max(365, "must be at most 365").default(28),
  revisionDays: z.coerce.number().int().min(0).max(31).optional(),
});

export type ConnectorInput = z.input<typeof connectorInput>;

export async function addConnector(input: ConnectorInput, actor: string) {
  const parsed = connectorInput.safeParse(input);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new AdminError(`${String(i.path[0] ?? "")} ${i.message}`.trim(), String(i.path[0] ?? ""));
  }
  const c = parsed.data;
  const vendor = vendorOf(c.vendor)!;
  if (vendor.scope && !vendor.scope.pattern.test(c.scope)) throw new AdminError(`scope must be ${vendor.scope.label.toLowerCase()}, e.g. ${vendor.scope.example}`, "scope");
  if (!vendor.scope && c.scope) throw new AdminError(`${vendor.name} takes no scope`, "scope");
  const credentials = seal(c.secret);
  const prisma = await db();
  if (await prisma.connector.findUnique({ where: { name: c.name } })) throw new AdminError(`a connector named "${c.name}" exists`, "name");
  return prisma.$transaction(async (tx) => {
    const row = await tx.connector.create({
      data: {
        name: c.name,
        vendor: vendor.slug,
        baseUrl: (c.baseUrl ?? vendor.defaultBaseUrl).replace(/\/$/, ""),
        scope: c.scope,
        credentials,
        schedule: c.schedule,
        backfillDays: c.backfillDays,
        revisionDays: c.revisionDays ?? vendor.finalAfterDays,
        createdBy: actor,
      },
    });
    await audit(tx, actor, "connector.create", { type: "connector", id: row.id }, { name: row.name, vendor: row.vendor, baseUrl: row.baseUrl, scope: row.scope, schedule: row.schedule, backfillDays: row.backfillDays });
    return { id: row.id, name: row.name, vendor: row.vendor };
  });
}

/** New credentials (e.g. after the old ones expired); clears a credentials error so the schedule resumes. */
export async function setConnectorCredentials(id: number, secret: string, actor: string): Promise<void> {
  if (!secret.trim()) throw new AdminError("credentials are required", "secret");
  const prisma = await db();
  await prisma.$transaction(async (tx) => {
    const n = await tx.connector.updateMany({ where: { id }, data: { credentials: seal(secret.trim()), lastError: null, lastErrorKind: null } });
    if (!n.count) throw new AdminError("no such connector");
    await audit(tx, actor, "connector.credentials", { type: "connector", id });
  });
}

export async function setConnectorEnabled(id: number, enabled: boolean, actor: string): Promise<void> {
  const prisma = await db();
  await prisma.$transaction(async (tx) => {
    const n = await tx.connector.updateMany({ where: { id }, data: { enabled } });
    if (!n.count) throw new AdminError("no such connector");
    await audit(tx, actor, enabled ? "connector.enable" : "connector.disable", { type: "connector", id });
  });
}

/** Removes the connector and its run history; the usage it stored stays (it is history). */
export async function removeConnector(idOrName: string | number, actor: string): Promise<{ id: number; name: string }> {
  const prisma = await db();
  const row = await findConnector(idOrName);
  await prisma.$transaction(async (tx) => {
    await tx.connector.delete({ where: { id: row.id } });
    await audit(tx, actor, "connector.remove", { type: "connector", id: row.id }, { name: row.name, vendor: row.vendor });
  });
  return { id: row.id, name: row.name };
}

export async function findConnector(idOrName: string | number) {
  const prisma = await db();
  const asId = typeof idOrName === "number" ? idOrName : /^\d+$/.test(idOrName) ? Number(idOrName) : null;
  const row = asId !== null ? await prisma.connector.findUnique({ where: { id: asId } }) : await prisma.connector.findUnique({ where: { name: String(idOrName) } });
  if (!row) throw new AdminError(`no connector "${idOrName}"`);
  return row;
}

export interface ConnectorView {
  id: number;
  name: string;
  vendor: string;
  vendorName: string;
  baseUrl: string;
  scope: string;
  schedule: string;
  backfillDays: number;
  revisionDays: number;
  enabled: boolean;
  cursorDay: string | null;
  running: boolean;
  lastRunAt: Date | null;
  lastSuccessAt: Date | null;
  lastError: string | null;
  lastErrorKind: string | null;
  createdAt: Date;
  runs: { id: number; trigger: string; status: string; startedAt: Date; finishedAt: Date | null; firstDay: string | null; lastDay: string | null; daysPulled: number; records: number; eventsStored: number; revised: number; unchanged: number; retries: number; error: string | null }[];
}

/** Connectors without their credentials, each with its latest runs. */
export async function listConnectors(opts: { runs?: number } = {}): Promise<ConnectorView[]> {
  const prisma = await db();
  const rows = await prisma.connector.findMany({ orderBy: { name: "asc" }, include: { runs: { orderBy: { id: "desc" }, take: opts.runs ?? 5 } } });
  const now = Date.now();
  return rows.map(({ credentials: _secret, claimToken: _t, claimExpiresAt, runs, ...r }) => ({
    ...r,
    vendorName: vendorOf(r.vendor)?.name ?? r.vendor,
    running: !!claimExpiresAt && claimExpiresAt.getTime() > now && runs[0]?.status === "running",
    runs: runs.map(({ connectorId: _c, ...x }) => x),
  }));
}
