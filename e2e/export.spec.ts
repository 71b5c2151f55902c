import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { parse } from "csv-parse/sync";
import { demoCredentials, signIn, watchConsole } from "./helpers";

// The weekly export as people use it: pick a week and rows, preview, download; and as a
// script uses it, with an API key.

const HEADER = "week,team,team_path,headcount,active_users,adoption_pct,invocations,input_tokens,output_tokens,cache_read_tokens,cache_write_tokens,total_tokens,cost_usd,rank,rank_change,merged_prs,ai_merged_prs,ai_pr_share_pct,landed_commits,ai_commits,ai_commit_share_pct";

test("an admin previews last week's team export and downloads the same rows", async ({ page }) => {
  const errors = watchConsole(page);
  await signIn(page, "admin");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Export" }).click();
  await expect(page.getByRole("heading", { name: "Weekly export" })).toBeVisible();
  const week = await page.getByLabel("ISO week").inputValue();
  expect(week).toMatch(/^\d{4}-W\d{2}$/);
  const preview = page.getByRole("region", { name: "Preview" });
  await expect(preview.getByText(new RegExp(`^wakeboard-${week}-team\\.csv · one row per team`))).toBeVisible();
  await expect(preview.getByRole("columnheader", { name: "team_path" })).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/export.png", fullPage: true });
  const firstTeam = (await preview.locator("tbody tr").first().locator("td").nth(1).innerText()).trim();

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download CSV" }).click()]);
  expect(download.suggestedFilename()).toBe(`wakeboard-${week}-team.csv`);
  const text = fs.readFileSync((await download.path())!, "utf8");
  expect(text.startsWith(HEADER + "\r\n")).toBe(true);
  const rows = parse(text, { columns: true, record_delimiter: "\r\n" }) as Record<string, string>[];
  expect(rows.length).toBeGreaterThan(1);
  expect(rows[0].team).toBe(firstTeam);
  expect(rows.every((r) => r.week === week)).toBe(true);
  expect(errors).toEqual([]);
});

test("the choice lives in the URL; per-person rows and an Excel BOM for an admin", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/export");
  await page.getByLabel("ISO week").fill("2026-W47");
  await page.getByLabel("Rows").selectOption("person");
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page).toHaveURL(/week=2026-W47/);
  await expect(page).toHaveURL(/grain=person/);
  const preview = page.getByRole("region", { name: "Preview" });
  await expect(preview.getByRole("columnheader", { name: "person_email" })).toBeVisible();
  await page.getByLabel("For Excel (UTF-8 BOM)").check();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download CSV" }).click()]);
  expect(download.suggestedFilename()).toBe("wakeboard-2026-W47-person.csv");
  const bytes = fs.readFileSync((await download.path())!);
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(bytes.subarray(3).toString("utf8").startsWith("week,team,team_path,person_email,person_name,headcount,")).toBe(true);
});

test("a viewer gets team-level rows only, and a clear note when asking for people", async ({ page }) => {
  await signIn(page, "viewer");
  await page.goto("/export?grain=person&week=2026-W99");
  await expect(page.getByText("Per-person rows are for admins and for managers of a team", { exact: false }).first()).toBeVisible();
  await expect(page.getByText("Week “2026-W99”", { exact: false })).toBeVisible();
  await expect(page.getByLabel("Rows").locator("option")).toHaveText(["One row per team", "One row per team and tool"]);
  const res = await page.request.get("/api/v1/exports/weekly.csv?grain=person");
  expect(res.status()).toBe(403);
});

test("a manager's per-person export holds only the teams they manage", async ({ page }) => {
  await signIn(page, "manager");
  await page.goto("/export?grain=person");
  const preview = page.getByRole("region", { name: "Preview" });
  await expect(preview.getByRole("columnheader", { name: "person_email" })).toBeVisible();
  const res = await page.request.get("/api/v1/exports/weekly.csv?grain=person");
  expect(res.status()).toBe(200);
  const rows = parse(await res.text(), { columns: true, record_delimiter: "\r\n" }) as Record<string, string>[];
  expect(rows.length).toBeGreaterThan(0);
  // The demo manager manages the platform group: every row is one of its teams.
  expect(rows.every((r) => r.team_path.startsWith("acme/platform/"))).toBe(true);
});

test("a script downloads with an export key; a bad week is a 400 that says why", async ({ request }) => {
  const key = demoCredentials().ingestKey!;
  const ok = await request.get("/api/v1/exports/weekly.csv?week=2026-W47&grain=team-tool", { headers: { authorization: `Bearer ${key}` } });
  expect(ok.status()).toBe(200);
  expect(ok.headers()["content-disposition"]).toBe('attachment; filename="wakeboard-2026-W47-team-tool.csv"');
  expect(ok.headers()["cache-control"]).toBe("no-store");
  expect((await ok.text()).split("\r\n")[0]).toBe(HEADER.replace("team_path,", "team_path,tool,"));
  const bad = await request.get("/api/v1/exports/weekly.csv?week=2025-W53", { headers: { authorization: `Bearer ${key}` } });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error.message).toMatch(/2025-W53 does not exist/);
});
