import { z } from "zod";

// Alert rules and the exact edges at which each fires (issue 15). Each check is pure; the
// evaluator feeds it figures from the query functions. Every crossing has a key — rule,
// subject and the month, week or outage it belongs to — so it is recorded, and delivered,
// once however often and on however many instances the rules are evaluated.

export const RULE_KINDS = ["goal_at_risk", "ceiling", "adoption_drop", "tool_silent"] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export const RULE_INFO: Record<RuleKind, { label: string; threshold?: { label: string; unit: string; default: number; min: number; max: number } }> = {
  goal_at_risk: { label: "A goal is at risk" },
  ceiling: { label: "A cost ceiling is crossed (80 % and 100 %)" },
  adoption_drop: { label: "Adoption falls week over week", threshold: { label: "by more than", unit: "points", default: 5, min: 0.1, max: 100 } },
  tool_silent: { label: "A tool's data stops", threshold: { label: "silent for more than", unit: "hours", default: 24, min: 1, max: 24 * 27 } },
};

export const ruleInput = z
  .object({
    team: z
      .string()
      .trim()
      .toLowerCase()
      .default("")
      .transform((v) => v || null),
    kind: z.enum(RULE_KINDS),
    threshold: z
      .union([z.literal("").transform(() => undefined), z.coerce.number({ error: "a number" })])
      .optional(),
  })
  .transform((r, ctx) => {
    const t = RULE_INFO[r.kind].threshold;
    if (!t) return { ...r, threshold: null };
    const value = r.threshold ?? t.default;
    if (value < t.min || value > t.max) ctx.addIssue({ code: "custom", path: ["threshold"], message: `must be between ${t.min} and ${t.max} ${t.unit}` });
    return { ...r, threshold: value };
  });
export type RuleInput = z.infer<typeof ruleInput>;

/** The levels of a ceiling reached so far: exactly 80 % counts as crossing 80 %. */
export const CEILING_LEVELS = [80, 100] as const;
export function ceilingLevelsReached(actual: number, ceiling: number): number[] {
  if (ceiling <= 0) return [];
  // Compare actual × 100 with level × ceiling, not a rounded percentage: $80.00 of $100 is 80 %.
  return CEILING_LEVELS.filter((level) => actual * 100 >= level * ceiling);
}

/** Adoption fell by more than `points` (strictly) from the previous week to this one. */
export function adoptionDropped(previousPct: number | null, currentPct: number | null, points: number): boolean {
  if (previousPct === null || currentPct === null) return false;
  // One decimal, as adoption is shown: 42.0 → 37.0 is a drop of exactly 5.0, not 4.999….
  return Math.round((previousPct - currentPct) * 10) / 10 > points;
}

/** How long a tool may have been silent and still count as one that "usually reports". */
export const USUALLY_REPORTS_DAYS = 28;

/**
 * A tool's data stopped: it reported within the last USUALLY_REPORTS_DAYS days, but nothing
 * for more than `hours`. Exactly `hours` of silence is not yet an alert.
 */
export function toolSilent(lastEventAt: Date | null, now: Date, hours: number): boolean {
  if (!lastEventAt) return false;
  const silentMs = now.getTime() - lastEventAt.getTime();
  return silentMs > hours * 3_600_000 && silentMs <= USUALLY_REPORTS_DAYS * 86_400_000;
}

export const crossingKey = {
  goalAtRisk: (ruleId: number, goalId: number, month: string) => `goal_at_risk:${ruleId}:${goalId}:${month}`,
  ceiling: (ruleId: number, goalId: number, month: string, level: number) => `ceiling:${ruleId}:${goalId}:${month}:${level}`,
  adoptionDrop: (ruleId: number, week: string) => `adoption_drop:${ruleId}:${week}`,
  toolSilent: (ruleId: number, tool: string, lastEventAt: Date) => `tool_silent:${ruleId}:${tool}:${lastEventAt.toISOString()}`,
};
