import { rng, pick } from "@/lib/seed/random";

// The demo org's shape: groups, teams and people, generated from a fixed seed.

const GROUPS: [string, string, string[]][] = [
  ["platform", "Platform", ["infra", "developer-experience", "observability", "build-systems", "networking", "storage"]],
  ["product", "Product Engineering", ["checkout", "search", "catalog", "growth", "onboarding", "notifications", "accounts"]],
  ["data", "Data & ML", ["data-platform", "ml-infra", "analytics", "recommendations", "experimentation", "forecasting"]],
  ["mobile", "Mobile", ["ios", "android", "mobile-platform", "react-native", "app-performance", "release-eng"]],
  ["security", "Security", ["appsec", "identity", "detection", "compliance-eng", "secrets", "red-team"]],
  ["payments", "Payments", ["billing", "ledger", "payouts", "fraud", "pricing", "tax", "invoicing"]],
  ["enterprise", "Enterprise", ["admin-console", "integrations", "sso", "audit", "data-residency", "support-tools"]],
];

const FIRST = ["Ada", "Ben", "Chen", "Dana", "Eli", "Farah", "Gus", "Hana", "Ivan", "Jia", "Kofi", "Lena", "Mateo", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tara", "Uma", "Victor", "Wen", "Ximena", "Yusuf", "Zoe", "Aiko", "Bruno", "Chloe", "Dmitri", "Esme", "Femi", "Greta", "Hugo", "Ines", "Jonas", "Kira", "Luca", "Maya", "Noor"];
const LAST = ["Abara", "Berg", "Costa", "Diaz", "Eriksen", "Fischer", "Garcia", "Haddad", "Ito", "Jensen", "Kim", "Larsen", "Moreau", "Nakamura", "Okafor", "Petrov", "Quist", "Rossi", "Singh", "Tanaka", "Ueda", "Vargas", "Weber", "Xu", "Yilmaz", "Zhang", "Adeyemi", "Novak", "Silva", "Horvat"];

export interface DemoTeam {
  slug: string;
  name: string;
  parent: string | null;
  /** 0 = never adopts (a team with no usage); else how fast adoption rises. */
  speed: number;
  preferred: string;
}

export interface DemoPerson {
  email: string;
  name: string;
  team: string;
  /** Team before a reorg `movedDaysAgo` days ago, when any. */
  previousTeam?: string;
  movedDaysAgo?: number;
  /** Day index (0..days-1) from which the person uses agents, or Infinity. */
  adoptsOn: number;
  intensity: number;
  tools: string[];
}

const SPELLING: Record<string, string> = { ios: "iOS", ml: "ML", sso: "SSO", eng: "Eng", appsec: "AppSec" };
const titled = (slug: string) => slug.split("-").map((w) => SPELLING[w] ?? w[0].toUpperCase() + w.slice(1)).join(" ");

export const TOOLS = ["claude-code", "gemini-cli", "codex", "copilot"] as const;

export function demoOrg(days: number, seed = 20261129): { teams: DemoTeam[]; people: DemoPerson[] } {
  const r = rng(seed);
  const teams: DemoTeam[] = [{ slug: "acme", name: "Acme Corp", parent: null, speed: 0, preferred: "claude-code" }];
  for (const [slug, name, subs] of GROUPS) {
    teams.push({ slug, name, parent: "acme", speed: 0, preferred: "claude-code" });
    for (const sub of subs) {
      const silent = ["red-team", "tax", "data-residency"].includes(sub); // teams with no usage at all
      teams.push({ slug: sub, name: titled(sub), parent: slug, speed: silent ? 0 : 0.3 + r() * 1.7, preferred: pick(r, TOOLS) });
    }
  }
  const leafTeams = teams.filter((t) => t.parent && t.parent !== "acme");
  const people: DemoPerson[] = [];
  const used = new Set<string>();
  for (const team of leafTeams) {
    const size = 10 + Math.floor(r() * 9);
    for (let i = 0; i < size; i++) {
      let first: string, last: string, email: string;
      do {
        first = pick(r, FIRST);
        last = pick(r, LAST);
        email = `${first}.${last}`.toLowerCase() + (used.has(`${first}.${last}`.toLowerCase()) ? `${people.length}` : "") + "@acme.example";
      } while (used.has(email));
      used.add(email);
      used.add(`${first}.${last}`.toLowerCase());
      // Adoption: a share of the team starts over the period, earlier in faster teams.
      const willAdopt = team.speed > 0 && r() < Math.min(0.95, 0.35 + team.speed * 0.35);
      const adoptsOn = willAdopt ? Math.floor(Math.pow(r(), team.speed) * days * 0.9) : Infinity;
      const power = i < 2 && r() < 0.8; // one or two power users per team
      const tools = [team.preferred];
      if (r() < 0.35) tools.push(pick(r, TOOLS.filter((t) => t !== team.preferred)));
      people.push({ email, name: `${first} ${last}`, team: team.slug, adoptsOn, intensity: power ? 4 + r() * 4 : 0.4 + r() * 1.2, tools });
    }
  }
  // A small reorg a month ago: a few people changed teams, and their history stays put.
  for (let i = 0; i < 8; i++) {
    const p = people[Math.floor(r() * people.length)];
    const target = pick(r, leafTeams.filter((t) => t.slug !== p.team && t.speed > 0));
    if (p.previousTeam) continue;
    p.previousTeam = p.team;
    p.team = target.slug;
    p.movedDaysAgo = 30;
  }
  return { teams, people };
}
