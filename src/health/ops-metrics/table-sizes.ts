import type { DataSource } from 'typeorm';

export interface TableSize {
  table: string;
  bytes: number;
}

/**
 * Total size (heap + indexes + TOAST) of every table in the current schema.
 * A partitioned table reports the sum of its partitions under the parent's
 * name, and the partitions themselves are not listed: one series per logical
 * table, whatever the partition layout of the day.
 */
export async function readTableSizes(dataSource: DataSource): Promise<TableSize[]> {
  const rows = await dataSource.query<Array<{ table: string; bytes: string }>>(
    `SELECT c.relname AS "table",
            CASE WHEN c.relkind = 'p'
              THEN (SELECT coalesce(sum(pg_total_relation_size(t.relid)), 0)
                    FROM pg_partition_tree(c.oid) t)
              ELSE pg_total_relation_size(c.oid)
            END::text AS bytes
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema()
        AND c.relkind IN ('r', 'p')
        AND NOT c.relispartition
      ORDER BY c.relname`,
  );
  // bigint comes back as text; table sizes fit a double exactly up to 8 PiB.
  return rows.map((r) => ({ table: r.table, bytes: Number(r.bytes) }));
}
