import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

// The screenshots in docs/screenshots/ (every page at 1440 px), taken on the demo org:
//   WAKEBOARD_SCREENSHOTS=1 npx playwright test e2e/screenshots.spec.ts
// Skipped in the normal run (it only writes pictures).

const PAGES: [string, string][] = [
  ["overview", "/"],
  ["leaderboard", "/leaderboard"],
  ["leaderboard-units", "/leaderboard?view=units"],
  ["team", "/teams/infra"],
  ["group", "/teams/platform"],
  ["trends", "/trends"],
  ["export", "/export"],
  ["connect-a-tool", "/docs"],
  ["admin", "/admin"],
  ["admin-teams", "/admin/teams"],
  ["admin-people", "/admin/people"],
  ["admin-identities", "/admin/identities"],
  ["admin-roster", "/admin/roster"],
  ["admin-keys", "/admin/keys"],
  ["admin-users", "/admin/users"],
  ["admin-audit", "/admin/audit"],
];

test.skip(process.env.WAKEBOARD_SCREENSHOTS !== "1", "set WAKEBOARD_SCREENSHOTS=1 to refresh docs/screenshots/");

test("screenshots of every page at 1440 px", async ({ page }) => {
  test.setTimeout(600_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto("/login");
  await page.screenshot({ path: "docs/screenshots/login.png" });
  await signIn(page, "admin");
  for (const [name, url] of PAGES) {
    await page.goto(url);
    await expect(page.locator("main h1")).toBeVisible();
    await expect(page.locator("[aria-busy=true]")).toHaveCount(0);
    await page.screenshot({ path: `docs/screenshots/${name}.png`, fullPage: true });
  }
});
