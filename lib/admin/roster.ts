import { parse } from "csv-parse/sync";
import { z } from "zod";
import { db } from "@/lib/db/client";
import { config } from "@/lib/config";
import { dayOf, dayStart } from "@/lib/time/calendar";
import { audit } from "@/lib/admin/audit";
import { moveInTx } from "@/lib/admin/people";

// Roster import: CSV `email,name,team[,identities]`. Preview first (what each row would do,
// and why a row is refused), then apply the valid rows in one transaction. Applying the same
// file twice changes nothing; a team change closes the old membership at the effective date
// and opens a new one, so usage before that date stays with the old team.

export const MAX_ROSTER_BYTES = 2 * 1024 * 1024;
const EMAIL = z.email();

export interface RosterIdentity {
  kind: string;
  value: string;
}

export type RowPlan =
  | { line: number; email: string; name: string; team: string; identities: RosterIdentity[]; action: "create" | "update" | "move" | "unchanged"; fromTeam?: string | null; changes: string[] }
  | { line: number; email: string; errors: string[] };

export interface RosterPreview {
  rows: RowPlan[];
  /** Errors about the file as a whole (header, size, encoding). */
  fileErrors: string[];
  counts: { create: number; update: number; move: number; unchanged: number; invalid: number };
}

export const isRowError = (r: RowPlan): r is Extract<RowPlan, { errors: string[] }> => "errors" in r;

/** `kind:value` or a bare value (an email, else an alias), separated by `;` or spaces. */
function parseIdentities(cell: string): { ids: RosterIdentity[]; errors: string[] } {
  const ids: RosterIdentity[] = [];
  const errors: string[] = [];
  for (const token of cell.split(/[;\s]+/).filter(Boolean)) {
    const m = /^([a-z][a-z0-9._-]{0,63}):(.+)$/i.exec(token);
    const id = m ? { kind: m[1].toLowerCase(), value: m[2] } : { kind: token.includes("@") ? "user.email" : "alias", value: token };
    if (id.value.length > 256) errors.push(`identity "${token.slice(0, 40)}…" is longer than 256 characters`);
    else ids.push(id.kind === "user.email" ? { ...id, value: id.value.toLowerCase() } : id);
  }
  return { ids, errors };
}

interface ParsedRow {
  line: number;
  email: string;
  name: string;
  team: string;
  identities: RosterIdentity[];
  errors: string[];
}

function parseCsv(text: string): { rows: ParsedRow[]; fileErrors: string[] } {
  if (Buffer.byteLength(text) > MAX_ROSTER_BYTES) return { rows: [], fileErrors: [`The file is larger than ${MAX_ROSTER_BYTES / 1024 / 1024} MiB.`] };
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ""), { relax_column_count: true, skip_empty_lines: true, trim: true });
  } catch (e) {
    return { rows: [], fileErrors: [`Not a readable CSV file: ${(e as Error).message}`] };
  }
  if (!records.length) return { rows: [], fileErrors: ["The file is empty."] };
  const header = records[0].map((h) => h.toLowerCase());
  const col = (name: string) => header.indexOf(name);
  if (col("email") < 0 || col("name") < 0 || col("team") < 0) {
    return { rows: [], fileErrors: [`The first line must be the header email,name,team[,identities] (got "${records[0].join(",")}").`] };
  }
  const seen = new Map<string, number>();
  const rows = records.slice(1).map((rec, i): ParsedRow => {
    const line = i + 2;
    const get = (name: string) => (col(name) >= 0 ? (rec[col(name)] ?? "") : "");
    const email = get("email").toLowerCase();
    const errors: string[] = [];
    if (!EMAIL.safeParse(email).success) errors.push(email ? `"${email}" is not an email address` : "email is missing");
    const name = get("name");
    if (name.length > 200) errors.push("name is longer than 200 characters");
    const team = get("team").toLowerCase();
    if (!team) errors.push("team is missing");
    const { ids, errors: idErrors } = parseIdentities(get("identities"));
    errors.push(...idErrors);
    if (email && seen.has(email)) errors.push(`${email} is also on line ${seen.get(email)}`);
    else if (email) seen.set(email, line);
    return { line, email, name, team, identities: ids, errors };
  });
  return { rows, fileErrors: [] };
}

