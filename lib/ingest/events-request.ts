import { ApiError } from "@/lib/http/errors";
import { bodyFormat, parseEventsBody, readLimited, type BodySource } from "@/lib/ingest/body";
import { ingestGrouped } from "@/lib/ingest/group-commit";
import type { IngestResult, Rejection } from "@/lib/ingest/ingest";
import type { KeyScope } from "@/lib/ingest/resolve";

// POST /api/v1/events as a function of the request's parts (DESIGN.md §4.1), so the route
// stays thin: content type → size-limited body → parse → ingest → the 200 answer, or the
// 400 / 403 when not a single event could be kept.

export interface EventsRequest {
  contentType: string | null;
  contentLength: string | null;
  body: BodySource | null;
  key: KeyScope;
}

export interface EventsAnswer {
  accepted: number;
  duplicates: number;
  rejected: Rejection[];
}

export async function handleEvents(req: EventsRequest): Promise<EventsAnswer> {
  const format = bodyFormat(req.contentType);
  const bytes = await readLimited(req.body, req.contentLength);
  const { items, unparsable } = parseEventsBody(bytes, format);
  const result: IngestResult = await ingestGrouped(items, { source: "api", key: req.key });

  // NDJSON lines that were not JSON reach ingest() as holes: say why in the line's words.
  const rejected = result.rejected.map((r) => (unparsable.has(r.index) ? { index: r.index, errors: [{ path: "", message: unparsable.get(r.index)! }] } : r));
  const answer = { accepted: result.accepted, duplicates: result.duplicates, rejected };

  if (items.length > 0 && rejected.length === items.length) {
    if (result.forbidden === items.length) {
      throw new ApiError(403, "forbidden_team", "Every event resolves to a team outside the teams this API key may report for", { rejected });
    }
    const what = items.length === 1 ? "The event is invalid" : `All ${items.length} events are invalid`;
    throw new ApiError(400, "invalid_events", `${what}; see error.details.rejected for each one's errors`, { rejected });
  }
  return answer;
}
