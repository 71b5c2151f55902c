// The `endpoint` label of the request metrics: the route pattern, never the raw path (a team
// slug or a next-auth path in a label would grow the series without bound).

const PATTERNS: [RegExp, string][] = [
  [/^\/api\/v1\/teams\/[^/]+\/trend$/, "/api/v1/teams/{slug}/trend"],
  [/^\/api\/auth(\/.*)?$/, "/api/auth/*"],
];

/** The route pattern of an API path; unknown paths share one label. */
export function endpointLabel(pathname: string): string {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
  for (const [re, label] of PATTERNS) if (re.test(path)) return label;
  return KNOWN.has(path) ? path : "other";
}

const KNOWN = new Set([
  "/api/health",
  "/api/metrics",
  "/api/v1/events",
  "/api/v1/import",
  "/api/v1/otlp/v1/metrics",
  "/api/v1/otlp/v1/logs",
  "/api/v1/otlp/v1/traces",
  "/api/v1/leaderboard",
  "/api/v1/exports/weekly.csv",
  "/api/v1/admin/audit",
  "/api/v1/admin/roster",
  "/api/v1/github/webhook",
  "/api/v1/digest",
  "/api/v1/openapi.json",
]);
