// POST /api/v1/github/webhook – GitHub App / organisation webhook deliveries: push, pull_request (docs/github.md).
import { route } from "@/lib/http/route";
import { json } from "@/lib/http/respond";
import { receiveGithubWebhook } from "@/lib/github/receive";
import { kickGithubWorker } from "@/lib/github/worker";

export const dynamic = "force-dynamic";

// Public to sessions and API keys: a delivery proves itself with its HMAC signature, checked
// before anything is stored. Answered once recorded; the worker processes it.
export const POST = route({ public: true }, async ({ req }) => {
  const received = await receiveGithubWebhook(req.headers, req.body);
  if (received.status === "queued") kickGithubWorker();
  return json(received, 202);
});
