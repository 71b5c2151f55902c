// `next dev` only: start the rollup aggregator in the dev server's process, so events sent
// to it reach the dashboard. In production `npm start` (scripts/start.ts) starts it.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.NODE_ENV === "development") {
    const { ensureAggregator } = await import("@/lib/rollups/aggregator");
    ensureAggregator();
  }
}
