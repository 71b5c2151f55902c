import { ConfigError, config } from "@/lib/config";
import { closeDb } from "@/lib/db/client";
import { DatabaseBusyError } from "@/lib/db/embedded";
import { UsageError, type Command } from "@/scripts/cli/command";
import { migrate, migrateNew } from "@/scripts/cli/commands/migrate";
import { seed } from "@/scripts/cli/commands/seed";
import { usersCreate, usersList, usersUpdate } from "@/scripts/cli/commands/users";
import { rosterImport } from "@/scripts/cli/commands/roster";
import { keysCreate, keysList, keysRevoke } from "@/scripts/cli/commands/keys";
import { teamsCreate, teamsList } from "@/scripts/cli/commands/teams";
import { rollupsDrain, rollupsRebuild, rollupsStatus } from "@/scripts/cli/commands/rollups";
import { importFile } from "@/scripts/cli/commands/import";
import { exportWeekly } from "@/scripts/cli/commands/export";
import { alertsRun } from "@/scripts/cli/commands/alerts";
import { connectorsAdd, connectorsList, connectorsRemove, connectorsRun } from "@/scripts/cli/commands/connectors";
import { githubImport } from "@/scripts/cli/commands/github";
import { peopleErase } from "@/scripts/cli/commands/people";
import { retentionRun } from "@/scripts/cli/commands/retention";

// `npm run -s wakeboard -- <command>` (or bin/wakeboard). Exit 0 on success; 1 with a
// one-line error on stderr otherwise (DESIGN.md §9).

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
    "The database is DATABASE_URL, or the embedded one under .data/ when unset; with the",
    "embedded one, stop the server first (only one process may open it).",
    "Run `npm run -s wakeboard -- <command> --help` for a command's usage.",
  ].join("\n");
}

function find(argv: string[]): [Command | undefined, string[]] {
  for (const words of [2, 1]) {
    const name = argv.slice(0, words).join(" ");
    const cmd = COMMANDS.find((c) => c.name === name);
    if (cmd) return [cmd, argv.slice(words)];
  }
  return [undefined, argv];
}

async function main(argv: string[]): Promise<number> {
  if (!argv.length || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
    process.stdout.write(help() + "\n");
    return 0;
  }
  const [cmd, rest] = find(argv);
  if (!cmd) {
    const group = COMMANDS.filter((c) => c.name.startsWith(argv[0] + " "));
    process.stderr.write(
      group.length
        ? `wakeboard: "${argv.join(" ")}" needs a subcommand: ${group.map((c) => c.usage).join(" | ")}\n`
        : `wakeboard: unknown command "${argv[0]}" (run with --help for the list)\n`,
    );
    return 1;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(`Usage: npm run -s wakeboard -- ${cmd.usage}\n\n${cmd.summary}\n`);
    return 0;
  }
  try {
    config();
    await cmd.run(rest);
    return 0;
  } catch (e) {
    const known = e instanceof UsageError || e instanceof ConfigError || e instanceof DatabaseBusyError;
    const message = known ? (e as Error).message : `${(e as Error).message ?? e}`.split("\n")[0];
    process.stderr.write(`wakeboard ${cmd.name}: ${message}\n`);
    return 1;
  } finally {
    await closeDb().catch(() => {});
  }
}

main(process.argv.slice(2)).then((code) => process.exit(code));
