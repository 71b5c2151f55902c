import { db } from "@/lib/db/client";

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
