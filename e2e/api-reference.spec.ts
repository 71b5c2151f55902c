import { expect, test } from "@playwright/test";
import { demoCredentials, signIn, watchConsole } from "./helpers";
import { baseURL } from "../playwright.config";

// The interactive API reference: reached from /docs, every endpoint listed, and "Try it"
// sends a real request from the page (nothing loaded from another origin).

test("the API reference is linked from /docs and sends a request from the page", async ({ page }) => {
  const errors = watchConsole(page);
  const foreign: string[] = [];
  page.on("request", (r) => {
    if (new URL(r.url()).origin !== new URL(baseURL).origin && !r.url().startsWith("data:")) foreign.push(r.url());
  });
  await signIn(page, "viewer");
  await page.goto("/docs");
  await page.getByRole("link", { name: "API reference" }).click();
  await expect(page.getByRole("heading", { name: "API reference", level: 1 })).toBeVisible();
  for (const path of ["/api/v1/events", "/api/v1/leaderboard", "/api/v1/teams/{slug}/trend", "/api/metrics"]) {
    await expect(page.getByRole("heading", { name: new RegExp(`${path.replace(/[{}/.]/g, "\\$&")}$`) }).first()).toBeVisible();
  }

  const events = page.locator("article", { has: page.getByRole("heading", { name: /^post\s*\/api\/v1\/events$/i }) });
  await events.getByText("Try it").click();
  await events.getByLabel(/API key/).fill(demoCredentials().ingestKey!);
  await events.getByRole("button", { name: "Send POST" }).click();
  const answer = events.locator("[aria-live=polite]");
  await expect(answer.getByText("Status 200")).toBeVisible();
  // The example event (a fixed id): stored on the first send, a duplicate on any later one.
  await expect(answer.getByText(/"accepted": 1,\s+"duplicates": 0|"accepted": 0,\s+"duplicates": 1/)).toBeVisible();

  await page.screenshot({ path: "test-results/screenshots/api-reference.png" });
  expect(foreign).toEqual([]);
  expect(errors).toEqual([]);
});
