import { parse, required, UsageError, out, type Command } from "@/scripts/cli/command";
import { db } from "@/lib/db/client";
import { hashPassword } from "@/lib/auth/password";

const ROLES = ["admin", "manager", "viewer"] as const;

export const usersCreate: Command = {
  name: "users create",
  summary: "create a dashboard login (or update its role, password and managed teams)",
  usage: "users create --email E --password P --role admin|manager|viewer [--name N] [--manages SLUG,…]",
  needsDb: true,
  async run(argv) {
    const { values } = parse(argv, { email: { type: "string" }, password: { type: "string" }, role: { type: "string" }, name: { type: "string" }, manages: { type: "string" } });
    const email = required(values.email, "--email").trim().toLowerCase();
    if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw new UsageError(`--email "${email}" is not an email address`);
    const password = required(values.password, "--password");
    if (password.length < 8) throw new UsageError("--password must be at least 8 characters");
    const role = required(values.role, "--role") as (typeof ROLES)[number];
    if (!ROLES.includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(", ")}`);
    const slugs = (values.manages ?? "").split(",").map((s) => s.trim()).filter(Boolean);
    const prisma = await db();
    const teams = await prisma.team.findMany({ where: { slug: { in: slugs } } });
    const missing = slugs.filter((s) => !teams.some((t) => t.slug === s));
    if (missing.length) throw new UsageError(`unknown team(s) for --manages: ${missing.join(", ")}`);
    const passwordHash = await hashPassword(password);
    const user = await prisma.$transaction(async (tx) => {
      const u = await tx.user.upsert({
        where: { email },
        create: { email, name: values.name ?? "", role, passwordHash },
        update: { role, passwordHash, ...(values.name ? { name: values.name } : {}) },
      });
      await tx.managedTeam.deleteMany({ where: { userId: u.id } });
      if (teams.length) await tx.managedTeam.createMany({ data: teams.map((t) => ({ userId: u.id, teamId: t.id })) });
      await tx.auditLog.create({ data: { actor: "cli", action: "user.upsert", targetType: "user", targetId: String(u.id), details: { email, role, manages: slugs } } });
      return u;
    });
    out(`user ${user.email} (id ${user.id}) is ${role}${slugs.length ? `, managing ${slugs.join(", ")}` : ""}`);
  },
};
