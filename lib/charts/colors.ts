// One colour per tool, per model and per compared team, on every chart and page.
//
// The palette is colour-blind safe: Okabe & Ito's colours (without yellow, too light on
// white) completed with three of Paul Tol's and a grey, ordered so that neighbours stay
// far apart as protanopes and deuteranopes see them (lib/charts/prepare.test.ts checks it). A colour is never chosen by the set a chart
// happens to show (that made Codex amber on one page and red on another): it comes from the
// key's place in a fixed catalogue — tools in a fixed order, then by creation; models by name;
// compared teams by their place in the comparison.

export const PALETTE = [
  "#0072B2", // blue (Okabe-Ito)
  "#999933", // olive (Tol)
  "#56B4E9", // sky blue (Okabe-Ito)
  "#882255", // wine (Tol)
  "#E69F00", // orange (Okabe-Ito)
  "#6B7280", // grey
  "#D55E00", // vermillion (Okabe-Ito)
  "#CC79A7", // reddish purple (Okabe-Ito)
  "#332288", // indigo (Tol)
  "#009E73", // bluish green (Okabe-Ito)
] as const;

/** The colour of folded series ("Other"). */
export const OTHER_COLOR = "#CBD5E1";

/** The well-known tools keep their colour whatever else reports. */
const KNOWN_TOOLS = ["claude-code", "gemini-cli", "codex", "copilot"];
const TOOL_COLOR: Record<string, string> = {
  "claude-code": PALETTE[6],
  "gemini-cli": PALETTE[0],
  codex: PALETTE[9],
  copilot: PALETTE[7],
};

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** A key not in any catalogue: stable, but not guaranteed distinct. */
export function colorFor(key: string): string {
  return PALETTE[hash(key) % PALETTE.length];
}

/** Colours by place in a catalogue (distinct for the first PALETTE.length keys). */
export function catalogColors(catalog: readonly string[]): Record<string, string> {
  return Object.fromEntries(catalog.map((k, i) => [k, PALETTE[i % PALETTE.length]]));
}

/**
 * Tool colours: the known tools fixed, other tools (slugs in creation order) take the colours
 * the known ones leave free.
 */
export function toolColors(slugsByCreation: readonly string[]): Record<string, string> {
  const free = PALETTE.filter((c) => !Object.values(TOOL_COLOR).includes(c));
  const others = slugsByCreation.filter((s) => !KNOWN_TOOLS.includes(s));
  return { ...Object.fromEntries(others.map((s, i) => [s, free[i % free.length]])), ...TOOL_COLOR };
}

/** Model colours: by name order among the models known to the catalogue. */
export function modelColors(models: readonly string[]): Record<string, string> {
  return catalogColors([...models].sort());
}
