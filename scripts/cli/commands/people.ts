import { parse, out, UsageError, type Command } from "@/scripts/cli/command";
import { AdminError } from "@/lib/admin/errors";
import { erasePerson } from "@/lib/admin/erase-person";

// `people erase <email|identity>`: the same erasure as Admin → People (lib/admin/erase-person.ts).

export const peopleErase: Command = {
  name: "people erase",
  summary: "erase a person: identities, login and personal fields removed, their events anonymised (kept in team totals), audited",
  usage: "people erase <email|identity> --yes",
  needsDb: true,
  async run(argv) {
    const { values, positionals } = parse(argv, { yes: { type: "boolean" } }, true);
    if (positionals.length !== 1) throw new UsageError("name exactly one person: people erase <email|identity> --yes");
    if (!values.yes) throw new UsageError("erasure cannot be undone: add --yes to confirm");
    try {
      const r = await erasePerson(positionals[0], "cli");
      out(`erased person ${r.personId ?? "(unmapped identity)"}: ${r.events} event(s) anonymised, ${r.identities} identit${r.identities === 1 ? "y" : "ies"} and ${r.login ? "a login" : "no login"} removed, ${r.auditEntries} audit entr${r.auditEntries === 1 ? "y" : "ies"} scrubbed`);
    } catch (e) {
      if (e instanceof AdminError) throw new UsageError(e.message);
      throw e;
    }
  },
};
