import { io, Socket } from 'socket.io-client';
import { ApiKeysService, CreateKeyInput } from '../../src/auth/api-keys.service';
import type { TestApp } from './test-app';

/** Creates a key through the app's own service (what keys:create and POST /keys call). */
export async function createKey(
  t: TestApp,
  scope: 'read' | 'admin',
  extra: Partial<CreateKeyInput> = {},
): Promise<{ key: string; prefix: string }> {
  const { key, record } = await t.app
    .get(ApiKeysService)
    .create({ name: `test ${scope}`, scope, ...extra });
  return { key, prefix: record.prefix };
}

export const bearer = (key: string): Record<string, string> => ({
  Authorization: `Bearer ${key}`,
});

export type ConnectOutcome =
  | { connected: true; socket: Socket }
  | { connected: false; code: string | undefined; message: string };

/** A real socket.io-client handshake; resolves once connected (after `connection_established`) or refused. */
export function connectSocket(
  url: string,
  options: { token?: string; origin?: string } = {},
): Promise<ConnectOutcome> {
  const socket = io(url, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: 10_000,
    ...(options.token ? { auth: { token: options.token } } : {}),
    ...(options.origin ? { extraHeaders: { Origin: options.origin } } : {}),
  });
  return new Promise((resolve) => {
    socket.once('connection_established', () => resolve({ connected: true, socket }));
    socket.once('connect_error', (error: Error & { data?: { code?: string } }) => {
      socket.close();
      resolve({ connected: false, code: error.data?.code, message: error.message });
    });
  });
}

/** Everything this process writes to stdout and stderr from now on (the app logs there). */
export function captureOutput(): { text(): string; restore(): void } {
  const chunks: string[] = [];
  const originals = {
    out: process.stdout.write.bind(process.stdout),
    err: process.stderr.write.bind(process.stderr),
  };
  const tap =
    (write: typeof process.stdout.write): typeof process.stdout.write =>
    (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return (write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
    };
  process.stdout.write = tap(originals.out);
  process.stderr.write = tap(originals.err);
  return {
    text: () => chunks.join(''),
    restore: () => {
      process.stdout.write = originals.out;
      process.stderr.write = originals.err;
    },
  };
}
