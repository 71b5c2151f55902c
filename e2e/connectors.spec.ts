import { expect, test, type Page } from "@playwright/test";
import { signIn, watchConsole } from "./helpers";
import { CopilotMock } from "../test/mocks/copilot-server";
import { copilotExpected, copilotFixture, COPILOT_PEOPLE } from "../test/mocks/copilot-fixture";

// An admin connects GitHub Copilot (a local mock of GitHub's usage metrics reports), runs the
// connector, and finds Copilot usage on the leaderboard; a refused token shows as a clear
// error on the connector, not as a crash.

const run = Date.now().toString(36);
const team = `copilot-${run}`;
let mock: CopilotMock;

function lastDays(n: number): string[] {
  const out: string[] = [];
  for (let i = n; i >= 1; i--) out.push(new Date(Date.now() - i * 86_400_000).toISOString().slice(0, 10));
  return out;
}
const fixture = copilotFixture(lastDays(14), 5);

test.beforeAll(async () => {
  mock = await new CopilotMock().start();
  mock.users = fixture.users;
  mock.teams = fixture.teams;
});
test.afterAll(async () => {
  await mock?.stop();
});

async function open(page: Page, path: string, heading: string) {
  await page.goto(path);
  await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
}

async function addConnector(page: Page, name: string, secret: string) {
  await open(page, "/admin/connectors", "Connectors");
  const form = page.locator("form", { has: page.getByRole("button", { name: "Add connector" }) });
  await form.getByLabel("Vendor").selectOption("copilot");
  await form.getByLabel("Name", { exact: true }).fill(name);
  await form.getByLabel(/^Scope/).fill("orgs/acme");
  await form.getByLabel("Base URL").fill(mock.url);
  await form.getByLabel("Credentials").fill(secret);
  await form.getByLabel("Backfill days").fill("14");
  await form.getByRole("button", { name: "Add connector" }).click();
  await expect(form.getByText("Connector added.")).toBeVisible();
  return page.locator(`article[data-connector="${name}"]`);
}

test("an admin adds a Copilot connector, runs it, and sees Copilot usage on the leaderboard", async ({ page }) => {
  test.setTimeout(180_000);
  const errors = watchConsole(page);
  await signIn(page, "admin");

  // The people GitHub reports, on a team of their own, with their GitHub logins.
  await open(page, "/admin/teams", "Teams");
  const create = page.locator("form", { has: page.getByRole("button", { name: "Create team" }) });
  await create.getByLabel("Slug").fill(team);
  await create.getByLabel("Name").fill(`Copilot ${run}`);
  await create.getByRole("button", { name: "Create team" }).click();
  await expect(page.getByText("Team created.")).toBeVisible();
  await open(page, "/admin/roster", "Roster import");
  const csv = ["email,name,team,identities", ...COPILOT_PEOPLE.map((p) => `${p.login}.${run}@acme.test,${p.login},${team},github.login:${p.login}`)].join("\n");
  await page.getByLabel("…or paste it").fill(csv);
  await page.getByRole("button", { name: "Preview" }).click();
  await page.getByRole("button", { name: `Apply ${COPILOT_PEOPLE.length} changes` }).click();
  await expect(page.getByText(new RegExp(`Applied: ${COPILOT_PEOPLE.length} created`))).toBeVisible();

  const card = await addConnector(page, `github-${run}`, mock.token);
  await expect(card).toContainText(mock.url);
  await expect(card.getByText(mock.token)).toHaveCount(0);
  await card.getByRole("button", { name: "Run now" }).click();
  // A long run goes on in the background; the page refreshes itself while it runs.
  await expect(card.getByTestId("connector-status")).toContainText(": ok", { timeout: 120_000 });
  await expect(card.locator("tr[data-run]").first()).toContainText("14 (");
  await page.screenshot({ path: "test-results/screenshots/admin-connectors.png", fullPage: true });

  const expected = [...copilotExpected(fixture.users, (login) => (COPILOT_PEOPLE.some((p) => p.login === login) ? team : "unassigned"))]
    .filter(([k]) => k.startsWith(`${team}|`))
    .reduce((a, [, v]) => a + v.invocations, 0);
  await page.goto(`/leaderboard?tool=copilot&metric=invocations&period=30d`);
  const row = page.locator("tbody tr", { has: page.getByRole("link", { name: `Copilot ${run}`, exact: true }) });
  await expect(row.locator(`td[title="${new Intl.NumberFormat("en-US").format(expected)}"]`).first()).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/leaderboard-copilot.png" });
  expect(errors).toEqual([]);
});

test("a refused token shows as a clear error on the connector", async ({ page }) => {
  await signIn(page, "admin");
  const card = await addConnector(page, `bad-token-${run}`, "ghp_notTheRightToken");
  await card.getByRole("button", { name: "Run now" }).click();
  await expect(card.getByTestId("connector-status")).toContainText(": failed");
  await expect(card.getByRole("alert").filter({ hasText: "Last run failed" })).toContainText("refused the credentials (401 Bad credentials)");
  await expect(card.getByRole("alert").filter({ hasText: "Last run failed" })).toContainText("Scheduled runs are paused until new credentials are entered");
});
