// UTC calendar days as "YYYY-MM-DD" strings: vendors report UTC days, and strings compare in order.

export const utcDay = (d: Date) => d.toISOString().slice(0, 10);

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return utcDay(d);
}
