import { Command, CommandRunner, Option } from 'nest-commander';
import { formatTable } from '../platform/cli';
import { API_KEY_SCOPES, type ApiKeyScope, maskedKey } from './api-key-format';
import { ApiKeysService } from './api-keys.service';

/** Errors the user can fix: one line on stderr, exit code 1. */
class UsageError extends Error {}

function positiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1) {
    throw new UsageError(`${flag} must be a positive whole number, got "${value}"`);
  }
  return n;
}

function fail(error: unknown): void {
  if (!(error instanceof UsageError) && !(error instanceof Error && 'status' in error)) throw error;
  process.stderr.write(`error: ${error.message}\n`);
  process.exitCode = 1;
}

interface CreateOptions {
  name?: string;
  scope?: string;
  rateLimit?: string;
  maxConnections?: string;
}

/**
 * `keys:create --name N --scope read|admin [--rate-limit N] [--max-connections N]`:
 * the key alone is the last line of stdout (scripts: `| tail -n1`); it is shown only now.
 */
@Command({ name: 'keys:create', description: 'Create an API key (printed once, last line)' })
export class KeysCreateCommand extends CommandRunner {
  constructor(private readonly keys: ApiKeysService) {
    super();
  }

  async run(_args: string[], options: CreateOptions = {}): Promise<void> {
    try {
      if (!options.name?.trim()) throw new UsageError('--name is required');
      if (!API_KEY_SCOPES.includes(options.scope as ApiKeyScope)) {
        throw new UsageError(`--scope must be one of: ${API_KEY_SCOPES.join(', ')}`);
      }
      const { key, record } = await this.keys.create({
        name: options.name.trim(),
        scope: options.scope as ApiKeyScope,
        rateLimitPerMinute:
          options.rateLimit === undefined ? null : positiveInt('--rate-limit', options.rateLimit),
        maxConnections:
          options.maxConnections === undefined
            ? null
            : positiveInt('--max-connections', options.maxConnections),
      });
      process.stdout.write(
        `created ${maskedKey(record.prefix)} "${record.name}" (${record.scopes.join(', ')}); ` +
          `the key is shown only now:\n${key}\n`,
      );
    } catch (error) {
      fail(error);
    }
  }

  @Option({ flags: '--name <name>', description: 'Who or what uses the key' })
  name(value: string): string {
    return value;
  }

  @Option({ flags: '--scope <scope>', description: 'read | admin (admin includes read)' })
  scope(value: string): string {
    return value;
  }

  @Option({
    flags: '--rate-limit <n>',
    description: 'Requests per minute (default RATE_LIMIT_PER_MINUTE)',
  })
  rateLimit(value: string): string {
    return value;
  }

  @Option({
    flags: '--max-connections <n>',
    description: 'Open sockets (default WS_MAX_CONNECTIONS_PER_KEY)',
  })
  maxConnections(value: string): string {
    return value;
  }
}

/** `keys:list`: prefixes, names, scopes, limits, last use; never keys or hashes. */
@Command({ name: 'keys:list', description: 'List API keys' })
export class KeysListCommand extends CommandRunner {
  constructor(private readonly keys: ApiKeysService) {
    super();
  }

  async run(): Promise<void> {
    const rows = (await this.keys.list()).map((k) => [
      maskedKey(k.prefix),
      k.name,
      k.scopes.join(','),
      k.rateLimitPerMinute === null ? 'default' : String(k.rateLimitPerMinute),
      k.maxConnections === null ? 'default' : String(k.maxConnections),
      k.createdAt.toISOString(),
      k.lastUsedAt?.toISOString() ?? '-',
      k.revokedAt ? `revoked ${k.revokedAt.toISOString()}` : 'active',
    ]);
    process.stdout.write(
      `${formatTable(['KEY', 'NAME', 'SCOPES', 'RATE/MIN', 'MAX CONN', 'CREATED', 'LAST USED', 'STATUS'], rows)}\n`,
    );
  }
}

/** `keys:revoke <prefix>`: every instance refuses the key within 5 s and closes its sockets. */
@Command({
  name: 'keys:revoke',
  arguments: '<prefix>',
  description: 'Revoke an API key by its prefix (as keys:list shows it)',
})
export class KeysRevokeCommand extends CommandRunner {
  constructor(private readonly keys: ApiKeysService) {
    super();
  }

  async run([prefix]: string[]): Promise<void> {
    try {
      const record = await this.keys.revoke(prefix);
      process.stdout.write(`revoked ${maskedKey(record.prefix)} "${record.name}"\n`);
    } catch (error) {
      fail(error);
    }
  }
}
