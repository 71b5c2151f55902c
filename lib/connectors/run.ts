import { randomUUID } from "node:crypto";
import { db } from "@/lib/db/client";
import { log } from "@/lib/log";
import { audit } from "@/lib/admin/audit";
import { AdminError } from "@/lib/admin/errors";
import { unseal, SecretUnreadableError } from "@/lib/connectors/secret-box";
import { VendorError, type HttpOptions } from "@/lib/connectors/http";
import { storeDay } from "@/lib/connectors/store-day";
import { vendorOf } from "@/lib/connectors/vendors";
import { addDays, utcDay } from "@/lib/connectors/days";
import { recordJob } from "@/lib/metrics/registry";

// One run of a connector. Leader election is a claim on the connector's row (a token with an
// expiry, renewed as the run goes): of several instances, or a button pressed twice, one
// runs and the others answer "busy"; a run that died (SIGKILL, a lost machine) leaves a claim
// that expires, and the next run marks it interrupted and takes over. The run pulls the days
// from its stored cursor (the first day not yet stored) and the trailing revision window, in
// order, and stores each day in one transaction that also moves the cursor — so a run killed
// at any point resumes without losing or double counting a day.

export const LEASE_MS = 10 * 60_000;

export type RunTrigger = "schedule" | "manual" | "cli";

export interface RunOptions {
  trigger?: RunTrigger;
  actor?: string;
  now?: Date;
  http?: HttpOptions;
  leaseMs?: number;
  /** Aborting stops the run after the day in progress (server shutdown); the cursor keeps the place. */
  signal?: AbortSignal;
}

export interface RunSummary {
  status: "ok" | "failed" | "busy";
  runId?: number;
  connector: string;
  days: string[];
  daysPulled: number;
  records: number;
  eventsStored: number;
  revised: number;
  unchanged: number;
  removed: number;
  otherSource: number;
  retries: number;
  rejected: number;
  error?: string;
  errorKind?: string;
}

/** The UTC days a run pulls: from the cursor (or the backfill start) and the revision window, to yesterday. */
export function daysToPull(c: { backfillDays: number; revisionDays: number; cursorDay: string | null }, maxHistoryDays: number, now: Date): string[] {
  const last = addDays(utcDay(now), -1);
  const earliest = addDays(last, -(Math.min(c.backfillDays, maxHistoryDays) - 1));
  const revisionStart = addDays(last, -(c.revisionDays - 1));
  let start = c.cursorDay ?? earliest;
  if (c.revisionDays > 0 && revisionStart < start) start = revisionStart;
  if (start < earliest) start = earliest;
  const days: string[] = [];
  for (let d = start; d <= last; d = addDays(d, 1)) days.push(d);
  return days;
}

