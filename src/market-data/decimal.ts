import { floor, isSafeInteger, max } from './simulated/fast-math';
/**
 * Exact decimal-string helpers. Prices are kept as strings end to end
 * (PostgreSQL numeric), so arithmetic on them must never go through floats.
 */

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** `n` (an integer count of 10^-scale units) as a decimal string: (108512, 5) -> "1.08512". */
export function scaledToDecimal(n: number, scale: number): string {
  if (!isSafeInteger(n)) throw new RangeError(`scaledToDecimal: ${n} is not a safe integer`);
  if (scale === 0) return `${n}`;
  const abs = n < 0 ? -n : n;
  const pow = POW10[scale] ?? 10 ** scale;
  const whole = floor(abs / pow);
  let fraction = `${abs - whole * pow}`;
  // Integer arithmetic below 2^53 is exact, so this is a plain digit split (hot path: 12 per candle).
  if (fraction.length < scale) fraction = '0'.repeat(scale - fraction.length) + fraction;
  return n < 0 ? `-${whole}.${fraction}` : `${whole}.${fraction}`;
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12];

/**
 * Half of `twice` (an integer count of 10^-scale units) as an exact decimal:
 * the scale grows by one digit only when the half is not a whole unit,
 * e.g. (217025, 5) -> "1.085125", (217024, 5) -> "1.08512".
 */
export function halfOfScaled(twice: number, scale: number): string {
  return twice % 2 === 0
    ? scaledToDecimal(twice / 2, scale)
    : scaledToDecimal(twice * 5, scale + 1);
}

function parseDecimal(value: string, name: string): { units: bigint; scale: number } {
  const match = DECIMAL.exec(value);
  if (!match) throw new TypeError(`${name} is not a decimal number: ${JSON.stringify(value)}`);
  const [, sign, whole, fraction = ''] = match;
  return { units: BigInt(`${sign}${whole}${fraction}`), scale: fraction.length };
}

function formatUnits(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString();
  if (scale === 0) return negative ? `-${digits}` : digits;
  const padded = digits.padStart(scale + 1, '0');
  const text = `${padded.slice(0, -scale)}.${padded.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

/**
 * (a + b) / 2 computed exactly on decimal strings: at the larger of the two
 * scales, plus one digit when the sum is odd. ("1.10000", "1.10003") -> "1.100015".
 */
export function averageDecimals(a: string, b: string): string {
  const x = parseDecimal(a, 'first value');
  const y = parseDecimal(b, 'second value');
  const scale = max(x.scale, y.scale);
  const sum = x.units * 10n ** BigInt(scale - x.scale) + y.units * 10n ** BigInt(scale - y.scale);
  return sum % 2n === 0n ? formatUnits(sum / 2n, scale) : formatUnits(sum * 5n, scale + 1);
}
