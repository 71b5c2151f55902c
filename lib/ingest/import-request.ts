import { ApiError, isDatabaseUnavailable } from "@/lib/http/errors";
import type { BodySource } from "@/lib/ingest/body";
import { importEvents, importFormat, type ImportReport } from "@/lib/ingest/import-stream";
import type { KeyScope } from "@/lib/ingest/resolve";

// POST /api/v1/import (DESIGN.md §4.3) as a function of the request's parts. The body is
// streamed through importEvents(); when the database goes away mid-way the 503 says how
// far the import got (earlier chunks are committed; re-sending the file completes it).

export interface ImportRequest {
  contentType: string | null;
  /** ?format=csv|jsonl overrides the Content-Type. */
  format: string | null;
  body: BodySource | null;
  key: KeyScope | null;
}

export async function handleImport(req: ImportRequest): Promise<ImportReport> {
  const format = importFormat(req.format ? `x.${req.format}` : req.contentType);
  if (!format) {
    throw new ApiError(415, "unsupported_media_type", "Send JSONL as application/x-ndjson or CSV as text/csv (or add ?format=jsonl|csv)");
  }
  if (!req.body) throw new ApiError(400, "malformed_body", "The body is empty: send the file's contents");
  let committed: ImportReport | undefined;
  try {
    return await importEvents(req.body as unknown as AsyncIterable<Uint8Array>, format, {
      key: req.key,
      onChunk: (r) => (committed = { ...r, rejectedLines: [] }),
    });
  } catch (e) {
    if (!isDatabaseUnavailable(e) || !committed) throw e;
    throw new ApiError(
      503,
      "database_unavailable",
      `The database became unavailable after ${committed.lines} lines were stored; send the file again to finish (stored events count as duplicates)`,
      { committed },
      { "retry-after": "5" },
    );
  }
}
