/** The IPC message a worker sends its primary once it serves the connections handed to it. */
export const WORKER_READY = 'fx:worker-ready';

export function isWorkerReady(message: unknown): boolean {
  return (message as { type?: unknown } | null)?.type === WORKER_READY;
}
