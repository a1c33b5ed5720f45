import { DefaultNamingStrategy, NamingStrategyInterface } from 'typeorm';

const snake = (s: string): string =>
  s
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Za-z])(\d+)/g, '$1_$2')
    .toLowerCase();

/** camelCase entity properties map to the snake_case columns of DESIGN.md (`createdAt` -> `created_at`, `sma15` -> `sma_15`); a column whose name differs says so in `@Column({ name })`. */
export class SnakeNamingStrategy extends DefaultNamingStrategy implements NamingStrategyInterface {
  override columnName(
    propertyName: string,
    customName: string | undefined,
    prefixes: string[],
  ): string {
    // An explicit column name is taken as written (`pair1` stays `pair1`).
    if (customName) return customName;
    return snake([...prefixes, propertyName].join('_'));
  }
}
