import { expect, test, type Browser } from "@playwright/test";
import { DEMO_USERS, demoCredentials, signIn } from "./helpers";

// Sign-in with email and password, sessions that follow role changes, and the protections
// around cookie-authenticated requests (DESIGN.md §7).

async function signInAs(browser: Browser, email: string, password: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  return { context, page };
}

test("signs in with email and password; the session cookie is HttpOnly and SameSite=Lax", async ({ page, context }) => {
  await signIn(page, "viewer");
  const cookies = await context.cookies();
  const session = cookies.find((c) => /next-auth\.session-token$/.test(c.name));
  expect(session, `cookies: ${cookies.map((c) => c.name).join(", ")}`).toBeDefined();
  expect(session).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });
  // Over plain HTTP the cookie cannot be Secure; behind HTTPS (NEXTAUTH_URL=https://…) it is __Secure- and Secure.
  expect(session!.secure).toBe(false);
  const csrf = cookies.find((c) => /next-auth\.csrf-token$/.test(c.name));
  expect(csrf).toMatchObject({ httpOnly: true, sameSite: "Lax" });
});

test("a wrong password and an unknown email get the same answer", async ({ page }) => {
  for (const email of [DEMO_USERS.admin, "nobody@wakeboard.local"]) {
    await page.goto("/login");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("definitely-not-it");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByText("Wrong email or password.")).toBeVisible();
    await expect(page).toHaveURL(/\/login/);
  }
});

test("pages answer with the security headers", async ({ request }) => {
  const res = await request.get("/login");
  const h = res.headers();
  expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(h["content-security-policy"]).toContain("default-src 'self'");
  expect(h["x-frame-options"]).toBe("DENY");
  expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["x-powered-by"]).toBeUndefined();
});

test("a demotion and a disabling reach a signed-in user without signing in again", async ({ page, browser }) => {
  const email = `promoted.${Date.now()}@wakeboard.local`;
  const password = "e2e-password-123";
  await signIn(page, "admin");
  await page.goto("/admin/users");
  const add = page.locator("form", { has: page.getByRole("button", { name: "Add user" }) });
  await add.getByLabel("Email").fill(email);
  await add.getByLabel("Role").selectOption("admin");
  await add.getByLabel("Password (blank for SSO only)").fill(password);
  await add.getByRole("button", { name: "Add user" }).click();
  await expect(page.getByText("User added.")).toBeVisible();

  const user = await signInAs(browser, email, password);
  await expect(user.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" })).toBeVisible();

  // The admin demotes them to viewer.
  await page.reload();
  const row = page.locator(`tr[data-user="${email}"]`);
  await row.getByText(`Edit ${email}`).click();
  await row.getByLabel("Role").selectOption("viewer");
  await row.getByRole("button", { name: "Save" }).click();
  await expect(row.getByText("Saved.")).toBeVisible();

  await user.page.goto("/admin");
  await expect(user.page).toHaveURL(/\/forbidden/);
  await user.page.goto("/");
  await expect(user.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" })).toHaveCount(0);
  await expect(user.page.getByRole("banner").getByText("viewer", { exact: true })).toBeVisible();

  // Then disables them: the next request is anonymous.
  await page.reload();
  await row.getByText(`Edit ${email}`).click();
  await row.getByLabel("Disabled").check();
  await row.getByRole("button", { name: "Save" }).click();
  await expect(row.getByText("Saved.")).toBeVisible();
  await user.page.goto("/leaderboard");
  await expect(user.page).toHaveURL(/\/login/);
  expect((await user.page.request.get("/api/v1/admin/audit")).status()).toBe(401);
  await user.context.close();
});

test("a cookie-authenticated change from another origin is refused; from ours it passes", async ({ page }) => {
  await signIn(page, "admin");
  const csv = "email,name,team\n";
  const evil = await page.request.post("/api/v1/admin/roster?dry_run=1", { data: csv, headers: { "content-type": "text/csv", origin: "https://evil.example" } });
  expect(evil.status()).toBe(403);
  expect(await evil.json()).toMatchObject({ error: { code: "forbidden", message: "Cross-origin request refused" } });
  const crossSite = await page.request.post("/api/v1/admin/roster?dry_run=1", { data: csv, headers: { "content-type": "text/csv", "sec-fetch-site": "cross-site" } });
  expect(crossSite.status()).toBe(403);
  const ours = await page.request.post("/api/v1/admin/roster?dry_run=1", { data: csv, headers: { "content-type": "text/csv", origin: new URL(page.url()).origin } });
  expect(ours.status()).toBe(200);
  expect(await ours.json()).toMatchObject({ dryRun: true, counts: { create: 0 } });
});

test("roles are checked on the server: API keys and viewers never open admin routes", async ({ page, request }) => {
  const key = demoCredentials().ingestKey!;
  const withKey = await request.get("/api/v1/admin/audit", { headers: { authorization: `Bearer ${key}` } });
  expect(withKey.status()).toBe(403);
  expect((await request.get("/api/v1/admin/audit")).status()).toBe(401);
  await signIn(page, "viewer");
  expect((await page.request.get("/api/v1/admin/audit")).status()).toBe(403);
  await page.goto("/admin/users");
  await expect(page).toHaveURL(/\/forbidden/);
});

test("a manager sees the people of the teams they manage, and nobody else's", async ({ browser }) => {
  // Who is in which team, read from the admin's people list (search matches the team slug).
  const { adminPassword } = demoCredentials();
  const admin = await signInAs(browser, DEMO_USERS.admin, adminPassword);
  const emailsOf = async (team: string) => {
    await admin.page.goto(`/admin/people?q=${team}`);
    await expect(admin.page.getByRole("heading", { level: 1, name: "People" })).toBeVisible();
    return admin.page.locator("tr[data-person]").evaluateAll((rows, t) => rows.filter((r) => r.children[1]?.textContent === t).map((r) => r.getAttribute("data-person")!), team);
  };
  const outside = await emailsOf("checkout"); // Product Engineering: not managed by the demo manager
  const inside = await emailsOf("infra"); // under Platform, which the demo manager manages
  expect(outside.length).toBeGreaterThan(2);
  expect(inside.length).toBeGreaterThan(2);
  await admin.context.close();

  const manager = await signInAs(browser, DEMO_USERS.manager, adminPassword);
  await manager.page.goto("/teams/checkout?period=90d");
  await expect(manager.page.getByText("Per-person figures are not shown to you")).toBeVisible();
  const html = await manager.page.content();
  for (const email of outside) expect(html, `checkout's ${email} shown to the platform manager`).not.toContain(email);

  await manager.page.goto("/teams/infra?period=90d");
  await expect(manager.page.getByText(inside[0]).first()).toBeVisible();
  await manager.context.close();
});

test("after sign-in the return path stays on this site", async ({ page, baseURL }) => {
  await page.goto("/login?callbackUrl=%2F%2Fevil.example%2Fphish");
  await page.getByLabel("Email").fill(DEMO_USERS.viewer);
  await page.getByLabel("Password").fill(demoCredentials().adminPassword);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  expect(page.url()).toBe(`${baseURL}/`);
  await page.goto("/login?callbackUrl=%2Ftrends");
  await expect(page).toHaveURL(`${baseURL}/trends`);
});
