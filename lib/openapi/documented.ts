import { OPERATIONS } from "@/lib/openapi/operations";

// Whether the description covers an answer the API gave: used by the tests, which check every
// (endpoint, method, status) their requests saw (test/setup/documented-statuses.ts).

const byEndpoint = (endpoint: string) => (endpoint === "/api/auth/*" ? "/api/auth/{nextauth}" : endpoint);

export function isDocumented(endpoint: string, method: string, status: number): boolean {
  const m = method.toLowerCase();
  const op = OPERATIONS.find((o) => o.path === byEndpoint(endpoint) && o.method === m);
  return !!op && status in op.responses;
}
