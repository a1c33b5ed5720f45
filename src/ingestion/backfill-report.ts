import type { InstrumentBackfillResult } from './backfill.service';
import { missingCount, shortIso } from './gap-finder';

/** Left-aligned text table with a header rule; pure so it is unit-tested. */
export function formatTable(
  header: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** The end-of-run summary: one row per instrument plus a total. */
export function formatBackfillSummary(results: readonly InstrumentBackfillResult[]): string {
  const rows = results.map((r) => [
    r.instrument,
    String(r.inserted + r.updated),
    r.first ? shortIso(r.first) : '-',
    r.last ? shortIso(r.last) : '-',
    r.gaps === null
      ? 'n/a'
      : r.gaps.length === 0
        ? '0'
        : `${r.gaps.length} (${missingCount(r.gaps)} candles)`,
    r.seconds.toFixed(1),
    r.status === 'ok' ? 'ok' : `FAILED: ${r.error ?? ''}`,
  ]);
  const stored = results.reduce((n, r) => n + r.inserted + r.updated, 0);
  const seconds = Math.max(0, ...results.map((r) => r.seconds));
  rows.push(['total', String(stored), '', '', '', seconds.toFixed(1), '']);
  return formatTable(
    ['instrument', 'candles stored', 'first', 'last', 'gaps found', 'seconds', 'status'],
    rows,
  );
}
