import { primaryLog, type PrimaryLogLevel } from './primary-log';

function capture(json: boolean, level: string) {
  const lines: Array<[PrimaryLogLevel, string]> = [];
  const log = primaryLog({ json, instanceId: 'host-7', level }, (l, line) => lines.push([l, line]));
  return { log, lines };
}

describe('primaryLog', () => {
  it('should write JSON lines shaped like the workers’ (level, pid, context, instance_id, fields)', () => {
    const { log, lines } = capture(true, 'log');
    log.log('worker 1 started (pid 42)', { event: 'worker_started', worker: 1 });
    expect(lines).toHaveLength(1);
    const [level, line] = lines[0];
    expect(level).toBe('log');
    expect(JSON.parse(line)).toEqual({
      level: 'log',
      pid: process.pid,
      timestamp: expect.any(Number),
      message: 'worker 1 started (pid 42)',
      context: 'Cluster',
      event: 'worker_started',
      worker: 1,
      instance_id: 'host-7',
    });
  });

  it('should drop levels below LOG_LEVEL and keep errors', () => {
    const { log, lines } = capture(true, 'warn');
    log.log('hidden');
    log.warn('shown warn');
    log.error('shown error');
    expect(lines.map(([l]) => l)).toEqual(['warn', 'error']);
  });

  it('should write one text line with the context when LOG_FORMAT=text', () => {
    const { log, lines } = capture(false, 'log');
    log.warn('worker 2 exited');
    expect(lines).toHaveLength(1);
    expect(lines[0][1]).toMatch(/^\[Nest\] \d+ .* WARN \[Cluster\] worker 2 exited$/);
  });
});
