import { getJson } from './api';

interface OpenApi {
  paths?: Record<string, unknown>;
}

/**
 * Which optional routes this server has (key management, stored alerts),
 * read once from its public OpenAPI document. The page asks only for routes
 * that exist, so a server without them costs no 404 in the console.
 */
export class Capabilities {
  constructor(private readonly paths: ReadonlySet<string>) {}

  has(path: string): boolean {
    return this.paths.has(path);
  }

  static async load(): Promise<Capabilities> {
    try {
      const doc = await getJson<OpenApi>('/docs-json');
      return new Capabilities(new Set(Object.keys(doc.paths ?? {})));
    } catch {
      return new Capabilities(new Set());
    }
  }
}
