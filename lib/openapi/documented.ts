import { OPERATIONS } from "@/lib/openapi/operations";

// Whether the description covers an answer the API gave: used by the tests, which check every
// (endpoint, method, status) their requests saw (test/setup/documented-statuses.ts).

const byEndpoint = (endpoint: string) => (endpoint === "/api/auth/*" ? "/api/auth/{nextauth}" : endpoint);

export function isDocumented(endpoint: string, method: string, status: number): boolean {
  const m = method.toLowerCase();
  // A method a documented path does not serve answers 405 with the error envelope
  // (methodsNotAllowed in lib/http/route.ts): the method is simply not in the description.
  if (status === 405 && OPERATIONS.some((o) => o.path === byEndpoint(endpoint) && o.method !== m)) return true;
  const op = OPERATIONS.find((o) => o.path === byEndpoint(endpoint) && o.method === m);
  return !!op && status in op.responses;
}
