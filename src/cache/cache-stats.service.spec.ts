import { parseRedisInfo } from './cache-stats.service';

describe('parseRedisInfo', () => {
  it('should read field:value lines and skip section headers', () => {
    const info = parseRedisInfo(
      '# Memory\r\nused_memory:1482368\r\nused_memory_human:1.41M\r\n\r\n# Clients\r\nconnected_clients:7\r\n',
    );
    expect(info.get('used_memory')).toBe('1482368');
    expect(info.get('used_memory_human')).toBe('1.41M');
    expect(info.get('connected_clients')).toBe('7');
    expect(info.has('# Memory')).toBe(false);
  });

  it('should keep values that contain colons whole', () => {
    expect(
      parseRedisInfo('executable:/usr/bin/redis-server\nconfig_file:C:\\redis.conf').get(
        'config_file',
      ),
    ).toBe('C:\\redis.conf');
  });
});
