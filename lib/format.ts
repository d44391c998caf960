/**
 * How the app writes numbers, sizes, durations, dates and counted nouns, for pages, components
 * and the CLI alike (pure; runs in the browser too). Always the en-US locale and UTC, never the
 * browser's or server's own: the same page renders the same text on the server and the client.
 */

const LOCALE = "en-US";

const integer = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
const decimal1 = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 1 });
const plurals = new Intl.PluralRules(LOCALE);

/** 1234567 → "1,234,567". */
export function formatCount(n: number): string {
  return integer.format(n);
}

/** "1 user", "2 users", "1,204 pairs"; `plural` when the noun is irregular. */
export function formatCounted(n: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(n)} ${plurals.select(n) === "one" ? singular : plural}`;
}

/** Binary units, as upload limits are set: 1536 → "1.5 KB", 512 → "512 bytes". */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${decimal1.format(bytes / 1024 ** 3)} GB`;
  if (bytes >= 1024 ** 2) return `${decimal1.format(bytes / 1024 ** 2)} MB`;
  if (bytes >= 1024) return `${decimal1.format(bytes / 1024)} KB`;
  return formatCounted(bytes, "byte");
}

/** 75 → "1m 15s", 3700 → "1h 01m"; "–" when unknown. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "–";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, "0")}m`;
}

const usd2 = new Intl.NumberFormat(LOCALE, { style: "currency", currency: "USD", minimumFractionDigits: 2 });
const usd4 = new Intl.NumberFormat(LOCALE, { style: "currency", currency: "USD", minimumFractionDigits: 4 });

/** "$0", "$0.0042" (under a cent), "$1,234.50". */
export function formatCost(usd: number): string {
  if (usd === 0) return "$0";
  return usd < 0.01 ? usd4.format(usd) : usd2.format(usd);
}

const dateTime = new Intl.DateTimeFormat(LOCALE, {
  timeZone: "UTC",
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** A moment as "Mar 4, 2026, 05:06 UTC" (dates from the server or JSON strings). */
export function formatDateTime(at: Date | string): string {
  return `${dateTime.format(typeof at === "string" ? new Date(at) : at)} UTC`;
}
