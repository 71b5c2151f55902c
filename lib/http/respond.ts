import { ApiError } from "@/lib/http/errors";

// Answers as plain data (status, headers, body), so the Next routes and the fast lane
// (lib/http/fast-lane.ts, node:http) send byte-identical responses; `toResponse` makes a
// Web Response of one for Next.

export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

export function jsonReply(body: unknown, status = 200, headers: Record<string, string> = {}): Reply {
  return { status, headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers }, body: JSON.stringify(body) };
}

export function errorReply(error: ApiError, requestId?: string): Reply {
  const body = { error: { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) } };
  return jsonReply(body, error.status, { ...(error.headers ?? {}), ...(requestId ? { "x-request-id": requestId } : {}) });
}

export function toResponse(reply: Reply): Response {
  return new Response(reply.body as BodyInit, { status: reply.status, headers: reply.headers });
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return toResponse(jsonReply(body, status, headers));
}

export function errorResponse(error: ApiError, requestId?: string): Response {
  return toResponse(errorReply(error, requestId));
}