export async function runConnector(idOrName: number | string, opts: RunOptions = {}): Promise<RunSummary> {
  const prisma = await db();
  const trigger = opts.trigger ?? "manual";
  const actor = opts.actor ?? (trigger === "schedule" ? "system:connectors" : "cli");
  const now = opts.now ?? new Date();
  const lease = opts.leaseMs ?? LEASE_MS;
  const token = randomUUID();
  const where = typeof idOrName === "number" || /^\d+$/.test(String(idOrName)) ? { id: Number(idOrName) } : { name: String(idOrName) };
  const existing = await prisma.connector.findUnique({ where });
  if (!existing) throw new AdminError(`no connector "${idOrName}"`);
  const id = existing.id;

  const claimed = await prisma.$queryRaw<{ id: number }[]>`
    UPDATE connectors SET claim_token = ${token}, claim_expires_at = now() + make_interval(secs => ${lease / 1000}), last_run_at = now()
    WHERE id = ${id} AND (claim_token IS NULL OR claim_expires_at < now()) RETURNING id`;
  const summary: RunSummary = { status: "busy", connector: existing.name, days: [], daysPulled: 0, records: 0, eventsStored: 0, revised: 0, unchanged: 0, removed: 0, otherSource: 0, retries: 0, rejected: 0 };
  if (!claimed.length) return summary;

  // A run still marked running holds no claim any more: it died. Say so.
  await prisma.connectorRun.updateMany({ where: { connectorId: id, status: "running" }, data: { status: "interrupted", finishedAt: new Date(), error: "the run stopped without finishing (process killed or lost); the next run resumed from its cursor" } });
  const c = (await prisma.connector.findUnique({ where: { id } }))!;
  const vendor = vendorOf(c.vendor);
  const run = await prisma.$transaction(async (tx) => {
    const r = await tx.connectorRun.create({ data: { connectorId: id, trigger } });
    await audit(tx, actor, "connector.run.start", { type: "connector", id }, { run: r.id, name: c.name, trigger });
    return r;
  });
  summary.runId = run.id;
  summary.status = "ok";

  const renew = async () => {
    const n = await prisma.$executeRaw`UPDATE connectors SET claim_expires_at = now() + make_interval(secs => ${lease / 1000}) WHERE id = ${id} AND claim_token = ${token}`;
    if (!n) throw new VendorError("another instance took this connector's run over (the claim expired)", "network");
  };

  try {
    if (!vendor) throw new AdminError(`unknown vendor "${c.vendor}"`);
    const secret = unseal(c.credentials);
    const days = daysToPull(c, vendor.maxHistoryDays, now);
    summary.days = days;
    const http: HttpOptions = {
      ...opts.http,
      onRetry: (info) => {
        summary.retries++;
        log.warn({ connector: c.name, status: info.status, waitMs: info.waitMs, attempt: info.attempt }, "connector: vendor asked to retry");
        void renew().catch(() => {});
        opts.http?.onRetry?.(info);
      },
    };
    for (const day of days) {
      if (opts.signal?.aborted) throw new VendorError("stopped because the server shut down; the next run resumes from the cursor", "network");
      await renew();
      const records = await vendor.pullDay({ baseUrl: c.baseUrl, scope: c.scope, secret, http }, day);
      const out = await storeDay({
        vendor,
        scope: c.scope,
        day,
        records,
        onCommit: async (tx) => {
          // Only the holder of the claim may move the cursor; otherwise the day rolls back.
          const next = addDays(day, 1);
          const n = await tx.$executeRaw`
            UPDATE connectors SET cursor_day = CASE WHEN cursor_day IS NULL OR cursor_day < ${next} THEN ${next} ELSE cursor_day END
            WHERE id = ${id} AND claim_token = ${token}`;
          if (!n) throw new VendorError("another instance took this connector's run over (the claim expired)", "network");
        },
      });
      summary.daysPulled++;
      summary.records += out.records;
      summary.eventsStored += out.eventsStored;
      summary.revised += out.revised;
      summary.unchanged += out.unchanged;
      summary.removed += out.removed;
      summary.otherSource += out.otherSource;
      summary.rejected += out.rejected.length;
      if (out.rejected.length) log.warn({ connector: c.name, day, rejected: out.rejected.slice(0, 5) }, "connector: vendor rows rejected by validation");
      await prisma.connectorRun.update({
        where: { id: run.id },
        data: { firstDay: days[0], lastDay: day, daysPulled: summary.daysPulled, records: summary.records, eventsStored: summary.eventsStored, revised: summary.revised, unchanged: summary.unchanged, retries: summary.retries },
      });
    }
  } catch (e) {
    summary.status = "failed";
    summary.error = (e as Error).message;
    summary.errorKind = e instanceof VendorError ? e.kind : e instanceof SecretUnreadableError ? "credentials" : "internal";
    if (summary.errorKind === "forbidden") summary.errorKind = "credentials";
    log.error({ connector: c.name, err: summary.error, kind: summary.errorKind }, "connector run failed");
  }

  const finished = new Date();
  recordJob(`connector:${c.name}`, summary.status === "ok", finished);
  log.info({ connector: c.name, status: summary.status, days: summary.daysPulled, records: summary.records, events: summary.eventsStored, revised: summary.revised, ms: finished.getTime() - now.getTime() }, "connector run finished");
  await prisma.$transaction(async (tx) => {
    await tx.connectorRun.update({
      where: { id: run.id },
      data: { status: summary.status, finishedAt: finished, daysPulled: summary.daysPulled, records: summary.records, eventsStored: summary.eventsStored, revised: summary.revised, unchanged: summary.unchanged, retries: summary.retries, error: summary.error ?? null },
    });
    await tx.$executeRaw`
      UPDATE connectors SET claim_token = NULL, claim_expires_at = NULL,
        last_success_at = CASE WHEN ${summary.status} = 'ok' THEN ${finished} ELSE last_success_at END,
        last_error = ${summary.error ?? null}, last_error_kind = ${summary.errorKind ?? null}
      WHERE id = ${id} AND claim_token = ${token}`;
    await audit(tx, actor, "connector.run.finish", { type: "connector", id }, {
      run: run.id,
      name: c.name,
      status: summary.status,
      days: summary.daysPulled,
      records: summary.records,
      events: summary.eventsStored,
      revised: summary.revised,
      ...(summary.error ? { error: summary.error } : {}),
    });
  });
  return summary;
}
