import { createHmac } from "node:crypto";
import { json, VendorMock, type Answer, type MockRequest } from "@/test/mocks/vendor-mock";

// A local GitHub for the Copilot usage metrics reports, shaped after GitHub's REST reference
// ("Copilot usage metrics": users-1-day and user-teams-1-day for orgs/ and enterprises/) and
// the NDJSON example schema. The report endpoints answer signed, expiring download links;
// each day's users are split over several files (the report's paging). Tests change the
// data (`users`, `teams`) between pulls to play a revision, and can expire the next links.

export interface CopilotFeatureTotals {
  feature: string;
  user_initiated_interaction_count: number;
  code_generation_activity_count: number;
  code_acceptance_activity_count: number;
  loc_suggested_to_add_sum: number;
  loc_suggested_to_delete_sum: number;
  loc_added_sum: number;
  loc_deleted_sum: number;
}

export interface CopilotUserRow extends Omit<CopilotFeatureTotals, "feature"> {
  day: string;
  enterprise_id: string;
  organization_id?: string;
  user_id: number;
  user_login: string;
  used_agent: boolean;
  used_chat: boolean;
  used_cli: boolean;
  totals_by_feature: CopilotFeatureTotals[];
  totals_by_ide: Record<string, unknown>[];
  totals_by_language_feature: Record<string, unknown>[];
  totals_by_language_model: Record<string, unknown>[];
  totals_by_model_feature: { model: string; feature: string; [k: string]: unknown }[];
  totals_by_cli?: {
    session_count: number;
    request_count: number;
    prompt_count: number;
    token_usage: { output_tokens_sum: number; prompt_tokens_sum: number; avg_tokens_per_request: number };
  };
}

export interface CopilotTeamRow {
  user_id: number;
  user_login: string;
  day: string;
  organization_id: string;
  team_id: number;
  slug: string;
}

const SIGNING = "mock-signing-key";

export class CopilotMock extends VendorMock {
  token = "ghp_mockToken0123456789";
  /** Rows of users-1-day by day. */
  users = new Map<string, CopilotUserRow[]>();
  teams = new Map<string, CopilotTeamRow[]>();
  /** Users per NDJSON file (the report's pages). */
  rowsPerFile = 3;
  /** The next N downloads answer as an expired signed link does. */
  expireNextDownloads = 0;

  constructor() {
    super((req) => this.answer(req));
  }

  private answer(req: MockRequest): Answer {
    const m = /^\/(orgs|enterprises)\/([^/]+)\/copilot\/metrics\/reports\/(users-1-day|user-teams-1-day)$/.exec(req.path);
    if (m) {
      if (req.headers.authorization !== `Bearer ${this.token}`) return json(401, { message: "Bad credentials", documentation_url: "https://docs.github.com/rest", status: "401" });
      const day = req.query.get("day") ?? "";
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return json(422, { message: "Invalid request.\n\nday is not a valid date.", status: "422" });
      const rows = (m[3] === "users-1-day" ? this.users.get(day) : this.teams.get(day)) ?? [];
      const files = Math.ceil(rows.length / this.rowsPerFile);
      const exp = Date.now() + 3_600_000;
      const links = Array.from({ length: files }, (_, i) => {
        const path = `/download/${m[1]}/${m[2]}/${m[3]}/${day}/part-${i}.ndjson`;
        const sig = createHmac("sha256", SIGNING).update(`${path}${exp}`).digest("hex");
        return `${this.url}${path}?se=${exp}&sig=${sig}`;
      });
      return json(200, { download_links: links, report_day: day });
    }
    const f = /^\/download\/(orgs|enterprises)\/([^/]+)\/(users-1-day|user-teams-1-day)\/(\d{4}-\d{2}-\d{2})\/part-(\d+)\.ndjson$/.exec(req.path);
    if (f) {
      const exp = Number(req.query.get("se"));
      const sig = createHmac("sha256", SIGNING).update(`${req.path}${exp}`).digest("hex");
      if (req.headers.authorization) return { status: 400, body: "<Error><Code>InvalidAuthenticationInfo</Code></Error>", headers: { "content-type": "application/xml" } };
      if (this.expireNextDownloads > 0 || sig !== req.query.get("sig") || exp < Date.now()) {
        if (this.expireNextDownloads > 0) this.expireNextDownloads--;
        return { status: 403, body: "<Error><Code>AuthenticationFailed</Code><Message>Signed expiry time has passed</Message></Error>", headers: { "content-type": "application/xml" } };
      }
      const rows = ((f[3] === "users-1-day" ? this.users.get(f[4]) : this.teams.get(f[4])) ?? []) as unknown[];
      const part = Number(f[5]);
      const slice = rows.slice(part * this.rowsPerFile, (part + 1) * this.rowsPerFile);
      return { status: 200, body: slice.map((r) => JSON.stringify(r)).join("\n") + (slice.length ? "\n" : ""), headers: { "content-type": "application/x-ndjson" } };
    }
    return json(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" });
  }
}
