import { parse } from "csv-parse/sync";
import { textProblem } from "@/lib/text/safe-text";
import { z } from "zod";

// Parsing a roster CSV (`email,name,team[,identities]`) into rows with their own errors;
// checks against the database happen in lib/admin/roster.ts.

export const MAX_ROSTER_BYTES = 2 * 1024 * 1024;
const EMAIL = z.email();

export interface RosterIdentity {
  kind: string;
  value: string;
}

/** `kind:value` or a bare value (an email, else an alias), separated by `;` or spaces. */
function parseIdentities(cell: string): { ids: RosterIdentity[]; errors: string[] } {
  const ids: RosterIdentity[] = [];
  const errors: string[] = [];
  for (const token of cell.split(/[;\s]+/).filter(Boolean)) {
    const m = /^([a-z][a-z0-9._-]{0,63}):(.+)$/i.exec(token);
    const id = m ? { kind: m[1].toLowerCase(), value: m[2] } : { kind: token.includes("@") ? "user.email" : "alias", value: token };
    if (id.value.length > 256) errors.push(`identity "${token.slice(0, 40)}…" is longer than 256 characters`);
    else if (textProblem(id.value)) errors.push(`an identity ${textProblem(id.value)}`);
    else {
      const norm = id.kind === "user.email" ? { ...id, value: id.value.toLowerCase() } : id;
      if (!ids.some((i) => i.kind === norm.kind && i.value === norm.value)) ids.push(norm);
    }
  }
  return { ids, errors };
}

export interface ParsedRow {
  line: number;
  email: string;
  name: string;
  team: string;
  identities: RosterIdentity[];
  errors: string[];
}

export function parseRosterCsv(text: string): { rows: ParsedRow[]; fileErrors: string[] } {
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
    const nameProblem = textProblem(name);
    if (nameProblem) errors.push(`name ${nameProblem}`);
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

