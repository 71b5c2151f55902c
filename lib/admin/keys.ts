import { db } from "@/lib/db/client";
import { assertSafeText } from "@/lib/text/safe-text";
import { createKey, type CreatedKey, type Scope } from "@/lib/keys/api-keys";
import { AdminError } from "@/lib/admin/errors";

// The API keys table for the admin page: never the secret or its hash.

export interface AdminKey {
  id: number;
  name: string;
  prefix: string;
  scopes: string[];
  team: string | null;
  createdBy: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export async function listKeys(): Promise<AdminKey[]> {
  const keys = await (await db()).apiKey.findMany({ include: { team: true }, orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }] });
  return keys.map((k) => ({ id: k.id, name: k.name, prefix: k.prefix, scopes: k.scopes, team: k.team?.slug ?? null, createdBy: k.createdBy, createdAt: k.createdAt, lastUsedAt: k.lastUsedAt, revokedAt: k.revokedAt }));
}

/** Creates a key from the admin page: the team is given by slug and must exist. */
export async function createAdminKey(input: { name: string; scopes: Scope[]; team: string }, actor: string): Promise<CreatedKey> {
  assertSafeText(input.name, "name", (m) => new AdminError(m, "name"));
  let teamId: number | null = null;
  if (input.team) {
    const row = await (await db()).team.findUnique({ where: { slug: input.team } });
    if (!row) throw new AdminError(`Unknown team "${input.team}".`, "team");
    teamId = row.id;
  }
  return createKey({ name: input.name, scopes: [...new Set(input.scopes)], teamId, actor });
}
