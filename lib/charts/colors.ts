// Consistent colours: a team (or tool, or model) gets the same colour on every chart and
// page, derived from its slug, so "payments" is always the same hue.

export const PALETTE = [
  "#2563eb", "#db2777", "#16a34a", "#ea580c", "#7c3aed",
  "#0891b2", "#ca8a04", "#dc2626", "#4f46e5", "#059669",
  "#9333ea", "#0d9488", "#c2410c", "#be185d", "#65a30d",
];

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

export function colorFor(key: string): string {
  return PALETTE[hash(key) % PALETTE.length];
}

/**
 * Colours for a set shown together: each key keeps its own colour unless two collide, in
 * which case the later one (in order) takes the next free colour.
 */
export function colorsFor(keys: string[]): Record<string, string> {
  const used = new Set<string>();
  const out: Record<string, string> = {};
  for (const k of keys) {
    let i = hash(k) % PALETTE.length;
    for (let n = 0; n < PALETTE.length && used.has(PALETTE[i]); n++) i = (i + 1) % PALETTE.length;
    out[k] = PALETTE[i];
    used.add(PALETTE[i]);
  }
  return out;
}
