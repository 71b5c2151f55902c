import { expect, test, type Page } from "@playwright/test";
import { demoCredentials, signIn } from "./helpers";

// An admin runs Wakeboard without a database shell: teams, roster, people, identities, keys,
// and the audit log of it all. Each test uses names of its own so the demo org stays usable.

const run = Date.now().toString(36);

async function open(page: Page, path: string, heading: string) {
  await page.goto(path);
  await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
}

test.beforeEach(async ({ page }) => {
  await signIn(page, "admin");
});

test("teams: create under a parent, rename, set a headcount, archive", async ({ page }) => {
  const slug = `squad-${run}`;
  await open(page, "/admin/teams", "Teams");
  const create = page.locator("form", { has: page.getByRole("button", { name: "Create team" }) });
  await create.getByLabel("Slug").fill(slug);
  await create.getByLabel("Name").fill("Squad");
  const platform = await create.locator("option", { hasText: /^\W*platform$/ }).getAttribute("value");
  await create.getByLabel("Parent").selectOption(platform!);
  await create.getByRole("button", { name: "Create team" }).click();
  await expect(page.getByText("Team created.")).toBeVisible();

  const row = page.locator(`tr[data-team="${slug}"]`);
  await expect(row).toContainText("Squad");
  await page.screenshot({ path: "test-results/screenshots/admin-teams.png" });
  await row.getByText(`Edit ${slug}`).click();
  await row.getByLabel("Name").fill("Squad Renamed");
  await row.getByLabel("Headcount override").fill("7");
  await row.getByRole("button", { name: "Save" }).click();
  await expect(row.getByText("Saved.")).toBeVisible();
  await page.reload();
  await expect(row).toContainText("Squad Renamed");
  await expect(row.locator("td").nth(2)).toHaveText("7");

  page.once("dialog", (d) => d.accept());
  await row.getByText(`Edit ${slug}`).click();
  await row.getByRole("button", { name: "Archive" }).click();
  await expect(row).toContainText("archived");

  await open(page, `/admin/audit?q=${slug}`, "Audit log");
  await expect(page.getByRole("cell", { name: "team.create" })).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/admin-audit.png" });
});

test("roster import: preview with row errors, apply, re-import changes nothing; then move a person", async ({ page }) => {
  const ada = `ada.${run}@wakeboard.local`;
  const csv = [
    "email,name,team,identities",
    `${ada},Ada ${run},infra,github:ada-${run}`,
    `ben.${run}@wakeboard.local,Ben ${run},checkout,`,
    `not-an-email,Nobody,infra,`,
    `cy.${run}@wakeboard.local,Cy,no-such-team,`,
  ].join("\n");
  await open(page, "/admin/roster", "Roster import");
  await page.getByLabel("Moves take effect on").fill("2026-01-01");
  await page.getByLabel("…or paste it").fill(csv);
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.getByText("2 new, 0 moves, 0 updates, 0 unchanged, 2 with errors")).toBeVisible();
  await expect(page.getByRole("cell", { name: /"not-an-email" is not an email address/ })).toBeVisible();
  await expect(page.getByRole("cell", { name: /unknown team "no-such-team"/ })).toBeVisible();
  await page.getByRole("button", { name: "Apply 2 changes" }).click();
  await expect(page.getByText(/Applied: 2 created, 0 moved, 0 updated, 0 unchanged, 2 skipped/)).toBeVisible();

  await page.reload();
  await page.getByLabel("…or paste it").fill(csv);
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.getByText("0 new, 0 moves, 0 updates, 2 unchanged, 2 with errors")).toBeVisible();
  await expect(page.getByRole("button", { name: "Apply 0 changes" })).toBeDisabled();
  await page.screenshot({ path: "test-results/screenshots/admin-roster.png", fullPage: true });

  await open(page, `/admin/people?q=${encodeURIComponent(ada)}`, "People");
  const row = page.locator(`tr[data-person="${ada}"]`);
  await expect(row).toContainText(`github: ada-${run}`);
  await row.getByText(`Move ${ada}`).click();
  await row.getByLabel("To team").selectOption("observability");
  const today = new Date().toISOString().slice(0, 10); // WAKEBOARD_TZ is UTC here
  await row.getByLabel("Effective").fill(today);
  await row.getByRole("button", { name: "Move" }).click();
  await expect(row.getByText("Moved.")).toBeVisible();
  await page.reload();
  await expect(row).toContainText(`infra: 2026-01-01 → ${today}`);
  await expect(row).toContainText(`observability: ${today} → now`);
  await page.screenshot({ path: "test-results/screenshots/admin-people.png" });
});

test("unmapped identities: an id first seen in telemetry is mapped to a person", async ({ page, request }) => {
  const ghost = `ghost-${run}-laptop`;
  const res = await request.post("/api/v1/events", {
    headers: { authorization: `Bearer ${demoCredentials().ingestKey}` },
    data: { id: `e2e-${run}-ghost`, timestamp: new Date().toISOString(), tool: "claude-code", user: ghost, input_tokens: 10 },
  });
  expect(res.status()).toBe(200);
  await open(page, `/admin/identities?q=${ghost}`, "Unmapped identities");
  const row = page.locator(`tr[data-identity="${ghost}"]`);
  await expect(row).toBeVisible();
  await row.getByLabel(`Person email for ${ghost}`).fill("nobody-here@wakeboard.local");
  await row.getByRole("button", { name: "Map" }).click();
  await expect(row.getByText(/No person with email/)).toBeVisible();

  await open(page, "/admin/people", "People");
  const someone = (await page.locator("tr[data-person]").first().getAttribute("data-person"))!;
  await open(page, `/admin/identities?q=${ghost}`, "Unmapped identities");
  await row.getByLabel(`Person email for ${ghost}`).fill(someone);
  await row.getByRole("button", { name: "Map" }).click();
  // Mapped: it leaves the list.
  await expect(row).toHaveCount(0);
  await expect(page.getByText("No unmapped identities match.")).toBeVisible();
});

test("API keys: the secret is shown once with a copy button, works, and stops working when revoked", async ({ page, context, request }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const name = `e2e-key-${run}`;
  await open(page, "/admin/keys", "API keys");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Team (optional)").selectOption("infra");
  await page.getByRole("button", { name: "Create key" }).click();
  const secret = (await page.getByTestId("new-key-secret").textContent())!;
  expect(secret).toMatch(/^wkb_/);
  await page.screenshot({ path: "test-results/screenshots/admin-keys.png" });
  await page.getByRole("button", { name: "Copy" }).click();
  await expect(page.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

  const send = () =>
    request.post("/api/v1/events", {
      headers: { authorization: `Bearer ${secret}` },
      data: { id: `e2e-${run}-key-${Math.random()}`, timestamp: new Date().toISOString(), tool: "codex", input_tokens: 1 },
    });
  expect((await send()).status()).toBe(200);

  await page.reload();
  await expect(page.getByTestId("new-key-secret")).toHaveCount(0); // shown once
  const row = page.locator(`tr[data-key="${name}"]`);
  await expect(row).toContainText("infra");
  await expect(row).not.toContainText("never"); // last used
  page.once("dialog", (d) => d.accept());
  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(row).toContainText("revoked");
  expect((await send()).status()).toBe(401);
});
