import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 14 item 4: the built-in alerts (volatility ratio, correlation moves)
 * become rules of the alerts engine. A built-in rule is a row of alert_rules
 * owned by no key (owner_key_id -1), named by `builtin` (one per instrument or
 * pair, upserted from the configuration at boot). Its state is the newest
 * source row it has judged (`state_watermark`: a volatility_metrics or
 * correlation_matrix id, so a rerun, a restart or a second instance never
 * judges a row twice) and the data clock of its last firing (`state_clock`:
 * the candle or the calculation day, what the cooldown is measured on).
 * Its events carry the severity and the payload the socket event had.
 */
export class BuiltinAlertRules1764600000000 implements MigrationInterface {
  name = 'BuiltinAlertRules1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE alert_rules ADD COLUMN builtin varchar(64)`);
    await q.query(`ALTER TABLE alert_rules ADD COLUMN state_watermark bigint`);
    await q.query(`ALTER TABLE alert_rules ADD COLUMN state_clock timestamptz`);
    // NULLs are distinct: users' rules (builtin NULL) are not constrained by it.
    await q.query(`CREATE UNIQUE INDEX ux_alert_rules_builtin ON alert_rules (builtin)`);
    await q.query(`ALTER TABLE alert_events ADD COLUMN severity varchar(16)`);
    await q.query(`ALTER TABLE alert_events ADD COLUMN details jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM alert_events WHERE owner_key_id = -1`);
    await q.query(`ALTER TABLE alert_events DROP COLUMN details`);
    await q.query(`ALTER TABLE alert_events DROP COLUMN severity`);
    await q.query(`DELETE FROM alert_rules WHERE builtin IS NOT NULL`);
    await q.query(`DROP INDEX ux_alert_rules_builtin`);
    await q.query(`ALTER TABLE alert_rules DROP COLUMN state_clock`);
    await q.query(`ALTER TABLE alert_rules DROP COLUMN state_watermark`);
    await q.query(`ALTER TABLE alert_rules DROP COLUMN builtin`);
  }
}
