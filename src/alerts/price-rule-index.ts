import {
  barOf,
  type FiringPolicy,
  type Judgement,
  type PriceComponent,
  type Side,
  shouldFire,
  sideOf,
  transition,
} from './alert-conditions';

/** A price rule as the stream leader holds it: definition plus its mutable evaluation state. */
export interface IndexedRule {
  id: string;
  instrument: string;
  component: PriceComponent;
  judgement: Judgement;
  line: number;
  hysteresis: number;
  /** Prices at which the side becomes 1 / -1 (see thresholdsOf). */
  up: number;
  down: number;
  policy: FiringPolicy;
  expiresMs: number | null;
  side: Side;
  lastTriggeredMs: number | null;
}

export interface PriceTickInput {
  instrument: string;
  bid: number;
  ask: number;
  mid: number;
  timeMs: number;
}

export interface Evaluation {
  /** Rules that fire on this tick (their side and lastTriggeredMs are already updated). */
  fired: Array<{ rule: IndexedRule; value: number }>;
  /** Rules whose side changed without firing (state to persist). */
  moved: Array<{ rule: IndexedRule; value: number }>;
}

/** The rules of one instrument and price component, sorted by each threshold for binary search. */
class Book {
  readonly rules = new Map<string, IndexedRule>();
  /** Rules not evaluated since they were added: looked at on the next tick whatever the price did. */
  readonly fresh = new Set<IndexedRule>();
  /** Level rules holding on their target side with once_per_bar: they may fire again in a new bar. */
  readonly holding = new Set<IndexedRule>();
  byUp: IndexedRule[] = [];
  upKeys = new Float64Array(0);
  byDown: IndexedRule[] = [];
  downKeys = new Float64Array(0);
  dirty = false;
  last: number | null = null;
  lastBar: number | null = null;

  sort(): void {
    const all = [...this.rules.values()];
    this.byUp = [...all].sort((a, b) => a.up - b.up);
    this.upKeys = Float64Array.from(this.byUp, (r) => r.up);
    this.byDown = [...all].sort((a, b) => a.down - b.down);
    this.downKeys = Float64Array.from(this.byDown, (r) => r.down);
    this.dirty = false;
  }
}

/** First index i with keys[i] >= value. */
export function lowerBound(keys: Float64Array, value: number): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index i with keys[i] > value. */
export function upperBound(keys: Float64Array, value: number): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const bookKey = (instrument: string, component: PriceComponent): string =>
  `${instrument}|${component}`;
const COMPONENTS: readonly PriceComponent[] = ['bid', 'ask', 'mid'];

/**
 * Price rules indexed by level, per instrument and price component. A side
 * can only change when the price passes one of the rule's thresholds, so a
 * tick from p0 up to p1 looks only at the rules whose `up` threshold lies in
 * [p0, p1] (two binary searches), and a fall only at `down` in [p1, p0]:
 * the work per tick is the number of levels crossed, not the number of rules.
 * Level rules that hold with once_per_bar are looked at again once per bar.
 */
export class PriceRuleIndex {
  private readonly books = new Map<string, Book>();
  private readonly byId = new Map<string, IndexedRule>();

  get size(): number {
    return this.byId.size;
  }

  get(id: string): IndexedRule | undefined {
    return this.byId.get(id);
  }

  upsert(rule: IndexedRule): void {
    this.remove(rule.id);
    const key = bookKey(rule.instrument, rule.component);
    let book = this.books.get(key);
    if (!book) this.books.set(key, (book = new Book()));
    book.rules.set(rule.id, rule);
    book.fresh.add(rule);
    book.dirty = true;
    this.byId.set(rule.id, rule);
  }

  remove(id: string): void {
    const rule = this.byId.get(id);
    if (!rule) return;
    this.byId.delete(id);
    const book = this.books.get(bookKey(rule.instrument, rule.component));
    if (!book) return;
    book.rules.delete(id);
    book.fresh.delete(rule);
    book.holding.delete(rule);
    book.dirty = true;
  }

  clear(): void {
    this.books.clear();
    this.byId.clear();
  }

  /** Evaluates one tick; `fullScan` looks at every rule of the instrument (the benchmark's baseline). */
  evaluate(tick: PriceTickInput, fullScan = false): Evaluation {
    const out: Evaluation = { fired: [], moved: [] };
    for (const component of COMPONENTS) {
      const book = this.books.get(bookKey(tick.instrument, component));
      if (book && book.rules.size > 0)
        this.evaluateBook(book, tick[component], tick.timeMs, fullScan, out);
    }
    for (const { rule } of out.fired) {
      if (rule.policy.frequency === 'once') this.remove(rule.id);
    }
    return out;
  }

  private evaluateBook(
    book: Book,
    price: number,
    nowMs: number,
    fullScan: boolean,
    out: Evaluation,
  ): void {
    if (!Number.isFinite(price)) return;
    if (book.dirty) book.sort();
    const seen = new Set<IndexedRule>();
    const look = (rule: IndexedRule): void => {
      if (seen.has(rule)) return;
      seen.add(rule);
      this.look(book, rule, price, nowMs, out);
    };
    const last = book.last;
    if (fullScan || last === null) {
      for (const rule of book.rules.values()) look(rule);
    } else {
      for (const rule of book.fresh) look(rule);
      if (price > last) {
        for (
          let i = lowerBound(book.upKeys, last), end = upperBound(book.upKeys, price);
          i < end;
          i += 1
        )
          look(book.byUp[i]);
      } else if (price < last) {
        for (
          let i = lowerBound(book.downKeys, price), end = upperBound(book.downKeys, last);
          i < end;
          i += 1
        )
          look(book.byDown[i]);
      }
    }
    book.fresh.clear();
    const bar = barOf(nowMs);
    if (book.lastBar !== null && bar !== book.lastBar) {
      for (const rule of [...book.holding]) look(rule);
    }
    book.lastBar = bar;
    book.last = price;
  }

  private look(book: Book, rule: IndexedRule, price: number, nowMs: number, out: Evaluation): void {
    if (rule.expiresMs !== null && nowMs >= rule.expiresMs) return;
    const current = sideOf(price, rule.line, rule.hysteresis, rule.judgement.target);
    const t = transition(rule.judgement, rule.side, current);
    const change = t.change;
    const moved = t.side !== rule.side;
    rule.side = t.side;
    const holds =
      rule.judgement.kind === 'level' && t.side !== 0 && t.side === rule.judgement.target;
    if (holds && rule.policy.frequency === 'once_per_bar') book.holding.add(rule);
    else book.holding.delete(rule);
    if (shouldFire(rule.policy, change, rule.lastTriggeredMs, nowMs)) {
      rule.lastTriggeredMs = nowMs;
      out.fired.push({ rule, value: price });
    } else if (moved) {
      out.moved.push({ rule, value: price });
    }
  }
}
