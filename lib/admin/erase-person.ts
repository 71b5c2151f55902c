import type { Prisma } from "@/lib/generated/prisma/client";
import { db } from "@/lib/db/client";
import { AdminError } from "@/lib/admin/errors";
import { audit } from "@/lib/admin/audit";

// Erasure of a person (`wakeboard people erase`, Admin → People). The choice, documented in
// docs/operations.md#erasure: their events are ANONYMISED, not deleted. Each event keeps its
// team, tool, model, time and counters but loses every link to the person (person_id,
// user_ref, session_id, attributes); so team totals (tokens, invocations, cost …) do not
// change, while the person no longer counts as an active user anywhere (their activity
// bitmaps are gone: past "active users" and adoption of their teams drop by one where they
// were active). Rollups are recomputed from the rollups themselves — the person's rows move
// to "no person" — because raw events past the retention window no longer exist to
// recompute from. Their person row, identities, memberships and dashboard login go; every
// mention of their email or identities in the audit log and key records is replaced by
// "[erased]". The erasure itself is audited under the person's former numeric id only.

type Tx = Prisma.TransactionClient;

export const ERASED = "[erased]";

export interface EraseResult {
  personId: number | null;
  identities: number;
  events: number;
  rollupRows: number;
  auditEntries: number;
  login: boolean;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Erases the person known by `ref` (their email or any identity value). */
export async function erasePerson(ref: string, actor: string): Promise<EraseResult> {
  const needle = ref.trim();
  if (!needle) throw new AdminError("Name the person to erase by email or identity", "ref");
  const prisma = await db();
  return prisma.$transaction(async (tx) => eraseInTx(tx, needle, actor), { timeout: 10 * 60_000, maxWait: 10_000 });
}

async function eraseInTx(tx: Tx, needle: string, actor: string): Promise<EraseResult> {
  const person =
    (await tx.person.findUnique({ where: { email: needle.toLowerCase() }, include: { identities: true } })) ??
    (await tx.identity.findFirst({ where: { value: { in: [needle, needle.toLowerCase()] }, personId: { not: null } }, include: { person: { include: { identities: true } } } }))?.person ??
    null;
  const loose = person ? [] : await tx.identity.findMany({ where: { value: { in: [needle, needle.toLowerCase()] } } });
  if (!person && loose.length === 0) throw new AdminError(`No person or identity "${needle}"`, "ref");

  // Every string that names them: email and identity values (and what was asked for).
  const names = [...new Set([needle, needle.toLowerCase(), ...(person ? [person.email, ...person.identities.map((i) => i.value)] : loose.map((i) => i.value))])];
  const personId = person?.id ?? null;
  // Strings searched for inside other text (event ids, audit details): emails and long ids
  // only — a short identity such as user.id "42" would match unrelated text.
  const distinctive = names.filter((n) => n.includes("@") || n.length >= 8);

  // Their login, if they have one, goes too — unless it is the last active admin.
  const login = person ? await tx.user.findUnique({ where: { email: person.email } }) : null;
  if (login?.role === "admin" && !login.disabledAt) {
    const admins = await tx.user.count({ where: { role: "admin", disabledAt: null } });
    if (admins <= 1) throw new AdminError("This person is the last active admin: make someone else admin first.", "ref");
  }

  // Events: unlinked and stripped of what could name them. An event id that itself contains
  // their email or an identity is replaced by a digest of it (a replay of that original id
  // after erasure would count again: documented).
  let events = await tx.$executeRaw`
    UPDATE usage_events SET person_id = NULL, user_ref = NULL, session_id = NULL, attributes = NULL,
      event_id = CASE WHEN EXISTS (SELECT 1 FROM unnest(${distinctive}::text[]) n WHERE strpos(lower(event_id), lower(n)) > 0)
                      THEN 'erased:' || md5(event_id) ELSE event_id END
    WHERE (${personId}::int IS NOT NULL AND person_id = ${personId})
       OR (person_id IS NULL AND user_ref = ANY(${names}::text[]))
       OR EXISTS (SELECT 1 FROM unnest(${distinctive}::text[]) n WHERE strpos(lower(event_id), lower(n)) > 0)`;

  let rollupRows = 0;
  if (personId !== null) {
    // Ingest queues its contributions and the aggregator adds them to these rollup rows; the
    // lock holds both off, so nothing re-adds to the person's rows between the move and the
    // delete (a waiting batch then resolves them anew).
    await tx.$executeRaw`LOCK TABLE rollup_queue, daily_usage IN SHARE ROW EXCLUSIVE MODE`;
    // Events of theirs stored while the statement above ran (ingest is held off from here on).
    events += await tx.$executeRaw`UPDATE usage_events SET person_id = NULL, user_ref = NULL, session_id = NULL, attributes = NULL WHERE person_id = ${personId}`;
    // Contributions still queued for the rollups go to "no person" like the rollup rows below.
    await tx.$executeRaw`UPDATE rollup_queue SET person_id = 0 WHERE person_id = ${personId}`;
    rollupRows = await tx.$executeRaw`
      INSERT INTO daily_usage AS d (day, team_id, person_id, tool_id, model, events, invocations, input_tokens, output_tokens,
        cache_read_tokens, cache_write_tokens, cost_usd, lines_added, lines_removed, commits, pull_requests)
      SELECT day, team_id, 0, tool_id, model, events, invocations, input_tokens, output_tokens,
        cache_read_tokens, cache_write_tokens, cost_usd, lines_added, lines_removed, commits, pull_requests
      FROM daily_usage WHERE person_id = ${personId}
      ORDER BY day, team_id, tool_id, model
      ON CONFLICT (day, team_id, person_id, tool_id, model) DO UPDATE SET
        events = d.events + excluded.events, invocations = d.invocations + excluded.invocations,
        input_tokens = d.input_tokens + excluded.input_tokens, output_tokens = d.output_tokens + excluded.output_tokens,
        cache_read_tokens = d.cache_read_tokens + excluded.cache_read_tokens, cache_write_tokens = d.cache_write_tokens + excluded.cache_write_tokens,
        cost_usd = d.cost_usd + excluded.cost_usd, lines_added = d.lines_added + excluded.lines_added,
        lines_removed = d.lines_removed + excluded.lines_removed, commits = d.commits + excluded.commits,
        pull_requests = d.pull_requests + excluded.pull_requests`;
    await tx.$executeRaw`DELETE FROM daily_usage WHERE person_id = ${personId}`;
    await tx.$executeRaw`DELETE FROM person_activity WHERE person_id = ${personId}`;
    await tx.$executeRaw`DELETE FROM person_tool_activity WHERE person_id = ${personId}`;
  }

  // GitHub outcomes (issue 16): commits and pull requests stay counted for their team,
  // without author or person.
  if (personId !== null) {
    await tx.$executeRaw`UPDATE github_commits SET person_id = NULL, author_name = ${ERASED}, author_email = ${ERASED}, author_login = NULL WHERE person_id = ${personId}`;
    await tx.$executeRaw`UPDATE github_pull_requests SET person_id = NULL, author_login = ${ERASED}, person_login = NULL WHERE person_id = ${personId}`;
  }

  const identities = await tx.$executeRaw`DELETE FROM identities WHERE value = ANY(${names}::text[]) OR (${personId}::int IS NOT NULL AND person_id = ${personId})`;
  if (personId !== null) await tx.person.delete({ where: { id: personId } }); // memberships cascade
  if (login) await tx.user.delete({ where: { id: login.id } }); // managed teams cascade

  // Mentions elsewhere: audit entries (actor, target, details) and who created a key.
  // Their full name too, where it is distinctive enough to search for ("Ada Lovelace", not "Bob").
  const fullName = person && /\S\s+\S/.test(person.name) && person.name.trim().length >= 8 ? [person.name.trim()] : [];
  const pattern = [...distinctive, ...fullName].map(escapeRegex).join("|");
  let auditEntries = 0;
  if (distinctive.length) {
    auditEntries = await tx.$executeRaw`
    UPDATE audit_log SET
      actor = regexp_replace(actor, ${pattern}, ${ERASED}, 'gi'),
      target_id = regexp_replace(target_id, ${pattern}, ${ERASED}, 'gi'),
      details = regexp_replace(details::text, ${pattern}, ${ERASED}, 'gi')::jsonb
    WHERE actor ~* ${pattern} OR target_id ~* ${pattern} OR details::text ~* ${pattern}`;
    await tx.$executeRaw`UPDATE api_keys SET created_by = regexp_replace(created_by, ${pattern}, ${ERASED}, 'gi') WHERE created_by ~* ${pattern}`;
    // Unlinked commits by their email (an author never mapped to them), co-author trailers
    // in messages, and the raw webhook payloads kept for reprocessing.
    await tx.$executeRaw`
      UPDATE github_commits SET author_name = CASE WHEN author_email ~* ${pattern} THEN ${ERASED} ELSE author_name END,
        author_email = regexp_replace(author_email, ${pattern}, ${ERASED}, 'gi'), message = regexp_replace(message, ${pattern}, ${ERASED}, 'gi')
      WHERE author_email ~* ${pattern} OR message ~* ${pattern}`;
    await tx.$executeRaw`UPDATE github_deliveries SET payload = regexp_replace(payload::text, ${pattern}, ${ERASED}, 'gi')::jsonb WHERE payload::text ~* ${pattern}`;
  }

  const result: EraseResult = { personId, identities, events, rollupRows, auditEntries, login: !!login };
  // An admin erasing themselves is recorded without their name too.
  await audit(tx, distinctive.some((n) => actor.toLowerCase().includes(n.toLowerCase())) ? ERASED : actor, "person.erase", { type: "person", id: personId }, { identities, events, rollupRows, auditEntries, login: !!login });
  return result;
}
