import cliProgress from 'cli-progress';
import type { InstrumentPlan } from './backfill-plan';
import type { BackfillProgress, InstrumentBackfillResult } from './backfill.service';
import { shortIso } from './gap-finder';

type Write = (line: string) => void;

/** Plain lines for logs and pipes: one at start, every ~10% and at the end of each instrument. */
export class LineProgress implements BackfillProgress {
  private readonly state = new Map<string, { total: number; done: number; reported: number }>();

  constructor(private readonly write: Write) {}

  start(instrument: string, plan: InstrumentPlan): void {
    this.state.set(instrument, { total: plan.expected, done: 0, reported: 0 });
    if (plan.ranges.length === 0) this.write(`${instrument}: up to date, nothing to fetch`);
    else
      this.write(
        `${instrument}: fetching ${plan.ranges.length} range(s)` +
          (plan.expected ? `, about ${plan.expected} candles` : ''),
      );
  }

  advance(instrument: string, candles: number, lastTime: Date | null): void {
    const s = this.state.get(instrument);
    if (!s) return;
    s.done += candles;
    const step = Math.max(1, Math.ceil(s.total / 10));
    if (s.done - s.reported < step) return;
    s.reported = s.done;
    const pct = s.total ? ` (${Math.min(100, Math.round((100 * s.done) / s.total))}%)` : '';
    this.write(
      `${instrument}: ${s.done}${s.total ? `/${s.total}` : ''} candles${pct}` +
        (lastTime ? `, up to ${shortIso(lastTime)}` : ''),
    );
  }

  finish(result: InstrumentBackfillResult): void {
    this.write(
      result.status === 'ok'
        ? `${result.instrument}: done, ${result.inserted} new, ${result.updated} updated, ${result.unchanged} unchanged in ${result.seconds.toFixed(1)} s`
        : `${result.instrument}: FAILED: ${result.error ?? 'unknown error'}`,
    );
  }
}

/** One bar per instrument on a terminal. */
export class BarProgress implements BackfillProgress {
  private readonly multi = new cliProgress.MultiBar(
    {
      format: '{instrument} [{bar}] {value}/{total} {status}',
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  private readonly bars = new Map<string, { bar: cliProgress.SingleBar; done: number }>();

  start(instrument: string, plan: InstrumentPlan): void {
    const bar = this.multi.create(Math.max(plan.expected, 1), 0, {
      instrument: instrument.padEnd(7),
      status: plan.ranges.length === 0 ? 'up to date' : '',
    });
    if (plan.ranges.length === 0) bar.update(bar.getTotal());
    this.bars.set(instrument, { bar, done: 0 });
  }

  advance(instrument: string, candles: number, lastTime: Date | null): void {
    const entry = this.bars.get(instrument);
    if (!entry) return;
    entry.done += candles;
    // The plan's total is an estimate (provider holes, the forming candle); grow it rather than overflow.
    if (entry.done > entry.bar.getTotal()) entry.bar.setTotal(entry.done);
    entry.bar.update(entry.done, { status: lastTime ? shortIso(lastTime) : '' });
  }

  finish(result: InstrumentBackfillResult): void {
    const bar = this.bars.get(result.instrument)?.bar;
    if (!bar) return;
    if (result.status === 'ok')
      bar.update(bar.getTotal(), { status: `done in ${result.seconds.toFixed(1)} s` });
    else bar.update({ status: `FAILED: ${result.error ?? ''}`.slice(0, 60) });
  }

  stop(): void {
    this.multi.stop();
  }
}
