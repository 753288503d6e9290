import type { IncomingMessage } from 'node:http';

/** A request body that could not be accepted, with the HTTP status that says why. */
export class BodyError extends Error {
  constructor(
    readonly status: 413 | 400 | 408,
    message: string,
  ) {
    super(message);
    this.name = 'BodyError';
  }
}

/**
 * Reads and parses a JSON request body, refusing more than `maxBytes` (413) before buffering it all,
 * malformed JSON (400) and a client that stalls for longer than `timeoutMs` (408).
 */
export async function readJsonBody(
  req: IncomingMessage,
  maxBytes: number,
  timeoutMs: number,
): Promise<unknown> {
  const text = await readTextBody(req, maxBytes, timeoutMs);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BodyError(400, 'request body is not valid JSON');
  }
}

/** Reads a request body as UTF-8 text, with the limits of {@link readJsonBody} (413, 400, 408). */
export async function readTextBody(
  req: IncomingMessage,
  maxBytes: number,
  timeoutMs: number,
): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new BodyError(413, `request body of ${declared} bytes exceeds the ${maxBytes}-byte limit`);
  }
  // On time-out, answer 408 without destroying the request: that would destroy the socket too, and
  // the client would see a hang-up instead of the answer. The read left behind ends with the socket.
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new BodyError(408, `request body not received within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  const read = readBody(req, maxBytes);
  void read.catch(() => undefined);
  try {
    return await Promise.race([read, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

async function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      const buffer = chunk as Buffer;
      size += buffer.length;
      if (size > maxBytes) throw new BodyError(413, `request body exceeds the ${maxBytes}-byte limit`);
      chunks.push(buffer);
    }
  } catch (error) {
    if (error instanceof BodyError) throw error;
    throw new BodyError(400, `request body could not be read: ${(error as Error).message}`);
  }
  return Buffer.concat(chunks).toString('utf8');
}
