import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { advisoryLockHolders } from '../src/platform/locks/advisory-lock';
import { terminateOwnLockHolder } from './utils/ops-helpers';
import { PRICE_STREAM_LOCK, PriceStreamService } from '../src/prices/price-stream.service';
import { PrivatePostgres } from './utils/private-postgres';
import { sleep } from './utils/realtime-client';
import { startTestApp, TestApp } from './utils/test-app';
import { waitFor } from './utils/wait-for';

interface Deployment {
  name: string;
  instances: TestApp[];
}

const stream = (t: TestApp) => t.app.get(PriceStreamService);

/**
 * Ticks each instance received during `ms`: an instance whose count grows is
 * running a provider stream, whatever it believes about its lock.
 */
async function streamingDuring(
  deployments: Deployment[],
  ms: number,
): Promise<Map<TestApp, number>> {
  const all = deployments.flatMap((d) => d.instances);
  const before = new Map(all.map((t) => [t, stream(t).status().ticks_received]));
  await sleep(ms);
  return new Map(all.map((t) => [t, stream(t).status().ticks_received - (before.get(t) ?? 0)]));
}

/** Resolves once every instance has checked the leader lock again (a follower attempt or a leader verification). */
async function nextLockRound(deployments: Deployment[]): Promise<void> {
  const all = deployments.flatMap((d) => d.instances);
  const before = all.map((t) => stream(t).lockChecks);
  await waitFor(() => all.every((t, i) => stream(t).lockChecks > before[i]), {
    what: 'a leader-lock check on every instance',
  });
}

/** Per deployment: which instances stream and which hold the lock (by instance id). */
async function snapshot(
  deployments: Deployment[],
): Promise<Record<string, { streaming: string[]; leaders: string[] }>> {
  const ticks = await streamingDuring(deployments, 1_000);
  return Object.fromEntries(
    deployments.map((d) => [
      d.name,
      {
        streaming: d.instances
          .filter((t) => (ticks.get(t) ?? 0) > 0)
          .map((t) => t.env.INSTANCE_ID ?? ''),
        leaders: d.instances.filter((t) => stream(t).isLeader).map((t) => t.env.INSTANCE_ID ?? ''),
      },
    ]),
  );
}

/** Exactly one instance per deployment streams, and it is the one holding the lock. */
const oneStreamEach = (s: Awaited<ReturnType<typeof snapshot>>): boolean =>
  Object.values(s).every(
    ({ streaming, leaders }) =>
      streaming.length === 1 && leaders.length === 1 && streaming[0] === leaders[0],
  );

/** Polls `snapshot` until every deployment has one stream, failing at `deadline` with what it saw. */
async function untilOneStreamEach(deployments: Deployment[], deadline: number): Promise<void> {
  let last: Awaited<ReturnType<typeof snapshot>> | undefined;
  while (Date.now() < deadline) {
    last = await snapshot(deployments);
    if (oneStreamEach(last)) return;
  }
  throw new Error(`not one stream per deployment in time; last seen ${JSON.stringify(last)}`);
}

/*
 * Two deployments, each of two instances, on two databases of ONE PostgreSQL
 * server (a private cluster this test may restart) and one Redis (separate
 * key prefixes). Advisory locks are per database, so each deployment must
 * elect its own leader, and neither may be confused by the other's lock of
 * the same name in pg_locks.
 */
