import { classifyAddress } from './address-policy';
import { retryDelayMs } from './retry-schedule';

describe(classifyAddress.name, () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.20.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fd00::1', 'unique-local'],
    ['fe80::1', 'link-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['[::ffff:10.0.0.1]', 'private'],
  ])('should refuse %s as %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it('should allow public unicast addresses', () => {
    expect(classifyAddress('93.184.216.34')).toBeNull();
    expect(classifyAddress('2606:4700:4700::1111')).toBeNull();
    expect(classifyAddress('::ffff:93.184.216.34')).toBeNull();
  });

  it('should say when the text is not an address', () => {
    expect(classifyAddress('example.com')).toBe('not an IP address');
  });
});

describe(retryDelayMs.name, () => {
  it('should double per attempt with half of it jittered, capped at an hour', () => {
    expect(retryDelayMs(1, 1000, () => 0)).toBe(500);
    expect(retryDelayMs(1, 1000, () => 1)).toBe(1000);
    expect(retryDelayMs(4, 1000, () => 0)).toBe(4000);
    expect(retryDelayMs(40, 1000, () => 1)).toBe(3_600_000);
  });
});
