/**
 * Splits a byte stream into newline-delimited JSON values. Chunks may end in
 * the middle of a line or even of a multi-byte character; the decoder and the
 * line buffer carry the remainder over. Blank lines (keep-alives) are skipped;
 * a line that is not JSON is reported through `onMalformed` and skipped, so
 * one bad line cannot kill a long-lived stream.
 */
export async function* ndjsonLines(
  chunks: AsyncIterable<Uint8Array>,
  onMalformed: (line: string, error: unknown) => void = () => undefined,
): AsyncGenerator<unknown> {
  const decoder = new TextDecoder('utf-8');
  let buffer = '';
  const parse = function* (text: string): Generator<unknown> {
    const line = text.trim();
    if (line === '') return;
    try {
      yield JSON.parse(line) as unknown;
    } catch (error) {
      onMalformed(line, error);
    }
  };
  for await (const chunk of chunks) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      yield* parse(buffer.slice(0, newline));
      buffer = buffer.slice(newline + 1);
      newline = buffer.indexOf('\n');
    }
  }
  buffer += decoder.decode();
  yield* parse(buffer);
}
