import { Linter } from 'eslint';
import { join, resolve } from 'node:path';
import { buildGraph, findCycles } from './check-deps';

const REPO = resolve(process.cwd());

interface LayeringPlugin {
  rules: Record<string, unknown>;
}

async function lint(file: string, code: string): Promise<string[]> {
  const layering = ((await import('../eslint-rules/boundaries.mjs')) as { default: LayeringPlugin })
    .default;
  const linter = new Linter({ configType: 'flat' });
  const messages = linter.verify(
    code,
    [
      {
        files: ['**/*.ts'],
        plugins: { layering } as unknown as Linter.Config['plugins'],
        rules: { 'layering/boundaries': 'error' },
      },
    ],
    { filename: join(REPO, file) },
  );
  return messages.map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

describe('the layering lint rule (eslint-rules/boundaries.mjs)', () => {
  it("should refuse a feature importing another feature's internals", async () => {
    const messages = await lint(
      'src/prices/bad-import.ts',
      "import { CandleStore } from '../candles/candle.store';\nexport const x = CandleStore;\n",
    );
    expect(messages).toEqual([
      expect.stringMatching(
        /layering\/boundaries: '\.\.\/candles\/candle\.store' reaches into candles's internals; import it from '\.\.\/candles'/,
      ),
    ]);
  });

  it('should accept the same import through the index', async () => {
    const messages = await lint(
      'src/prices/good-import.ts',
      "import { CandleStore } from '../candles';\nexport const x = CandleStore;\n",
    );
    expect(messages).toEqual([]);
  });

  it('should refuse the platform importing a feature, even through its index', async () => {
    const messages = await lint(
      'src/platform/time/bad-import.ts',
      "import { CandleStore } from '../../candles';\nexport const x = CandleStore;\n",
    );
    expect(messages).toEqual([
      expect.stringMatching(/platform \(platform\/time\) must not import the feature candles/),
    ]);
  });

  it('should refuse a feature importing the composition root', async () => {
    const messages = await lint(
      'src/prices/bad-root.ts',
      "import { AppModule } from '../app.module';\nexport const x = AppModule;\n",
    );
    expect(messages).toEqual([expect.stringMatching(/imports the composition root/)]);
  });

  it('should be switched on for src/ by the project config', async () => {
    const config = ((await import('../eslint.config.mjs')) as { default: Linter.Config[] }).default;
    const entry = config.find((c) => c.rules?.['layering/boundaries'] === 'error');
    expect(entry?.files).toEqual(['src/**/*.ts']);
  });
});

describe('check-deps', () => {
  it('should find a cycle between folders, and none in a chain', () => {
    const cyclic = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['d', new Set(['a'])],
    ]);
    expect(findCycles(cyclic)).toEqual([['a', 'b', 'c']]);
    const chain = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set<string>()],
    ]);
    expect(findCycles(chain)).toEqual([]);
  });

  it('should see prices depend on streaming, not the reverse (prices registers its socket requests)', () => {
    const files = [
      join(REPO, 'src/prices/prices.module.ts'),
      join(REPO, 'src/streaming/streaming.module.ts'),
      join(REPO, 'src/streaming/market.gateway.ts'),
    ];
    const graph = buildGraph(files);
    expect(graph.get('prices')?.has('streaming')).toBe(true);
    expect(graph.get('streaming')?.has('prices')).toBe(false);
  });
});
