import { expect, test } from "@playwright/test";
import { smtpPort } from "../playwright.config";
import { headerOf, startSmtp, type TestSmtp } from "../test/helpers/smtp";
import { demoCredentials, signIn, watchConsole } from "./helpers";

// A manager sets a cost ceiling on one of their teams, reads its forecast, subscribes to the
// ceiling alert, and the alert arrives by email in this test's own SMTP server (the app sends
// to it: playwright.config.ts points WAKEBOARD_SMTP_URL here and evaluates every 2 s).

let smtp: TestSmtp;
test.beforeAll(async () => {
  smtp = await startSmtp(smtpPort);
});
test.afterAll(async () => {
  await smtp?.stop();
});

test("a manager sets a goal, sees the forecast, subscribes to an alert and gets the email", async ({ page, request }, info) => {
  test.setTimeout(180_000); // five pages and an email round trip
  const errors = watchConsole(page);
  // Some spending today on Networking (a team of Platform, which the demo manager manages).
  const { ingestKey } = demoCredentials();
  const res = await request.post("/api/v1/events", {
    headers: { authorization: `Bearer ${ingestKey}` },
    data: { id: `e2e-insights-${Date.now()}`, timestamp: new Date().toISOString(), tool: "claude-code", team: "networking", input_tokens: 1000, cost_usd: 5 },
  });
  expect(res.status()).toBe(200);

  await signIn(page, "manager");
  await page.goto("/teams/networking");
  const goals = page.getByRole("region", { name: "Goals this month" });
  await expect(goals).toBeVisible();
  await goals.getByLabel("Kind").selectOption("ceiling");
  await goals.getByLabel("Metric").selectOption("cost");
  await goals.getByLabel("Monthly value").fill("5");
  await goals.getByRole("button", { name: "Set goal" }).click();
  const goal = goals.locator('[data-goal="cost-ceiling"]');
  await expect(goal).toContainText("Cost ceiling: $5.00");
  await expect(goal).toContainText(/forecast \$[\d,.]+/);
  await expect(goal).toContainText(/Missed|At risk|On track/);
  await expect(goals).toContainText("weekday");
  await page.screenshot({ path: info.outputPath("team-goals.png"), fullPage: true });
  await info.attach("team-goals", { path: info.outputPath("team-goals.png"), contentType: "image/png" });

  // The leaderboard shows the goal in its own column.
  await page.goto("/leaderboard");
  await expect(page.getByTestId("leaderboard").getByRole("row", { name: /Networking/ }).getByTestId("goal-cell")).toBeVisible();

  // Subscribe: an alert on the team's cost ceiling, by email.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Alerts" }).click();
  const add = page.getByRole("region", { name: "Add an alert" });
  await add.getByRole("combobox", { name: /^On/ }).selectOption("networking");
  await add.getByRole("combobox", { name: /^When/ }).selectOption("ceiling");
  await expect(add.getByLabel("Email me")).toBeChecked();
  await add.getByRole("button", { name: "Add alert" }).click();
  const rule = page.getByTestId("alert-rules").getByRole("row", { name: /Networking/ });
  await expect(rule).toContainText("A cost ceiling is crossed");
  await expect(rule.getByRole("button", { name: /Subscribed/ })).toBeVisible();

  // The alert arrives by email, to the manager, once per level crossed.
  await expect.poll(() => smtp.received.filter((m) => /Networking: \d+ % of the \$5\.00 cost ceiling/.test(headerOf(m.raw, "Subject") ?? "")).length, { timeout: 30_000 }).toBeGreaterThan(0);
  const mail = smtp.received.find((m) => /Networking/.test(headerOf(m.raw, "Subject") ?? ""))!;
  expect(mail.to).toEqual(["manager@wakeboard.local"]);

  // …and the alerts page shows it in the history.
  await page.reload();
  await expect(page.getByRole("list", { name: "Alert history" })).toContainText("Networking");
  await page.screenshot({ path: info.outputPath("alerts.png"), fullPage: true });
  await info.attach("alerts", { path: info.outputPath("alerts.png"), contentType: "image/png" });
  expect(errors).toEqual([]);
});

test("the Monday digest's HTML renders in Chromium", async ({ page }, info) => {
  await signIn(page, "manager");
  const res = await page.goto("/api/v1/digest");
  expect(res?.headers()["content-type"]).toContain("text/html");
  await expect(page.getByRole("heading", { level: 1 })).toContainText(/Weekly digest — \d{4}-W\d{2}/);
  for (const section of ["Your teams", "Biggest movers in the org", "Adoption", "Goals this month", "Tools whose data stopped"]) {
    await expect(page.getByRole("heading", { level: 2, name: new RegExp(section) })).toBeVisible();
  }
  // The manager's teams (Platform's) are listed with links into the dashboard.
  await expect(page.getByRole("link", { name: "Networking" }).first()).toHaveAttribute("href", /\/teams\/networking\?period=\d{4}-W\d{2}$/);
  await page.screenshot({ path: info.outputPath("digest.png"), fullPage: true });
  await info.attach("digest", { path: info.outputPath("digest.png"), contentType: "image/png" });
});
