// Competition ranking ("1, 2, 2, 4", DESIGN.md §5): descending by value; equal values share
// a rank and the next rank skips; ties are listed by slug. Items without a value (adoption
// with headcount 0, growth from nothing) get no rank and come last, by slug.

export interface Rankable {
  slug: string;
  value: number | null;
}

export function competitionRank<T extends Rankable>(items: readonly T[]): (T & { rank: number | null })[] {
  const sorted = [...items].sort((a, b) => {
    if (a.value === null || b.value === null) {
      if (a.value !== b.value) return a.value === null ? 1 : -1;
    } else if (a.value !== b.value) return b.value - a.value;
    return a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0;
  });
  let rank = 0;
  return sorted.map((item, i) => {
    if (item.value === null) return { ...item, rank: null };
    if (i === 0 || sorted[i - 1].value !== item.value) rank = i + 1;
    return { ...item, rank };
  });
}

/** previous rank − current rank: positive moved up; null when either is missing. */
export function rankChange(current: number | null, previous: number | null | undefined): number | null {
  return current === null || previous === null || previous === undefined ? null : previous - current;
}
