import fs from "node:fs";
import path from "node:path";
import { expect, type Page } from "@playwright/test";
import { dataDir } from "../playwright.config";

export interface DemoCredentials {
  adminEmail: string;
  adminPassword: string;
  ingestKey?: string;
}

/** The demo logins `npm start` generated for this run. */
export function demoCredentials(): DemoCredentials {
  return JSON.parse(fs.readFileSync(path.join(dataDir, "demo-credentials.json"), "utf8")) as DemoCredentials;
}

export const DEMO_USERS = {
  admin: "admin@wakeboard.local",
  manager: "manager@wakeboard.local",
  viewer: "viewer@wakeboard.local",
} as const;

/** Signs in through the login form, as a person would. */
export async function signIn(page: Page, who: keyof typeof DEMO_USERS = "admin") {
  const { adminPassword } = demoCredentials();
  await page.goto("/login");
  await page.getByLabel("Email").fill(DEMO_USERS[who]);
  await page.getByLabel("Password").fill(adminPassword);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
}

/** Collects console errors, page errors and failed requests, to assert none happened. */
export function watchConsole(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`${m.text()} (${m.location().url})`);
  });
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("response", (r) => {
    if (r.status() >= 400) errors.push(`${r.status()} ${new URL(r.url()).pathname}`);
  });
  return errors;
}
