export type Truthy<T> = Exclude<T, null | undefined | false | 0 | ''>;

export interface WaitOptions {
  /** Give up after this many ms (default 20 s: an app's first answer on a busy 2-core machine). */
  timeout?: number;
  /** Check again this often, ms (default 50). */
  interval?: number;
  /** Named in the timeout error: "timed out after 10000 ms waiting for <what>". */
  what?: string;
}

/**
 * The one polling helper of the tests: calls `check` until it returns a truthy
 * value (which it resolves with), or rejects once `timeout` has passed, with
 * the last value seen. For waiting on a condition instead of sleeping a fixed
 * time; event-driven waits (RecordingClient.waitFor) need no polling at all.
 */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  { timeout = 20_000, interval = 50, what = 'the condition' }: WaitOptions = {},
): Promise<Truthy<T>> {
  const deadline = Date.now() + timeout;
  let last: T | undefined;
  for (;;) {
    last = await check();
    if (last) return last as Truthy<T>;
    if (Date.now() >= deadline)
      throw new Error(
        `timed out after ${timeout} ms waiting for ${what} (last value: ${String(last)})`,
      );
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
