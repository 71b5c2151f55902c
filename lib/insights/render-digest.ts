import { formatChange, formatCompact, formatPct } from "@/lib/charts/format";
import { goalLabel, STATE_LABEL } from "@/lib/insights/goal-state";
import { escapeHtml, escapeSlack, publicUrl, type Rendered } from "@/lib/insights/messages";
import type { Digest } from "@/lib/insights/digest";
import { METRIC_INFO, type Metric } from "@/lib/queries/metrics";
import { formatMetric } from "@/lib/charts/format";

// The digest as email (plain text and HTML with inline styles, as mail clients need) and as
// a Slack-compatible webhook body. Every section links into the dashboard.

const fmtGoal = (metric: string, v: number | null) => formatMetric(v, METRIC_INFO[metric as Metric]?.unit ?? "count");
const move = (n: number | null) => (n === null ? "new" : n > 0 ? `▲${n}` : n < 0 ? `▼${-n}` : "–");
const pts = (cur: number | null, prev: number | null) => (cur === null || prev === null ? "" : ` (${cur - prev >= 0 ? "+" : "−"}${Math.abs(Math.round((cur - prev) * 10) / 10)} pts)`);

export function renderDigest(d: Digest, who: string, base = publicUrl()): Rendered {
  const link = (path: string) => `${base}${path}`;
  const board = link(`/leaderboard?period=${d.week}`);
  const title = `Wakeboard weekly digest — ${d.week} (${d.from} – ${d.to})`;
  const scope = d.scope === "org" ? "the whole org" : "your teams";

  const text: string[] = [title, `For ${who}: ${scope}.`, ""];
  text.push(d.scope === "org" ? `Top teams by tokens (of ${d.teamsTotal}):` : `Your teams by tokens (rank of ${d.teamsTotal}):`);
  for (const t of d.teams) text.push(`  #${t.rank ?? "—"} ${move(t.rankChange)}  ${t.name}: ${formatCompact(t.tokens)} tokens (${formatChange(t.growthPct)}), adoption ${formatPct(t.adoptionPct)}${pts(t.adoptionPct, t.previousAdoptionPct)}  ${link(`/teams/${t.slug}?period=${d.week}`)}`);
  if (d.teams.length === 0) text.push("  (no teams)");
  text.push("", "Biggest movers in the org:");
  for (const m of [...d.movers.up, ...d.movers.down]) text.push(`  ${move(m.rankChange)} ${m.name} (now #${m.rank})`);
  if (!d.movers.up.length && !d.movers.down.length) text.push("  (no rank changes)");
  text.push("", "Adoption:");
  for (const a of d.adoption) text.push(`  ${a.name}: ${formatPct(a.pct)}${pts(a.pct, a.previousPct)} — ${a.activeUsers ?? 0} of ${a.headcount} people active`);
  text.push("", "Goals this month:");
  for (const g of d.goals) text.push(`  ${g.team} — ${goalLabel(g)} ${fmtGoal(g.metric, g.value)}: ${g.state ? STATE_LABEL[g.state] : "no data"}, ${fmtGoal(g.metric, g.actual)} so far, forecast ${fmtGoal(g.metric, g.forecast)}`);
  if (d.goals.length === 0) text.push(`  (none set — ${link("/goals")})`);
  text.push("", "Tools whose data stopped:");
  for (const s of d.silentTools) text.push(`  ${s.name}${s.team ? ` (${s.team})` : ""}: last event ${s.lastEventAt.replace("T", " ").slice(0, 16)} UTC`);
  if (d.silentTools.length === 0) text.push("  (none: every tool that usually reports did so in the last 24 h)");
  text.push("", `Leaderboard for ${d.week}: ${board}`, `Change what reaches you: ${link("/me/notifications")}`);

  const h = escapeHtml;
  const th = `style="text-align:left;padding:4px 8px;border-bottom:1px solid #e2e8f0;font-size:12px;color:#64748b"`;
  const td = `style="padding:4px 8px;border-bottom:1px solid #f1f5f9"`;
  const section = (name: string, body: string) => `<h2 style="font-size:15px;margin:20px 0 6px">${h(name)}</h2>${body}`;
  const teamsTable = d.teams.length
    ? `<table style="border-collapse:collapse;font-size:13px;width:100%"><tr><th ${th}>Rank</th><th ${th}>±</th><th ${th}>Team</th><th ${th}>Tokens</th><th ${th}>Growth</th><th ${th}>Adoption</th></tr>${d.teams
        .map(
          (t) =>
            `<tr><td ${td}>${t.rank ?? "—"}</td><td ${td} style="color:${(t.rankChange ?? 0) > 0 ? "#047857" : (t.rankChange ?? 0) < 0 ? "#be123c" : "#64748b"}">${move(t.rankChange)}</td><td ${td}><a href="${h(link(`/teams/${t.slug}?period=${d.week}`))}">${h(t.name)}</a></td><td ${td}>${formatCompact(t.tokens)}</td><td ${td}>${formatChange(t.growthPct)}</td><td ${td}>${formatPct(t.adoptionPct)}${h(pts(t.adoptionPct, t.previousAdoptionPct))}</td></tr>`,
        )
        .join("")}</table>`
    : "<p>No teams.</p>";
  const list = (items: string[], empty: string) => (items.length ? `<ul style="margin:0;padding-left:18px">${items.map((i) => `<li>${i}</li>`).join("")}</ul>` : `<p style="color:#64748b">${h(empty)}</p>`);
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>${h(title)}</title></head><body style="font-family:system-ui,-apple-system,Segoe UI,sans-serif;color:#0f172a;max-width:680px;margin:0 auto;padding:16px">
<h1 style="font-size:20px;margin:0">Weekly digest — ${h(d.week)}</h1>
<p style="color:#475569;margin:4px 0 0">${h(d.from)} – ${h(d.to)} · for ${h(who)}: ${h(scope)}</p>
${section(d.scope === "org" ? `Top teams (of ${d.teamsTotal})` : `Your teams (rank of ${d.teamsTotal})`, teamsTable)}
${section("Biggest movers in the org", list([...d.movers.up, ...d.movers.down].map((m) => `<span style="color:${m.rankChange > 0 ? "#047857" : "#be123c"}">${move(m.rankChange)}</span> <a href="${h(link(`/teams/${m.slug}?period=${d.week}`))}">${h(m.name)}</a> (now #${m.rank})`), "No rank changes."))}
${section("Adoption", list(d.adoption.map((a) => `${h(a.name)}: <strong>${formatPct(a.pct)}</strong>${h(pts(a.pct, a.previousPct))} — ${a.activeUsers ?? 0} of ${a.headcount} people active`), "No headcount."))}
${section("Goals this month", list(d.goals.map((g) => `${h(g.team)} — ${h(goalLabel(g))} ${h(fmtGoal(g.metric, g.value))}: <strong>${g.state ? STATE_LABEL[g.state] : "no data"}</strong>, ${h(fmtGoal(g.metric, g.actual))} so far, forecast ${h(fmtGoal(g.metric, g.forecast))}`), "No goals set."))}
${section("Tools whose data stopped", list(d.silentTools.map((s) => `${h(s.name)}${s.team ? ` (${h(s.team)})` : ""}: last event ${h(s.lastEventAt.replace("T", " ").slice(0, 16))} UTC`), "None: every tool that usually reports did so in the last 24 hours."))}
<p style="margin-top:24px"><a href="${h(board)}" style="background:#2563eb;color:#fff;padding:8px 14px;border-radius:6px;text-decoration:none">Open the leaderboard for ${h(d.week)}</a></p>
<p style="font-size:12px;color:#64748b">Sent every Monday after the weekly export. <a href="${h(link("/me/notifications"))}">Change what reaches you</a>.</p>
</body></html>`;

  const s = escapeSlack;
  const slackLines = [
    `*${s(title)}*`,
    ...d.teams.slice(0, 10).map((t) => `#${t.rank ?? "—"} ${move(t.rankChange)} <${link(`/teams/${t.slug}?period=${d.week}`)}|${s(t.name)}> — ${formatCompact(t.tokens)} tokens, adoption ${formatPct(t.adoptionPct)}`),
  ];
  const movers = [...d.movers.up, ...d.movers.down].map((m) => `${move(m.rankChange)} ${s(m.name)}`).join(" · ");
  return {
    subject: `[Wakeboard] Weekly digest ${d.week}`,
    text: text.join("\n"),
    html,
    body: {
      text: title,
      blocks: [
        { type: "section", text: { type: "mrkdwn", text: slackLines.join("\n") } },
        { type: "section", text: { type: "mrkdwn", text: `*Movers:* ${movers || "none"}\n*Adoption:* ${d.adoption.map((a) => `${s(a.name)} ${formatPct(a.pct)}${pts(a.pct, a.previousPct)}`).join(", ")}\n*Goals at risk or missed:* ${d.goals.filter((g) => g.state === "at_risk" || g.state === "missed").map((g) => `${s(g.team)} ${s(goalLabel(g).toLowerCase())}`).join(", ") || "none"}\n*Silent tools:* ${d.silentTools.map((t) => s(t.name)).join(", ") || "none"}` } },
        { type: "context", elements: [{ type: "mrkdwn", text: `<${board}|Open the leaderboard for ${d.week}>` }] },
      ],
    },
  };
}
