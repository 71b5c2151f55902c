import { defineConfig, devices } from "@playwright/test";

// End-to-end tests drive Debian's Chromium (Playwright's own download is not reachable)
// against `npm start` on a fresh embedded database, or on DATABASE_URL when set.
const port = Number(process.env.E2E_PORT ?? 3211);
export const baseURL = `http://127.0.0.1:${port}`;
export const dataDir = process.env.E2E_DATA_DIR ?? ".data/e2e";
// e2e/oidc.spec.ts starts a real OpenID Provider here; the app is pointed at it from the start.
export const oidcPort = Number(process.env.E2E_OIDC_PORT ?? port + 1000);
export const OIDC_ALLOWED_DOMAIN = "sso.example";
// e2e/insights.spec.ts starts an SMTP server (the smtp-server package) here; the app sends
// alert emails to it and evaluates alerts every 2 s.
export const smtpPort = Number(process.env.E2E_SMTP_PORT ?? port + 2);
// e2e/github.spec.ts signs its webhook deliveries with this.
export const GITHUB_WEBHOOK_SECRET = "wakeboard-e2e-github-webhook-secret";

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  globalSetup: "./e2e/global-setup.ts",
  globalTeardown: "./e2e/global-teardown.ts",
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], viewport: { width: 1366, height: 900 } } }],
  webServer: {
    command: "node e2e/serve.mjs",
    url: `${baseURL}/api/health`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      PORT: String(port),
      HOST: "127.0.0.1",
      E2E_DATA_DIR: dataDir,
      NEXT_TELEMETRY_DISABLED: "1",
      NEXTAUTH_URL: baseURL,
      OIDC_ISSUER: `http://127.0.0.1:${oidcPort}`,
      OIDC_CLIENT_ID: "wakeboard-e2e",
      OIDC_CLIENT_SECRET: "wakeboard-e2e-secret-0123456789",
      WAKEBOARD_OIDC_DEFAULT_ROLE: "manager",
      WAKEBOARD_OIDC_ALLOWED_DOMAINS: OIDC_ALLOWED_DOMAIN,
      WAKEBOARD_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      WAKEBOARD_MAIL_FROM: "Wakeboard <wakeboard@e2e.test>",
      WAKEBOARD_ALERTS_INTERVAL_S: "2",
      WAKEBOARD_DELIVERY_BACKOFF_S: "1",
      WAKEBOARD_GITHUB_WEBHOOK_SECRET: GITHUB_WEBHOOK_SECRET,
      // Connector credentials are sealed with it (e2e/connectors.spec.ts).
      WAKEBOARD_SECRET_KEY: "e2e-connector-secret-key-0123456789abcdef",
    },
  },
});
