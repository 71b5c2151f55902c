import { addDaysTo, eachDay, type IsoDate } from "@/lib/time/calendar";

// The end-of-month forecast of a summed figure (tokens, cost, invocations …), with the
// week's rhythm taken into account: teams use agents far less at weekends, so a month with
// five weekends left is not forecast like one with four.
//
// 1. Weekday weights: the mean of each weekday (Mon … Sun) over the 8 complete weeks (56
//    days) before today, divided by the mean of all 56 days. No history: every weight is 1.
// 2. The month's rate: the month-to-date sum over its complete days (1st … yesterday)
//    divided by the sum of those days' weights — "per average day". On the 1st (no complete
//    day yet), or when the complete days all weigh 0, the 56-day mean is the rate.
// 3. Forecast = complete days' sum + rate × the weights of the days left (today … month end),
//    and never less than what is already counted including today.
// A month that is over has no forecast: it is its actual.

export const HISTORY_DAYS = 56;

export interface ForecastInput {
  /** Daily values from at least HISTORY_DAYS before `today` through `today`; missing days are 0. */
  daily: Map<IsoDate, number>;
  start: IsoDate;
  end: IsoDate;
  today: IsoDate;
}

export interface Forecast {
  /** Month to date, today included. */
  actual: number;
  forecast: number;
  /** Weight per ISO weekday, Monday first. */
  weights: number[];
  /** Complete days counted / days left (today included). */
  elapsedDays: number;
  remainingDays: number;
}

/** ISO weekday of a date, Monday = 0 … Sunday = 6 (calendar arithmetic, no time zone). */
export function weekdayIndex(day: IsoDate): number {
  const [y, m, d] = day.split("-").map(Number);
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
}

export function weekdayWeights(daily: Map<IsoDate, number>, today: IsoDate): { weights: number[]; mean: number } {
  const sums = [0, 0, 0, 0, 0, 0, 0];
  const counts = [0, 0, 0, 0, 0, 0, 0];
  let total = 0;
  for (const day of eachDay(addDaysTo(today, -HISTORY_DAYS), addDaysTo(today, -1))) {
    const v = daily.get(day) ?? 0;
    const w = weekdayIndex(day);
    sums[w] += v;
    counts[w] += 1;
    total += v;
  }
  const mean = total / HISTORY_DAYS;
  if (mean <= 0) return { weights: [1, 1, 1, 1, 1, 1, 1], mean: 0 };
  return { weights: sums.map((s, i) => s / counts[i] / mean), mean };
}

export function forecastMonth(input: ForecastInput): Forecast {
  const { daily, start, end, today } = input;
  const value = (d: IsoDate) => daily.get(d) ?? 0;
  const { weights, mean } = weekdayWeights(daily, today);
  if (today > end) {
    const actual = eachDay(start, end).reduce((s, d) => s + value(d), 0);
    return { actual, forecast: actual, weights, elapsedDays: eachDay(start, end).length, remainingDays: 0 };
  }
  const elapsed = eachDay(start, addDaysTo(today, -1));
  const remaining = eachDay(today, end);
  const complete = elapsed.reduce((s, d) => s + value(d), 0);
  const actual = complete + value(today);
  const elapsedWeight = elapsed.reduce((s, d) => s + weights[weekdayIndex(d)], 0);
  const rate = elapsed.length > 0 && elapsedWeight > 0 ? complete / elapsedWeight : mean;
  const projected = rate * remaining.reduce((s, d) => s + weights[weekdayIndex(d)], 0);
  return { actual, forecast: Math.max(complete + projected, actual), weights, elapsedDays: elapsed.length, remainingDays: remaining.length };
}

/** How the forecast is made, in one sentence for the page and the docs. */
export const FORECAST_METHOD =
  "Month-to-date rate per average day, projected over the days left with each weekday weighted by its share of the last 8 weeks' usage (weekends usually weigh less); distinct counts (active users, adoption) use the last 28 days instead.";
