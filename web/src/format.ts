/** Pure formatting and colour helpers shared by the panels (no DOM). */

/** A price difference in pips, given the instrument's pip location (-4 for EUR_USD, -2 for USD_JPY). */
export function toPips(difference: number, pipLocation: number): number {
  return difference / Math.pow(10, pipLocation);
}

export function formatPrice(value: number | null | undefined, precision: number): string {
  return value === null || value === undefined || !Number.isFinite(value)
    ? '–'
    : value.toFixed(precision);
}

export function formatNumber(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined || !Number.isFinite(value)
    ? '–'
    : value.toFixed(digits);
}

export function formatPercent(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined || !Number.isFinite(value)
    ? '–'
    : `${value >= 0 ? '+' : ''}${value.toFixed(digits)}%`;
}

/** "2h 05m", "4m 10s", "12s": a countdown that stays short. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h >= 24) return `${Math.floor(h / 24)}d ${h % 24}h`;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/** "2026-03-04 10:00 UTC" from an ISO time. */
export function formatUtc(iso: string | null | undefined, withSeconds = false): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '–';
  const text = d.toISOString().replace('T', ' ');
  return `${text.slice(0, withSeconds ? 19 : 16)} UTC`;
}

export function pairLabel(instrument: string): string {
  return instrument.replace('_', '/');
}

type Rgb = readonly [number, number, number];

const mix = (a: Rgb, b: Rgb, t: number): Rgb => [
  Math.round(a[0] + (b[0] - a[0]) * t),
  Math.round(a[1] + (b[1] - a[1]) * t),
  Math.round(a[2] + (b[2] - a[2]) * t),
];

// A blue-white-red diverging scale (ColorBrewer RdBu ends): readable for most colour-blind viewers.
const NEGATIVE: Rgb = [33, 102, 172];
const NEUTRAL: Rgb = [247, 247, 247];
const POSITIVE: Rgb = [178, 24, 43];

/** Colour of a correlation on the diverging -1..+1 scale; null (no value) is grey. */
export function correlationRgb(value: number | null): Rgb {
  if (value === null || !Number.isFinite(value)) return [160, 160, 160];
  const v = Math.max(-1, Math.min(1, value));
  return v < 0 ? mix(NEUTRAL, NEGATIVE, -v) : mix(NEUTRAL, POSITIVE, v);
}

export const rgbCss = (c: Rgb): string => `rgb(${c[0]}, ${c[1]}, ${c[2]})`;

/** Text colour that stays readable on a background colour. */
export function contrastText(c: Rgb): string {
  const luminance = (0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2]) / 255;
  return luminance > 0.55 ? '#111' : '#fff';
}

/** A sequential heat colour for t in 0..1 (pale yellow to deep red), for the volatility board. */
export function heatRgb(t: number): Rgb {
  const x = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0));
  return x < 0.5
    ? mix([255, 255, 204], [253, 141, 60], x * 2)
    : mix([253, 141, 60], [189, 0, 38], (x - 0.5) * 2);
}

/** Position of `value` in [min, max] as 0..1 (0.5 when the range is empty). */
export function normalise(value: number, min: number, max: number): number {
  return max > min ? (value - min) / (max - min) : 0.5;
}
