import { expect, test } from "@playwright/test";
import { DEMO_USERS, demoCredentials, signIn, watchConsole } from "./helpers";

test("an anonymous visitor is sent to the login page", async ({ page }) => {
  await page.goto("/leaderboard");
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole("heading", { name: "Sign in to Wakeboard" })).toBeVisible();
});

test("a wrong password is refused with a clear message", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("Email").fill(DEMO_USERS.admin);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByText("Wrong email or password.")).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
});

test("the demo admin signs in and sees the app shell", async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page, "admin");
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const name of ["Overview", "Leaderboard", "Trends", "Export", "Admin"]) {
    await expect(nav.getByRole("link", { name })).toBeVisible();
  }
  await expect(page.getByText(DEMO_USERS.admin.split("@")[0], { exact: false }).first()).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/overview.png", fullPage: true });
  expect(errors).toEqual([]);
});

test("a viewer does not get the admin link", async ({ page }) => {
  await signIn(page, "viewer");
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" })).toHaveCount(0);
});

test("the health endpoint reports the database", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.status()).toBe(200);
  expect(await res.json()).toMatchObject({ status: "ok", database: "up" });
  expect(demoCredentials().ingestKey).toMatch(/^wkb_/);
});
