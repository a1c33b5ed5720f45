import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * DESIGN.md section 12: user-defined alert rules (with the evaluation state a
 * crossing needs, so a restart or a leader takeover neither repeats nor
 * misses one), their history, and the webhook outbox written in the same
 * transaction as each event.
 */
export class Alerts1764200000000 implements MigrationInterface {
  name = 'Alerts1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE alert_rules (
      id uuid PRIMARY KEY,
      -- api_keys.id of the owner; 0 is the single implicit owner of AUTH_MODE=off.
      owner_key_id bigint NOT NULL,
      instrument varchar(16) NOT NULL,
      instrument2 varchar(16),
      condition_type varchar(32) NOT NULL,
      condition jsonb NOT NULL,
      price_component varchar(3) NOT NULL DEFAULT 'mid',
      frequency varchar(16) NOT NULL,
      cooldown_seconds integer NOT NULL DEFAULT 0,
      hysteresis double precision NOT NULL,
      expires_at timestamptz,
      webhook_url text,
      webhook_secret text,
      message text,
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      -- Evaluation state: the last side of the level (1 above, -1 below, NULL unknown), the value
      -- that set it, and a version every state write checks (two writers never both fire).
      state_side smallint,
      state_value double precision,
      state_version bigint NOT NULL DEFAULT 0,
      last_triggered_at timestamptz,
      trigger_count integer NOT NULL DEFAULT 0,
      CONSTRAINT ck_alert_rules_component CHECK (price_component IN ('bid', 'ask', 'mid')),
      CONSTRAINT ck_alert_rules_frequency CHECK (frequency IN ('once', 'once_per_bar', 'every_time')),
      CONSTRAINT ck_alert_rules_cooldown CHECK (cooldown_seconds >= 0),
      CONSTRAINT ck_alert_rules_hysteresis CHECK (hysteresis >= 0),
      CONSTRAINT ck_alert_rules_side CHECK (state_side IN (-1, 1))
    )`);
    await q.query(
      `CREATE INDEX ix_alert_rules_owner ON alert_rules (owner_key_id, created_at, id)`,
    );
    await q.query(`CREATE INDEX ix_alert_rules_updated ON alert_rules (updated_at)`);
    await q.query(
      `CREATE INDEX ix_alert_rules_active ON alert_rules (condition_type, instrument) WHERE active`,
    );
    // No foreign key to alert_rules: the history outlives a deleted rule.
    await q.query(`
      CREATE TABLE alert_events (
      id uuid PRIMARY KEY,
      rule_id uuid NOT NULL,
      owner_key_id bigint NOT NULL,
      instrument varchar(40) NOT NULL,
      condition jsonb NOT NULL,
      value double precision NOT NULL,
      message text NOT NULL,
      triggered_at timestamptz NOT NULL,
      test boolean NOT NULL DEFAULT false,
      delivery_status varchar(16) NOT NULL,
      attempts integer NOT NULL DEFAULT 0,
      last_error text,
      delivered_at timestamptz,
      CONSTRAINT ck_alert_events_status CHECK (delivery_status IN ('none', 'pending', 'retrying', 'delivered', 'failed'))
    )`);
    await q.query(
      `CREATE INDEX ix_alert_events_owner ON alert_events (owner_key_id, triggered_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX ix_alert_events_rule ON alert_events (rule_id, triggered_at DESC, id DESC)`,
    );
    await q.query(`
      CREATE TABLE alert_webhook_outbox (
      event_id uuid PRIMARY KEY REFERENCES alert_events (id) ON DELETE CASCADE,
      url text NOT NULL,
      secret text NOT NULL,
      body text NOT NULL,
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL,
      -- A claimed row is leased: another instance takes it over only after a crash left it.
      lease_until timestamptz,
      give_up_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX ix_alert_outbox_due ON alert_webhook_outbox (next_attempt_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE alert_webhook_outbox`);
    await q.query(`DROP TABLE alert_events`);
    await q.query(`DROP TABLE alert_rules`);
  }
}
