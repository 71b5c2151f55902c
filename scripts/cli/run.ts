import { ConfigError, config } from "@/lib/config";
import { DatabaseBusyError } from "@/lib/db/embedded";
import { io, UsageError, type Command } from "@/scripts/cli/command";
import { migrate, migrateNew } from "@/scripts/cli/commands/migrate";
import { seed } from "@/scripts/cli/commands/seed";
import { usersCreate, usersList, usersUpdate } from "@/scripts/cli/commands/users";
import { rosterImport } from "@/scripts/cli/commands/roster";
import { keysCreate, keysList, keysRevoke } from "@/scripts/cli/commands/keys";
import { teamsCreate, teamsList } from "@/scripts/cli/commands/teams";
import { rollupsDrain, rollupsRebuild, rollupsStatus } from "@/scripts/cli/commands/rollups";
import { retentionRun } from "@/scripts/cli/commands/retention";
import { importFile } from "@/scripts/cli/commands/import";
import { exportWeekly } from "@/scripts/cli/commands/export";
import { alertsRun } from "@/scripts/cli/commands/alerts";
import { connectorsAdd, connectorsList, connectorsRemove, connectorsRun } from "@/scripts/cli/commands/connectors";
import { githubImport } from "@/scripts/cli/commands/github";
import { peopleErase } from "@/scripts/cli/commands/people";

// The commands of `npm run -s wakeboard -- <command>` and how one is run: in this process
// (scripts/cli/main.ts), or inside the running server for a CLI client (scripts/cli/channel.ts).
// Exit 0 on success; 1 with a one-line error on stderr otherwise (DESIGN.md §9).

export const COMMANDS: Command[] = [migrate, migrateNew, seed, usersCreate, usersList, usersUpdate, rosterImport, keysCreate, keysList, keysRevoke, teamsCreate, teamsList, importFile, exportWeekly, rollupsRebuild, rollupsDrain, rollupsStatus, githubImport, peopleErase, retentionRun, connectorsAdd, connectorsList, connectorsRun, connectorsRemove, alertsRun];

function help(): string {
  return [
    "Wakeboard — team usage of AI coding agents",
    "",
    "Usage: npm run -s wakeboard -- <command> [options]",
    "",
    "Commands:",
    ...COMMANDS.flatMap((c) => [`  ${c.usage}`, `      ${c.summary}`]),
    "",
    "The database is DATABASE_URL, or the embedded one under .data/ when unset. Only one",
    "process may open the embedded one: while `npm start` runs, commands are run by the",
    "server through a local channel (token in .data/cli-channel.json, mode 0600).",
    "Run `npm run -s wakeboard -- <command> --help` for a command's usage.",
  ].join("\n");
}

export function find(argv: string[]): [Command | undefined, string[]] {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(" ");
    const cmd = COMMANDS.find((c) => c.name === name);
    if (cmd) return [cmd, argv.slice(words)];
  }
  return [undefined, argv];
}

/** Runs one command line; the caller closes the database (a server keeps it open). */
export async function runCli(argv: string[]): Promise<number> {
  if (!argv.length || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
    io().stdout.write(help() + "\n");
    return 0;
  }
  const [cmd, rest] = find(argv);
  if (!cmd) {
    const group = COMMANDS.filter((c) => c.name.startsWith(argv[0] + " "));
    io().stderr.write(
      group.length
        ? `wakeboard: "${argv.join(" ")}" needs a subcommand: ${group.map((c) => c.usage).join(" | ")}\n`
        : `wakeboard: unknown command "${argv[0]}" (run with --help for the list)\n`,
    );
    return 1;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io().stdout.write(`Usage: npm run -s wakeboard -- ${cmd.usage}\n\n${cmd.summary}\n`);
    return 0;
  }
  try {
    config();
    await cmd.run(rest);
    return 0;
  } catch (e) {
    const known = e instanceof UsageError || e instanceof ConfigError || e instanceof DatabaseBusyError;
    const message = known ? (e as Error).message : `${(e as Error).message ?? e}`.split("\n")[0];
    io().stderr.write(`wakeboard ${cmd.name}: ${message}\n`);
    return 1;
  }
}
