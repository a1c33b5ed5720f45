import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { classifyAddress } from './address-policy';

export interface WebhookPost {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  allowPrivate: boolean;
}

export interface PostResult {
  ok: boolean;
  /** HTTP status, when an answer came. */
  status?: number;
  /** Why it failed, for the event's last_error (never the secret: it is not in here). */
  error?: string;
}

/** Why a URL may not receive webhooks (scheme, credentials, an address in a refused range), or null. */
export function urlProblem(raw: string): { url: URL } | { problem: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { problem: 'is not an absolute URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { problem: 'must be an http or https URL' };
  if (url.username || url.password) return { problem: 'must not carry credentials' };
  return { url };
}

const hostOf = (url: URL): string => url.hostname.replace(/^\[|\]$/g, '');

/** Resolves the host and names the first refused address, or null when every address is allowed. */
export async function addressProblem(url: URL, allowPrivate: boolean): Promise<string | null> {
  if (allowPrivate) return null;
  const host = hostOf(url);
  const addresses = isIP(host)
    ? [host]
    : await new Promise<string[]>((resolve, reject) =>
        dnsLookup(host, { all: true }, (error, found) =>
          error ? reject(error) : resolve(found.map((a) => a.address)),
        ),
      ).catch((error: Error) => {
        throw new Error(`host ${host} does not resolve (${error.message})`);
      });
  for (const address of addresses) {
    const kind = classifyAddress(address);
    if (kind)
      return `resolves to a ${kind} address (${address}); set ALERT_WEBHOOK_ALLOW_PRIVATE=true to allow it`;
  }
  return null;
}

/**
 * The connection's own DNS lookup, checked: the address the socket connects
 * to is the one classified, so a name that resolved to a public address when
 * the rule was made and to 127.0.0.1 now (DNS rebinding) is refused here.
 */
const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, found: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    const refused = found
      .map((a) => [a, classifyAddress(a.address)] as const)
      .find(([, kind]) => kind);
    if (refused) {
      return callback(
        Object.assign(
          new Error(`${hostname} resolves to a ${refused[1]} address (${refused[0].address})`),
          {
            code: 'EADDRREFUSED',
          },
        ),
        '',
        0,
      );
    }
    if (options.all)
      return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, found);
    callback(null, found[0].address, found[0].family);
  });
};

/** One POST with a hard deadline (connect to last byte); 2xx is delivered, anything else a failure. */
export async function postWebhook(post: WebhookPost): Promise<PostResult> {
  const parsed = urlProblem(post.url);
  if ('problem' in parsed) return { ok: false, error: `webhook_url ${parsed.problem}` };
  const { url } = parsed;
  if (!post.allowPrivate && isIP(hostOf(url))) {
    const kind = classifyAddress(hostOf(url));
    if (kind) return { ok: false, error: `webhook_url is a ${kind} address` };
  }
  const options: RequestOptions = {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(post.body)),
      'user-agent': 'fx-data-pipeline-webhooks',
      ...post.headers,
    },
    ...(post.allowPrivate ? {} : { lookup: guardedLookup }),
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<PostResult>((resolve) => {
    let settled = false;
    const finish = (result: PostResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(result);
    };
    const req = send(url, options, (res) => {
      // Drained and discarded: a receiver's answer body is not ours to keep (nor to buffer unboundedly).
      res.resume();
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        finish(
          status >= 200 && status < 300
            ? { ok: true, status }
            : { ok: false, status, error: `HTTP ${status}` },
        );
      });
      res.on('error', (error) => finish({ ok: false, error: error.message }));
    });
    const deadline = setTimeout(() => {
      req.destroy(new Error(`no answer within ${post.timeoutMs} ms`));
    }, post.timeoutMs);
    req.on('error', (error) => finish({ ok: false, error: error.message }));
    req.end(post.body);
  });
}
