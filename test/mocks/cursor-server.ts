import { json, VendorMock, type Answer, type MockRequest } from "@/test/mocks/vendor-mock";
import { rng } from "@/lib/seed/random";

// A local Cursor Admin API for POST /teams/daily-usage-data, shaped after Cursor's reference
// (basic auth with the key as user name; startDate/endDate in epoch ms, at most 90 days; rows
// per member and day with `date` in epoch ms), paged with page/pageSize and
// `pagination.hasNextPage`. Members without activity come back with isActive false.

export interface CursorRow {
  date: number;
  isActive: boolean;
  email: string;
  totalLinesAdded: number;
  totalLinesDeleted: number;
  acceptedLinesAdded: number;
  acceptedLinesDeleted: number;
  totalApplies: number;
  totalAccepts: number;
  totalRejects: number;
  totalTabsShown: number;
  totalTabsAccepted: number;
  composerRequests: number;
  chatRequests: number;
  agentRequests: number;
  cmdkUsages: number;
  subscriptionIncludedReqs: number;
  apiKeyReqs: number;
  usageBasedReqs: number;
  bugbotUsages: number;
  mostUsedModel: string;
  applyMostUsedExtension: string;
  tabMostUsedExtension: string;
  clientVersion: string;
}

export class CursorMock extends VendorMock {
  key = "key_mock0123456789abcdef";
  /** Rows by UTC day. */
  rows = new Map<string, CursorRow[]>();
  pageSize = 4;

  constructor() {
    super((req) => this.answer(req));
  }

  private answer(req: MockRequest): Answer {
    if (req.path !== "/teams/daily-usage-data" || req.method !== "POST") return json(404, { error: "Not found" });
    if (req.headers.authorization !== `Basic ${Buffer.from(`${this.key}:`).toString("base64")}`) return json(401, { error: "Unauthorized", message: "Invalid API key" });
    let body: { startDate?: number; endDate?: number; page?: number; pageSize?: number };
    try {
      body = JSON.parse(req.body);
    } catch {
      return json(400, { error: "Bad Request", message: "Invalid JSON body" });
    }
    if (typeof body.startDate !== "number" || typeof body.endDate !== "number") return json(400, { error: "Bad Request", message: "startDate and endDate are required" });
    if (body.endDate - body.startDate > 90 * 86_400_000) return json(400, { error: "Bad Request", message: "Date range cannot exceed 90 days" });
    const all = [...this.rows.values()].flat().filter((r) => r.date >= body.startDate! && r.date <= body.endDate!);
    const size = Math.min(body.pageSize ?? 100, this.pageSize);
    const page = body.page ?? 1;
    const data = all.slice((page - 1) * size, page * size);
    const totalPages = Math.max(1, Math.ceil(all.length / size));
    return json(200, {
      data,
      period: { startDate: body.startDate, endDate: body.endDate },
      pagination: { page, pageSize: size, totalUsers: all.length, totalPages, hasNextPage: page < totalPages, hasPreviousPage: page > 1 },
    });
  }
}

export const CURSOR_PEOPLE = [
  { email: "noor@acme.test", team: "payments" },
  { email: "emil@acme.test", team: "search" },
  { email: "sana@acme.test", team: "search" },
  { email: "ravi@acme.test", team: "infra" },
];

export function cursorRow(r: () => number, day: string, email: string, active = true): CursorRow {
  const n = (max: number) => (active ? Math.floor(r() * max) : 0);
  const shown = n(400);
  return {
    date: Date.parse(`${day}T00:00:00Z`),
    isActive: active,
    email,
    totalLinesAdded: n(2000),
    totalLinesDeleted: n(800),
    acceptedLinesAdded: n(900),
    acceptedLinesDeleted: n(300),
    totalApplies: n(30),
    totalAccepts: n(25),
    totalRejects: n(6),
    totalTabsShown: shown,
    totalTabsAccepted: Math.floor(shown * (active ? r() : 0) * 0.5),
    composerRequests: n(40),
    chatRequests: n(20),
    agentRequests: n(30),
    cmdkUsages: n(10),
    subscriptionIncludedReqs: n(50),
    apiKeyReqs: 0,
    usageBasedReqs: n(5),
    bugbotUsages: 0,
    mostUsedModel: active ? (r() < 0.5 ? "claude-4-sonnet" : "gpt-5") : "",
    applyMostUsedExtension: "ts",
    tabMostUsedExtension: "ts",
    clientVersion: "1.7.2",
  };
}

export function cursorFixture(days: string[], seed = 33): Map<string, CursorRow[]> {
  const r = rng(seed);
  return new Map(days.map((day) => [day, CURSOR_PEOPLE.map((p) => cursorRow(r, day, p.email, r() < 0.8))]));
}

/** The fixture's own sums per (team, day) of active rows. */
export function cursorExpected(rows: Map<string, CursorRow[]>) {
  const out = new Map<string, Record<string, number>>();
  for (const [day, list] of rows) {
    for (const x of list.filter((y) => y.isActive)) {
      const key = `${CURSOR_PEOPLE.find((p) => p.email === x.email)?.team ?? "unassigned"}|${day}`;
      const t = out.get(key) ?? { invocations: 0, lines_added: 0, lines_removed: 0 };
      t.invocations += x.composerRequests + x.chatRequests + x.agentRequests + x.cmdkUsages;
      t.lines_added += x.acceptedLinesAdded;
      t.lines_removed += x.acceptedLinesDeleted;
      out.set(key, t);
    }
  }
  return out;
}
