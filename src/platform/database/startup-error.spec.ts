import { createServer } from 'node:net';
import { checkConfiguredServers, hostPort, StartupError } from './startup-error';

describe('startup checks', () => {
  it('should read host and port with the scheme defaults', () => {
    expect(hostPort('postgres://u:p@db.example:6543/x')).toEqual({
      host: 'db.example',
      port: 6543,
    });
    expect(hostPort('postgres://u@db/x')).toEqual({ host: 'db', port: 5432 });
    expect(hostPort('redis://cache')).toEqual({ host: 'cache', port: 6379 });
  });

  it('should fail with one line naming host:port and a hint when nobody answers', async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const failure = checkConfiguredServers({
      databaseUrl: `postgres://postgres@127.0.0.1:${port}/fx`,
    });
    await expect(failure).rejects.toBeInstanceOf(StartupError);
    await expect(failure).rejects.toThrow(
      `Cannot reach PostgreSQL at 127.0.0.1:${port} from DATABASE_URL (ECONNREFUSED): is PostgreSQL running? Leave DATABASE_URL unset to use the embedded one.`,
    );
    await expect(checkConfiguredServers({ redisUrl: `redis://127.0.0.1:${port}` })).rejects.toThrow(
      /^Cannot reach Redis at 127\.0\.0\.1:\d+ from REDIS_URL \(ECONNREFUSED\)/,
    );
  });

  it('should check nothing when neither URL is set (the embedded defaults)', async () => {
    await expect(checkConfiguredServers({})).resolves.toBeUndefined();
  });
});