describe('Leader election with two deployments on one PostgreSQL server', () => {
  let pg: PrivatePostgres;
  const deployments: Deployment[] = [];

  beforeAll(async () => {
    pg = await PrivatePostgres.start();
    const tag = randomBytes(3).toString('hex');
    for (const name of ['x', 'y']) {
      const shared = {
        DATABASE_URL: pg.url(`fx_test_leader_${name}_${tag}`),
        REDIS_KEY_PREFIX: `test:leader-${name}-${tag}:`,
        PRICE_STREAM_ENABLED: 'true',
        SIMULATED_TICK_INTERVAL_MS: '200',
      };
      const deployment: Deployment = { name, instances: [] };
      deployments.push(deployment);
      // One after the other: the first creates and migrates the database.
      for (const n of [1, 2]) {
        deployment.instances.push(
          await startTestApp({ ...shared, INSTANCE_ID: `${name}${n}` }, `leader_${name}`),
        );
      }
    }
  }, 240_000);

  afterAll(async () => {
    for (const t of deployments.flatMap((d) => d.instances)) {
      await t.close({ keepDatabase: true }).catch(() => undefined);
    }
    // The databases go with the cluster.
    pg?.cleanup();
  }, 60_000);

  it('should elect one leader per deployment, each streaming and each holding its own database lock', async () => {
    await untilOneStreamEach(deployments, Date.now() + 20_000);
    for (const d of deployments) {
      const [leader] = d.instances.filter((t) => stream(t).isLeader);
      // Seen from each database: one holder, the leader's session; the other database's lock is not counted.
      const holders = await advisoryLockHolders(leader.dataSource, PRICE_STREAM_LOCK);
      expect(holders).toHaveLength(1);
    }
    const all = await serverWideHolders(pg);
    expect(all).toBe(2); // one per database on the server
  }, 60_000);

  it('should step the leader of one deployment down when its lock session dies, leaving the other deployment alone', async () => {
    // y first: its leader was elected while x's lock already existed on the server.
    for (const [victim, bystander] of [
      [deployments[1], deployments[0]],
      [deployments[0], deployments[1]],
    ]) {
      await untilOneStreamEach(deployments, Date.now() + 20_000);
      const other = bystander.instances.find((t) => stream(t).isLeader) as TestApp;
      const otherElections = stream(other).timesElected;

      // Kill the victim's lock session only (scoped to its database), as a restart would.
      const killed = await terminateOwnLockHolder(
        victim.instances[0].dataSource,
        PRICE_STREAM_LOCK,
      );
      expect(killed).toEqual([{ ok: true }]);

      await untilOneStreamEach(deployments, Date.now() + 10_000);
      // Still one each after another election round: every follower retried, every leader verified.
      await nextLockRound(deployments);
      expect(oneStreamEach(await snapshot(deployments))).toBe(true);
      expect(stream(other).isLeader).toBe(true);
      expect(stream(other).timesElected).toBe(otherElections);
    }
  }, 90_000);

  it('should leave exactly one stream per deployment within 5 s of a PostgreSQL restart', async () => {
    await untilOneStreamEach(deployments, Date.now() + 20_000);
    const elections = () =>
      deployments.flatMap((d) => d.instances).reduce((n, t) => n + stream(t).timesElected, 0);
    const before = elections();

    await pg.restart();
    const restartedAt = Date.now();

    await untilOneStreamEach(deployments, restartedAt + 5_000);
    // Both deployments lost their locks with the restart and elected again.
    expect(elections()).toBeGreaterThanOrEqual(before + 2);
    // And it stays that way after another election round (every follower retried, every leader verified).
    await nextLockRound(deployments);
    const settled = await snapshot(deployments);
    expect(oneStreamEach(settled)).toBe(true);
    for (const d of deployments) {
      const [leader] = d.instances.filter((t) => stream(t).isLeader);
      expect(await advisoryLockHolders(leader.dataSource, PRICE_STREAM_LOCK)).toHaveLength(1);
    }
  }, 60_000);
});

/** Holders of the price-stream lock on the whole (private) server, across its databases. */
async function serverWideHolders(pg: PrivatePostgres): Promise<number> {
  const client = new Client({ connectionString: pg.url() });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_locks
        WHERE locktype = 'advisory' AND granted AND objsubid = 2
          AND objid = (hashtext($1)::bigint & 4294967295)::oid`,
      [PRICE_STREAM_LOCK],
    );
    return rows[0].n;
  } finally {
    await client.end();
  }
}
