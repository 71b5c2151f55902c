import net from "node:net";
import type { AddressInfo } from "node:net";

// A TCP proxy between the app and PostgreSQL that a test can break and mend, so an outage
// is simulated without touching the machine's shared database server.
//   "up"        forwards every connection;
//   "refuse"    drops every open connection and resets new ones at once (server down);
//   "blackhole" drops open connections and accepts new ones but never answers (network lost).

export type ProxyMode = "up" | "refuse" | "blackhole";

export interface TcpProxy {
  port: number;
  set(mode: ProxyMode): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: ProxyMode = "up";
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    open.add(client);
    client.on("close", () => open.delete(client));
    client.on("error", () => {});
    if (mode === "refuse") return void client.resetAndDestroy();
    if (mode === "blackhole") return; // held open, never answered
    const upstream = net.connect(target.port, target.host);
    open.add(upstream);
    upstream.on("close", () => {
      open.delete(upstream);
      client.destroy();
    });
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as AddressInfo).port,
    set(next) {
      mode = next;
      if (next !== "up") for (const s of open) s.destroy();
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of open) s.destroy();
        server.close(() => r());
      }),
  };
}
