import http from "node:http";
import type { AddressInfo } from "node:net";
import { requestListener } from "@/lib/http/request-listener";

// A second (third …) server process on the test's database, for the tests of state shared by
// instances (test/hardening-shared-limits.test.ts): the production request listener with the
// fast lane, so the ingest endpoints answer exactly as under `npm start`; anything else 404.
// Run as `node --import tsx test/helpers/ingest-process.ts` with DATABASE_URL set: it prints
// "listening <port>" once ready and stops on SIGTERM.

const server = http.createServer(
  requestListener(
    (_req, res) => {
      res.statusCode = 404;
      res.end();
    },
    { fastLane: true },
  ),
);
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
process.on("SIGTERM", () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
