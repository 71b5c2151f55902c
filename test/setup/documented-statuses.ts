import { afterAll, expect } from "vitest";

// Every test file ends by checking that each answer its requests got through route() — which
// counts them by endpoint, method and status for /api/metrics — is described in the OpenAPI
// document. So the contract tests (and the role matrix) prove the description complete: a
// status they observe that the document lacks fails the file that observed it.

afterAll(async () => {
  const store = globalThis as unknown as { __wakeboardMetrics?: { requests: { get(): Promise<{ values: { labels: Record<string, string | number>; value: number }[] }> } } };
  if (!store.__wakeboardMetrics) return;
  const { isDocumented } = await import("@/lib/openapi/documented");
  const seen = (await store.__wakeboardMetrics.requests.get()).values.filter((v) => v.value > 0 && v.labels.endpoint !== "other");
  const missing = seen.map((v) => `${v.labels.method} ${v.labels.endpoint} → ${v.labels.status}`).filter((s, i) => {
    const v = seen[i];
    return !isDocumented(String(v.labels.endpoint), String(v.labels.method), Number(v.labels.status));
  });
  expect(missing, "answers observed by this file's requests but missing from lib/openapi/operations.ts").toEqual([]);
});
