import { ConfigError, config } from "@/lib/config";
import { closeDb } from "@/lib/db/client";
import { ChannelUnreachable, findChannel, needsDatabase, runThroughChannel } from "@/scripts/cli/channel";
import { runCli } from "@/scripts/cli/run";

// `npm run -s wakeboard -- <command>` (or bin/wakeboard). Exit 0 on success; 1 with a
// one-line error on stderr otherwise (DESIGN.md §9). With the embedded database and a
// server running on it, the command runs inside that server (scripts/cli/channel.ts);
// WAKEBOARD_CLI_DIRECT=1 opens the database here instead.

async function main(argv: string[]): Promise<number> {
  let channel = null;
  try {
    const c = config();
    if (c.embedded && process.env.WAKEBOARD_CLI_DIRECT !== "1" && needsDatabase(argv)) channel = findChannel(c.dataDir);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e; // runCli reports configuration errors as usual
  }
  if (channel) {
    try {
      return await runThroughChannel(channel, argv);
    } catch (e) {
      // A stale channel file (the server is gone, nothing ran): open the database here.
      if (!(e instanceof ChannelUnreachable)) {
        process.stderr.write(`wakeboard: the running server stopped answering (${(e as Error).message})\n`);
        return 1;
      }
    }
  }
  try {
    return await runCli(argv);
  } finally {
    await closeDb().catch(() => {});
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code));
