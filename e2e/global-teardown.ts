import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { dataDir } from "../playwright.config";

// Drops the database e2e/serve.mjs created on the test server for this run.
export default async function globalTeardown() {
  const marker = path.join(dataDir, "e2e-database");
  const server = process.env.WAKEBOARD_TEST_SERVER_URL || process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (!server || !fs.existsSync(marker)) return;
  const name = fs.readFileSync(marker, "utf8").trim();
  if (!/^wakeboard_e2e_\d+$/.test(name)) return;
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    fs.rmSync(marker);
  } finally {
    await client.end();
  }
}
