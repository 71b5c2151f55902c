import { expect, test, type Page } from "@playwright/test";
import { baseURL, OIDC_ALLOWED_DOMAIN, oidcPort } from "../playwright.config";
import { startOidcServer } from "./oidc-server";

// Single sign-on against a real OpenID Provider started here (the app was started with
// OIDC_ISSUER pointing at it, WAKEBOARD_OIDC_DEFAULT_ROLE=manager and
// WAKEBOARD_OIDC_ALLOWED_DOMAINS=sso.example; see playwright.config.ts).

let op: Awaited<ReturnType<typeof startOidcServer>>;
test.beforeAll(async () => {
  op = await startOidcServer({ port: oidcPort, redirectUri: `${baseURL}/api/auth/callback/oidc` });
});
test.afterAll(async () => {
  await op?.close();
});

/** Clicks single sign-on and signs in on the provider's own login page. */
async function signInWithSso(page: Page, email: string) {
  await page.goto("/login");
  await page.getByRole("button", { name: "Sign in with single sign-on" }).click();
  await expect(page).toHaveURL(new RegExp(`^${op.issuer}/`));
  await page.locator('input[name="login"]').fill(email);
  await page.locator('input[name="password"]').fill("any password");
  await page.locator('button[type="submit"]').click();
}

test("a first sign-in by single sign-on creates the user with the default role", async ({ page }) => {
  const email = `first.login.${Date.now()}@${OIDC_ALLOWED_DOMAIN}`;
  await signInWithSso(page, email);
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  expect(new URL(page.url()).origin).toBe(baseURL);
  const header = page.getByRole("banner");
  await expect(header.getByText("manager", { exact: true })).toBeVisible();
  // Managers do not administer: no admin link, and /admin is refused.
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" })).toHaveCount(0);
  const session = await (await page.request.get("/api/auth/session")).json();
  expect(Object.keys(session.user)).toEqual(["id"]); // the session holds only the user id
});

test("an email outside the allowed domains is refused", async ({ page }) => {
  await signInWithSso(page, `outsider.${Date.now()}@elsewhere.example`);
  await expect(page).toHaveURL(/\/login\?error=AccessDenied/);
  await expect(page.getByText("Your account is not allowed to sign in to Wakeboard.")).toBeVisible();
  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);
});

test("signing out ends the session", async ({ page }) => {
  await signInWithSso(page, `leaver.${Date.now()}@${OIDC_ALLOWED_DOMAIN}`);
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  // The button works once the page has hydrated: click until it has.
  await expect(async () => {
    if (!/\/login/.test(page.url())) await page.getByRole("button", { name: "Sign out" }).click({ timeout: 2000 });
    await expect(page).toHaveURL(/\/login/, { timeout: 3000 });
  }).toPass();
  await expect(page.getByRole("heading", { name: "Sign in to Wakeboard" })).toBeVisible();
  await page.goto("/leaderboard");
  await expect(page).toHaveURL(/\/login/);
  expect(await (await page.request.get("/api/auth/session")).json()).toEqual({});
});
