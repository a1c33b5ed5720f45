import { INestApplicationContext, Logger } from '@nestjs/common';
import { AppConfig } from '../platform/config';
import { ApiKeysService } from './api-keys.service';

/**
 * First boot in AUTH_MODE=keys with an empty api_keys table: create one
 * admin key and print it once, with a dashboard URL that carries it in the
 * fragment (never sent to a server; the dashboard strips it from the address
 * bar). Written straight to stdout, not through the logger: it is the one
 * place a key is shown, and log shippers should not keep it.
 */
export async function ensureFirstKey(
  app: INestApplicationContext,
  baseUrl: string,
  write: (text: string) => void = (text) => process.stdout.write(text),
): Promise<string | null> {
  if (app.get(AppConfig).auth.mode !== 'keys') return null;
  const created = await app.get(ApiKeysService).createFirstKeyIfNone();
  if (!created) return null;
  new Logger('ApiKeys').warn(
    `no API key existed: created admin key fxp_${created.record.prefix}… (printed once below)`,
  );
  write(
    [
      '',
      'First admin API key (shown only this once; store it now):',
      `  ${created.key}`,
      `Dashboard: ${baseUrl}/#key=${created.key}`,
      'More keys: npm run cli -- keys:create --name <name> --scope read|admin',
      '',
      '',
    ].join('\n'),
  );
  return created.key;
}