/** What applying the file would do, row by row, without writing anything. */
export async function previewRoster(text: string): Promise<RosterPreview> {
  const { rows, fileErrors } = parseCsv(text);
  const counts = { create: 0, update: 0, move: 0, unchanged: 0, invalid: 0 };
  if (fileErrors.length) return { rows: [], fileErrors, counts };
  const prisma = await db();
  const teams = new Map((await prisma.team.findMany({ where: { slug: { in: [...new Set(rows.map((r) => r.team))] } } })).map((t) => [t.slug, t]));
  const people = new Map(
    (await prisma.person.findMany({ where: { email: { in: rows.map((r) => r.email) } }, include: { team: true, identities: true } })).map((p) => [p.email, p]),
  );
  const idValues = rows.flatMap((r) => r.identities.map((i) => i.value));
  const owners = await prisma.identity.findMany({ where: { value: { in: idValues } }, include: { person: true } });
  const ownersByValue = new Map<string, typeof owners>();
  for (const o of owners) ownersByValue.set(o.value, [...(ownersByValue.get(o.value) ?? []), o]);
  const claimed = new Map<string, string>();

  const plans = rows.map((r): RowPlan => {
    const errors = [...r.errors];
    const team = teams.get(r.team);
    if (r.team && !team) errors.push(`unknown team "${r.team}" (create it under Admin → Teams first)`);
    else if (team?.archivedAt) errors.push(`team "${r.team}" is archived`);
    for (const id of r.identities) {
      const other = (ownersByValue.get(id.value) ?? []).find((o) => o.person && o.person.email !== r.email);
      if (other) errors.push(`identity ${id.value} belongs to ${other.person!.email}`);
      const inFile = claimed.get(id.value);
      if (inFile && inFile !== r.email) errors.push(`identity ${id.value} is also claimed by ${inFile} in this file`);
      claimed.set(id.value, r.email);
    }
    if (errors.length) {
      counts.invalid++;
      return { line: r.line, email: r.email, errors };
    }
    const person = people.get(r.email);
    const base = { line: r.line, email: r.email, name: r.name, team: r.team, identities: r.identities };
    if (!person) {
      counts.create++;
      return { ...base, action: "create", changes: [`new person in ${r.team}`] };
    }
    const changes: string[] = [];
    const moving = person.teamId !== team!.id;
    if (moving) changes.push(`team ${person.team?.slug ?? "(none)"} → ${r.team}`);
    if (r.name && r.name !== person.name) changes.push(`name "${person.name}" → "${r.name}"`);
    const newIds = r.identities.filter((i) => !person.identities.some((p) => p.value === i.value));
    if (newIds.length) changes.push(`+ ${newIds.map((i) => i.value).join(", ")}`);
    const action = moving ? "move" : changes.length ? "update" : "unchanged";
    counts[action]++;
    return { ...base, action, fromTeam: person.team?.slug ?? null, changes };
  });
  return { rows: plans, fileErrors, counts };
}

export interface RosterResult extends RosterPreview {
  effective: string;
}

/**
 * Applies the valid rows (invalid ones are reported and skipped) in one transaction. Moves take
 * effect at the start of `effectiveDay` (default: today) in WAKEBOARD_TZ.
 */
export async function applyRoster(text: string, opts: { actor: string; effectiveDay?: string; now?: Date }): Promise<RosterResult> {
  const tz = config().WAKEBOARD_TZ;
  const day = opts.effectiveDay ?? dayOf(opts.now ?? new Date(), tz);
  const effective = dayStart(day, tz);
  if (effective.getTime() > (opts.now ?? new Date()).getTime()) {
    return { rows: [], fileErrors: ["The effective date cannot be in the future: import the roster on the day the moves happen."], counts: { create: 0, update: 0, move: 0, unchanged: 0, invalid: 0 }, effective: day };
  }
  const preview = await previewRoster(text);
  if (preview.fileErrors.length) return { ...preview, effective: day };
  const valid = preview.rows.filter((r): r is Exclude<RowPlan, { errors: string[] }> => !isRowError(r) && r.action !== "unchanged");
  if (!valid.length) return { ...preview, effective: day };
  const prisma = await db();
  await prisma.$transaction(
    async (tx) => {
      const teams = new Map((await tx.team.findMany({ where: { slug: { in: valid.map((r) => r.team) } } })).map((t) => [t.slug, t.id]));
      for (const r of valid) {
        const teamId = teams.get(r.team)!;
        let person = await tx.person.findUnique({ where: { email: r.email } });
        if (!person) {
          person = await tx.person.create({ data: { email: r.email, name: r.name || r.email.split("@")[0], teamId, memberships: { create: { teamId, validFrom: effective } } } });
          // Telemetry may have seen this email before the roster did: claim it.
          await tx.identity.updateMany({ where: { value: r.email, personId: null }, data: { personId: person.id } });
        } else {
          if (r.name && r.name !== person.name) await tx.person.update({ where: { id: person.id }, data: { name: r.name } });
          if (r.action === "move") await moveInTx(tx, person.id, teamId, effective, opts.now);
        }
        for (const id of r.identities) {
          const existing = await tx.identity.findUnique({ where: { kind_value: { kind: id.kind, value: id.value } } });
          if (!existing) await tx.identity.create({ data: { kind: id.kind, value: id.value, personId: person.id } });
          else if (existing.personId === null) await tx.identity.update({ where: { id: existing.id }, data: { personId: person.id } });
          // Also claim the same value recorded under another kind by telemetry.
          await tx.identity.updateMany({ where: { value: id.value, personId: null }, data: { personId: person.id } });
        }
      }
      await audit(tx, opts.actor, "roster.import", { type: "roster" }, { effective: day, ...preview.counts });
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
  return { ...preview, effective: day };
}
