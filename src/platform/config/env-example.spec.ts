import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EnvironmentVariables, validateEnv } from './env.validation';

/** .env.example is the user's reference: it must list every variable, with the real default. */
describe('.env.example', () => {
  const lines = readFileSync(join(process.cwd(), '.env.example'), 'utf8')
    .split('\n')
    .filter((l) => /^[A-Z_]+=/.test(l));
  const documented = new Map(
    lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );

  it('should document every environment variable the service reads', () => {
    const missing = Object.keys(new EnvironmentVariables()).filter((k) => !documented.has(k));
    expect(missing).toEqual([]);
  });

  it('should show the real default of every variable', () => {
    const defaults = new EnvironmentVariables() as unknown as Record<
      string,
      string | number | boolean | undefined
    >;
    const wrong = [...documented].filter(([key, value]) => {
      const d = defaults[key];
      return d === undefined ? value !== '' : String(d) !== value;
    });
    expect(wrong).toEqual([]);
  });

  it('should validate as a whole', () => {
    expect(() => validateEnv(Object.fromEntries(documented))).not.toThrow();
  });
});
