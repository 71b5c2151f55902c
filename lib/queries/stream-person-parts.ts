import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import type { Period } from "@/lib/time/period";
import { aggregateUsage, type AggregateRow } from "@/lib/queries/aggregate-usage";
import type { LeaderboardRow } from "@/lib/queries/get-leaderboard";
import { hasUsage, ZERO, type Sums } from "@/lib/queries/metrics";
import { peopleAccess, type PeopleAccess, type PeopleViewer } from "@/lib/queries/people-access";
import { competitionRank, rankChange } from "@/lib/queries/rank";

// The person grain for an org of any size (the weekly export, DESIGN.md §8): the per-person
// figures of each leaderboard row, read a batch of teams at a time, so memory is bounded by
// a batch rather than by the org. Within a team, people are ranked by tokens ("1, 2, 2, 4",
// ties by email) against the same ranking for the previous period. Permission and the
// privacy floor are checked here, as in `getPeopleParts`, so no caller can forget them.

export interface PersonPart extends Sums {
  /** null: usage reported without a known person (never ranked). */
  person: { id: number; email: string; name: string } | null;
  rank: number | null;
  previousRank: number | null;
  rankChange: number | null;
}

export interface TeamPersonParts {
  row: LeaderboardRow;
  access: PeopleAccess;
  /** Ranked people, then unattributed usage; empty unless access is "ok". */
  parts: PersonPart[];
}

export interface StreamPersonPartsOptions {
  /** The rows of a "teams" view leaderboard (each row is one team's own events). */
  rows: LeaderboardRow[];
  period: Period;
  previous: Period;
  viewer: PeopleViewer | null | undefined;
  /** Rough upper bound of rollup sums read per query (default 5,000 people-weeks). */
  batchSize?: number;
}

export async function* streamPersonParts(opts: StreamPersonPartsOptions): AsyncGenerator<TeamPersonParts> {
  const min = config().WAKEBOARD_MIN_GROUP;
  const limit = opts.batchSize ?? 5000;
  let batch: LeaderboardRow[] = [];
  let size = 0;
  const flush = async function* () {
    if (batch.length) yield* readBatch(batch, opts);
    batch = [];
    size = 0;
  };
  for (const row of opts.rows) {
    const access = peopleAccess(opts.viewer, row.teamId, row.activeUsers, min);
    if (access !== "ok") {
      yield* flush();
      yield { row, access, parts: [] };
      continue;
    }
    // A team's people this period and last, plus one row of unattributed usage per period.
    const weight = row.activeUsers + row.previous.activeUsers + 2;
    if (size + weight > limit) yield* flush();
    batch.push(row);
    size += weight;
  }
  yield* flush();
}

async function* readBatch(rows: LeaderboardRow[], opts: StreamPersonPartsOptions): AsyncGenerator<TeamPersonParts> {
  const sums = await aggregateUsage({
    windows: [opts.period, opts.previous],
    units: rows.map((r) => [r.teamId, r.teamId] as const),
    by: ["person"],
  });
  const ids = [...new Set(sums.flatMap((s) => (s.window === 0 && s.personId ? [s.personId] : [])))];
  const people = ids.length ? await (await db()).person.findMany({ where: { id: { in: ids } }, select: { id: true, email: true, name: true } }) : [];
  const personById = new Map(people.map((p) => [p.id, p]));
  const byTeam = new Map<number, AggregateRow[]>();
  for (const s of sums) byTeam.set(s.unitId, [...(byTeam.get(s.unitId) ?? []), s]);
  for (const row of rows) yield { row, access: "ok", parts: rankPeople(byTeam.get(row.teamId) ?? [], personById) };
}

function rankPeople(sums: AggregateRow[], personById: Map<number, { id: number; email: string; name: string }>): PersonPart[] {
  const cur = sums.filter((s) => s.window === 0);
  const prev = new Map(sums.filter((s) => s.window === 1 && s.personId && hasUsage(s)).map((s) => [s.personId!, s.tokens]));
  const known = cur.filter((s) => s.personId && personById.has(s.personId));
  const key = (s: AggregateRow) => personById.get(s.personId!)!.email;
  const before = new Map(
    competitionRank([...prev].map(([id, tokens]) => ({ slug: String(id), value: tokens }))).map((r) => [Number(r.slug), r.rank]),
  );
  const ranked: PersonPart[] = competitionRank(known.map((s) => ({ slug: key(s), value: s.tokens, s }))).map(({ rank, s }) => {
    const previousRank = before.get(s.personId!) ?? null;
    return { ...sumsOnly(s), person: personById.get(s.personId!)!, rank, previousRank, rankChange: rankChange(rank, previousRank) };
  });
  const unattributed = cur.filter((s) => !s.personId || !personById.has(s.personId));
  if (unattributed.length) {
    const total = unattributed.reduce<Sums>((acc, s) => addSums(acc, sumsOnly(s)), ZERO);
    ranked.push({ ...total, person: null, rank: null, previousRank: null, rankChange: null });
  }
  return ranked;
}

function sumsOnly(r: AggregateRow): Sums {
  const { window: _w, unitId: _u, toolId: _t, model: _m, personId: _p, bucket: _b, ...sums } = r;
  return sums;
}

function addSums(a: Sums, b: Sums): Sums {
  const out = { ...a };
  for (const k of Object.keys(b) as (keyof Sums)[]) out[k] = a[k] + b[k];
  return out;
}
