import { parse, required, UsageError, out, type Command } from "@/scripts/cli/command";
import { AdminError } from "@/lib/admin/errors";
import { listUsers, ROLES, saveUser, updateUser } from "@/lib/admin/users";
import { db } from "@/lib/db/client";
import type { Role } from "@/lib/generated/prisma/enums";

// `users create | list | update`: the same rules as Admin → Users (lib/admin/users.ts).

const asRole = (v: string): Role => {
  if (!(ROLES as readonly string[]).includes(v)) throw new UsageError(`--role must be one of ${ROLES.join(", ")}`);
  return v as Role;
};
const slugs = (v: string | undefined) => (v ?? "").split(",").map((s) => s.trim()).filter(Boolean);
const checkPassword = (p: string) => {
  if (p.length < 8) throw new UsageError("--password must be at least 8 characters");
  return p;
};

async function admin<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof AdminError) throw new UsageError(e.message);
    throw e;
  }
}

export const usersCreate: Command = {
  name: "users create",
  summary: "create a dashboard login (or update its role, password and managed teams)",
  usage: "users create --email E --password P --role admin|manager|viewer [--name N] [--manages SLUG,…]",
  needsDb: true,
  async run(argv) {
    const { values } = parse(argv, { email: { type: "string" }, password: { type: "string" }, role: { type: "string" }, name: { type: "string" }, manages: { type: "string" } });
    const email = required(values.email, "--email").trim().toLowerCase();
    if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new UsageError(`--email "${email}" is not an email address`);
    const password = checkPassword(required(values.password, "--password"));
    const role = asRole(required(values.role, "--role"));
    const manages = slugs(values.manages);
    const user = await admin(() => saveUser({ email, password, role, name: values.name, manages }, "cli", { upsert: true }));
    out(`user ${user.email} (id ${user.id}) is ${role}${manages.length ? `, managing ${manages.join(", ")}` : ""}`);
  },
};

export const usersList: Command = {
  name: "users list",
  summary: "list dashboard logins with their role, managed teams and state",
  usage: "users list",
  needsDb: true,
  async run() {
    for (const u of await listUsers()) {
      out([u.id, u.email, u.role, u.manages.join(",") || "-", u.disabled ? "disabled" : "active", u.hasPassword ? "password" : "sso"].join("\t"));
    }
  },
};

export const usersUpdate: Command = {
  name: "users update",
  summary: "change a login's role, managed teams or password, or disable / enable it (applies to live sessions within a minute)",
  usage: "users update EMAIL [--role R] [--manages SLUG,…] [--password P] [--name N] [--disable | --enable]",
  needsDb: true,
  async run(argv) {
    const { values, positionals } = parse(
      argv,
      { role: { type: "string" }, manages: { type: "string" }, password: { type: "string" }, name: { type: "string" }, disable: { type: "boolean" }, enable: { type: "boolean" } },
      true,
    );
    const email = (positionals[0] ?? "").trim().toLowerCase();
    if (!email) throw new UsageError("give the user's email");
    if (values.disable && values.enable) throw new UsageError("--disable and --enable exclude each other");
    const user = await (await db()).user.findUnique({ where: { email } });
    if (!user) throw new UsageError(`no user with email ${email}`);
    const updated = await admin(() =>
      updateUser(
        user.id,
        {
          ...(values.role ? { role: asRole(values.role) } : {}),
          ...(values.manages !== undefined ? { manages: slugs(values.manages) } : {}),
          ...(values.password ? { password: checkPassword(values.password) } : {}),
          ...(values.name !== undefined ? { name: values.name } : {}),
          ...(values.disable ? { disabled: true } : values.enable ? { disabled: false } : {}),
        },
        "cli",
      ),
    );
    out(`user ${updated.email} (id ${updated.id}) is ${updated.role}${updated.disabledAt ? ", disabled" : ""}`);
  },
};
