import { ValueTransformer } from 'typeorm';

/**
 * `numeric` columns come back from `pg` as strings; keeping them as strings is
 * what keeps prices exact. This transformer only normalises null/undefined so
 * entities never see `undefined` for a nullable numeric.
 */
export const exactDecimal: ValueTransformer = {
  to: (value: string | null | undefined) => (value === undefined ? null : value),
  from: (value: string | null) => value,
};

/** `double precision` metric columns: pg returns them as JS numbers already; null stays null. */
export const nullableDouble: ValueTransformer = {
  to: (value: number | null | undefined) =>
    value === undefined || value === null || !Number.isFinite(value) ? null : value,
  from: (value: number | string | null) => (value === null ? null : Number(value)),
};

/** bigint ids arrive as strings from pg; they stay well below 2^53 here, so expose numbers. */
export const bigintNumber: ValueTransformer = {
  to: (value: number | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
