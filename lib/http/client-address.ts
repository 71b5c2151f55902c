import { BlockList, isIP } from "node:net";
import { config } from "@/lib/config";

// The client's address for throttling and logs (issue 11, item 4). X-Forwarded-For is set by
// whoever sends the request, so it is believed only from a proxy listed in
// WAKEBOARD_TRUSTED_PROXIES: then the address is the right-most entry that is not itself a
// trusted proxy (each proxy appends the address it saw, so entries to its left are whatever
// the client wrote). From anyone else the connection's own address is the client's.
//
// The production server's request listener (lib/http/request-listener.ts) resolves it once
// per request and passes it on in CLIENT_ADDRESS_HEADER, overwriting whatever a client sent
// under that name; next-auth's authorize() reads it there (it sees headers, not the socket).

export const CLIENT_ADDRESS_HEADER = "x-wakeboard-client-address";

function normalise(address: string): string {
  const a = address.trim().replace(/^\[|\]$/g, "");
  return a.startsWith("::ffff:") && isIP(a.slice(7)) === 4 ? a.slice(7) : a;
}

let cached: { list: string[]; blocks: BlockList } | undefined;

function trusted(): BlockList {
  const list = config().WAKEBOARD_TRUSTED_PROXIES;
  if (cached?.list === list) return cached.blocks;
  const blocks = new BlockList();
  for (const entry of list) {
    const [address, bits] = entry.split("/");
    const type = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (bits === undefined) blocks.addAddress(address, type);
    else blocks.addSubnet(address, Number(bits), type);
  }
  cached = { list, blocks };
  return blocks;
}

function isTrusted(address: string, blocks: BlockList): boolean {
  const family = isIP(address);
  return family !== 0 && blocks.check(address, family === 6 ? "ipv6" : "ipv4");
}

/** The client's address, from the connection's address and the X-Forwarded-For it carried. */
export function clientAddress(peer: string | undefined, forwardedFor: string | string[] | undefined): string {
  const own = normalise(peer ?? "") || "unknown";
  const blocks = trusted();
  if (!isTrusted(own, blocks) || !forwardedFor) return own;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor).split(",").map(normalise).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    // A hop that is not an address (a client's junk) ends the chain: the proxy next to it saw
    // no such client, so the address that proxy itself saw is the best there is.
    if (!isIP(hops[i])) return i === hops.length - 1 ? own : hops[i + 1];
    if (!isTrusted(hops[i], blocks)) return hops[i];
  }
  return hops[0] ?? own;
}
