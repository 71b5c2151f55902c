import http from "node:http";
import type { AddressInfo } from "node:net";

// The common part of the vendor mock servers (test/mocks/*-server.ts): a real HTTP server on
// 127.0.0.1 with a request log, a queue of injected faults (429 + Retry-After, 5xx) and
// holds (a request that gets no answer until released — a run to kill mid-way). Each vendor
// mock adds its routes and the shapes of the vendor's published API reference.

export interface Fault {
  status: number;
  retryAfter?: string;
  /** Which requests it applies to (default: any). */
  match?: (path: string) => boolean;
  body?: string;
  headers?: Record<string, string>;
}

export interface MockRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Answer = { status: number; body: string; headers?: Record<string, string> };

export const json = (status: number, value: unknown, headers: Record<string, string> = {}): Answer => ({
  status,
  body: JSON.stringify(value),
  headers: { "content-type": "application/json; charset=utf-8", ...headers },
});

export class VendorMock {
  url = "";
  readonly requests: MockRequest[] = [];
  readonly faults: Fault[] = [];
  private holds: { match: (path: string) => boolean; waiting: (() => void)[]; reached: Promise<void>; markReached: () => void }[] = [];
  private server: http.Server;

  constructor(private route: (req: MockRequest) => Answer | Promise<Answer>) {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => void this.handle(req, Buffer.concat(chunks).toString("utf8"), res));
    });
  }

  async start(port = 0): Promise<this> {
    await new Promise<void>((r) => this.server.listen(port, "127.0.0.1", r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const h of this.holds) h.waiting.forEach((w) => w());
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** Injects a fault for the next matching request (faults are used once, in order). */
  fail(fault: Fault): void {
    this.faults.push(fault);
  }

  /**
   * Matching requests get no answer until `release()`; `reached` resolves when the first one
   * arrives (the test's synchronisation point, instead of a timer).
   */
  hold(match: (path: string) => boolean): { reached: Promise<void>; release: () => void } {
    let markReached!: () => void;
    const reached = new Promise<void>((r) => (markReached = r));
    const h = { match, waiting: [] as (() => void)[], reached, markReached };
    this.holds.push(h);
    return {
      reached,
      release: () => {
        this.holds = this.holds.filter((x) => x !== h);
        h.waiting.forEach((w) => w());
      },
    };
  }

  count(pred: (r: MockRequest) => boolean): number {
    return this.requests.filter(pred).length;
  }

  private async handle(req: http.IncomingMessage, body: string, res: http.ServerResponse) {
    const url = new URL(req.url ?? "/", "http://mock");
    const mreq: MockRequest = { method: req.method ?? "GET", path: url.pathname, query: url.searchParams, headers: req.headers, body };
    this.requests.push(mreq);
    const hold = this.holds.find((h) => h.match(url.pathname + url.search));
    if (hold) {
      hold.markReached();
      await new Promise<void>((r) => hold.waiting.push(r));
      if (res.destroyed) return;
    }
    let answer: Answer;
    const i = this.faults.findIndex((f) => !f.match || f.match(url.pathname + url.search));
    if (i >= 0) {
      const f = this.faults.splice(i, 1)[0];
      answer = { status: f.status, body: f.body ?? JSON.stringify({ message: `injected ${f.status}` }), headers: { "content-type": "application/json", ...(f.retryAfter ? { "retry-after": f.retryAfter } : {}), ...f.headers } };
    } else {
      try {
        answer = await this.route(mreq);
      } catch (e) {
        answer = json(500, { message: String(e) });
      }
    }
    if (res.destroyed) return;
    res.writeHead(answer.status, answer.headers ?? {});
    res.end(answer.body);
  }
}
