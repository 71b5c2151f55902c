import { z } from "zod";

// The parts of GitHub's webhook payloads Wakeboard reads ("Webhook events and payloads":
// push, pull_request). Unknown fields are ignored; a payload without these is recorded and
// marked "ignored" with the reason, never an error.

const repository = z.object({
  full_name: z.string().min(1),
  default_branch: z.string().min(1).optional(),
});

const gitActor = z.object({
  name: z.string().default(""),
  email: z.string().nullish(),
  username: z.string().nullish(),
});

export const pushCommit = z.object({
  id: z.string().regex(/^[0-9a-f]{40}$/i),
  message: z.string().default(""),
  timestamp: z.string().refine((t) => !Number.isNaN(Date.parse(t)), "is not a timestamp"),
  distinct: z.boolean().optional(),
  author: gitActor,
  committer: gitActor.nullish(),
});

export const pushPayload = z.object({
  ref: z.string(),
  before: z.string().optional(),
  after: z.string().optional(),
  created: z.boolean().optional(),
  deleted: z.boolean().optional(),
  forced: z.boolean().optional(),
  repository,
  commits: z.array(pushCommit).default([]),
});
export type PushPayload = z.infer<typeof pushPayload>;

const user = z.object({ login: z.string(), type: z.string().optional() });

export const pullRequestPayload = z.object({
  action: z.string(),
  number: z.number().int().positive().optional(),
  repository,
  pull_request: z.object({
    number: z.number().int().positive(),
    title: z.string().default(""),
    body: z.string().nullish(),
    user,
    assignees: z.array(user).nullish(),
    labels: z.array(z.object({ name: z.string() })).nullish(),
    created_at: z.string(),
    merged_at: z.string().nullish(),
    merged: z.boolean().nullish(),
    merge_commit_sha: z.string().nullish(),
    merged_by: user.nullish(),
    head: z.object({ ref: z.string() }).partial().nullish(),
  }),
});
export type PullRequestPayload = z.infer<typeof pullRequestPayload>;

/** What the delivery log shows before processing: event, action and repository, if any. */
export const deliveryHeader = z
  .object({ action: z.string().optional(), repository: z.object({ full_name: z.string() }).partial().optional() })
  .partial();
