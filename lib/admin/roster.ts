import { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db/client";
import { config } from "@/lib/config";
import { dayOf, dayStart } from "@/lib/time/calendar";
import { audit } from "@/lib/admin/audit";
import { parseRosterCsv, type RosterIdentity } from "@/lib/admin/roster-csv";

export { MAX_ROSTER_BYTES } from "@/lib/admin/roster-csv";

// Roster import: CSV `email,name,team[,identities]`. Preview first (what each row would do,
// and why a row is refused), then apply the valid rows in one transaction. Applying the same
// file twice changes nothing; a team change closes the old membership at the effective date
// and opens a new one, so usage before that date stays with the old team.

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

/**
 * What applying the file would do, row by row, without writing anything. With `effective`, a
 * move dated before the person's current membership began is a row error.
 */
export async function previewRoster(text: string, opts: { effective?: Date } = {}): Promise<RosterPreview> {
  const { rows, fileErrors } = parseRosterCsv(text);
  const counts = { create: 0, update: 0, move: 0, unchanged: 0, invalid: 0 };
  if (fileErrors.length) return { rows: [], fileErrors, counts };
  const prisma = await db();
  const teams = new Map((await prisma.team.findMany({ where: { slug: { in: [...new Set(rows.map((r) => r.team))] } } })).map((t) => [t.slug, t]));
  const people = new Map(
    (await prisma.person.findMany({ where: { email: { in: rows.map((r) => r.email) } }, include: { team: true, identities: true, memberships: { orderBy: { validFrom: "desc" }, take: 1 } } })).map((p) => [
      p.email,
      p,
    ]),
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
    const since = person.memberships[0]?.validFrom;
    if (moving && opts.effective && since && since > opts.effective) {
      counts.invalid++;
      return { line: r.line, email: r.email, errors: [`the move is dated before ${r.email}'s current membership began (${since.toISOString().slice(0, 10)})`] };
    }
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
 * Applies the valid rows (invalid ones are reported and skipped) in one transaction, with a few
 * set-based statements whatever the file's size. Moves and new members take effect at the start
 * of `effectiveDay` (default: today) in WAKEBOARD_TZ, which cannot be in the future.
 */
export async function applyRoster(text: string, opts: { actor: string; effectiveDay?: string; now?: Date }): Promise<RosterResult> {
  const tz = config().WAKEBOARD_TZ;
  const now = opts.now ?? new Date();
  const day = opts.effectiveDay ?? dayOf(now, tz);
  const effective = dayStart(day, tz);
  if (effective > now) {
    const counts = { create: 0, update: 0, move: 0, unchanged: 0, invalid: 0 };
    return { rows: [], fileErrors: ["The effective date cannot be in the future: import the roster on the day the moves happen."], counts, effective: day };
  }
  const preview = await previewRoster(text, { effective });
  const valid = preview.rows.filter((r): r is Exclude<RowPlan, { errors: string[] }> => !isRowError(r) && r.action !== "unchanged");
  if (preview.fileErrors.length || !valid.length) return { ...preview, effective: day };

  const prisma = await db();
  await prisma.$transaction(
    async (tx) => {
      const teamIds = new Map((await tx.team.findMany({ where: { slug: { in: [...new Set(valid.map((r) => r.team))] } } })).map((t) => [t.slug, t.id]));
      const creates = valid.filter((r) => r.action === "create");
      const others = valid.filter((r) => r.action !== "create");
      const emails = (rows: typeof valid) => rows.map((r) => r.email);
      const teamsOf = (rows: typeof valid) => rows.map((r) => teamIds.get(r.team)!);

      if (creates.length) {
        await tx.$executeRaw`
          INSERT INTO people (email, name, team_id)
          SELECT * FROM unnest(${emails(creates)}::text[], ${creates.map((r) => r.name || r.email.split("@")[0])}::text[], ${teamsOf(creates)}::int[])
          ON CONFLICT (email) DO NOTHING`;
        await tx.$executeRaw`
          INSERT INTO memberships (person_id, team_id, valid_from)
          SELECT p.id, p.team_id, ${effective} FROM people p WHERE p.email = ANY(${emails(creates)}::text[])
            AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.person_id = p.id)`;
        // Telemetry may have seen these emails before the roster did: claim them.
        await tx.$executeRaw`
          UPDATE identities i SET person_id = p.id FROM people p
          WHERE i.value = p.email AND i.person_id IS NULL AND p.email = ANY(${emails(creates)}::text[])`;
      }
      const renamed = others.filter((r) => r.name);
      if (renamed.length) {
        await tx.$executeRaw`
          UPDATE people p SET name = v.name FROM unnest(${emails(renamed)}::text[], ${renamed.map((r) => r.name)}::text[]) AS v(email, name)
          WHERE p.email = v.email AND p.name <> v.name`;
      }
      const moves = others.filter((r) => r.action === "move");
      if (moves.length) {
        // Close the open membership at the effective instant (drop it if it began then), open the new one.
        await tx.$executeRaw`
          DELETE FROM memberships m USING people p
          WHERE m.person_id = p.id AND p.email = ANY(${emails(moves)}::text[]) AND m.valid_to IS NULL AND m.valid_from = ${effective}`;
        await tx.$executeRaw`
          UPDATE memberships m SET valid_to = ${effective} FROM people p
          WHERE m.person_id = p.id AND p.email = ANY(${emails(moves)}::text[]) AND m.valid_to IS NULL`;
        await tx.$executeRaw`
          INSERT INTO memberships (person_id, team_id, valid_from)
          SELECT p.id, v.team_id, ${effective} FROM unnest(${emails(moves)}::text[], ${teamsOf(moves)}::int[]) AS v(email, team_id)
          JOIN people p ON p.email = v.email`;
        await tx.$executeRaw`
          UPDATE people p SET team_id = v.team_id FROM unnest(${emails(moves)}::text[], ${teamsOf(moves)}::int[]) AS v(email, team_id)
          WHERE p.email = v.email`;
      }
      const ids = valid.flatMap((r) => r.identities.map((i) => ({ ...i, email: r.email })));
      if (ids.length) {
        const kinds = ids.map((i) => i.kind);
        const values = ids.map((i) => i.value);
        const owners = ids.map((i) => i.email);
        await tx.$executeRaw`
          INSERT INTO identities (kind, value, person_id)
          SELECT v.kind, v.value, p.id FROM unnest(${kinds}::text[], ${values}::text[], ${owners}::text[]) AS v(kind, value, email)
          JOIN people p ON p.email = v.email
          ON CONFLICT (kind, value) DO UPDATE SET person_id = EXCLUDED.person_id WHERE identities.person_id IS NULL`;
        // Also claim the same value recorded under another kind by telemetry.
        await tx.$executeRaw`
          UPDATE identities i SET person_id = p.id FROM unnest(${values}::text[], ${owners}::text[]) AS v(value, email)
          JOIN people p ON p.email = v.email
          WHERE i.value = v.value AND i.person_id IS NULL`;
      }
      await audit(tx, opts.actor, "roster.import", { type: "roster" }, { effective: day, ...preview.counts } as Prisma.InputJsonObject);
    },
    { timeout: 120_000, maxWait: 10_000 },
  );
  return { ...preview, effective: day };
}
