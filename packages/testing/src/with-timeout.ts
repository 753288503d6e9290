// Bounds a promise in time, for steps that have no timeout of their own (a browser's launch and close,
// stopping a server): the work itself goes on, so use it where nothing can be cancelled.

/** Resolves as `work` does, or rejects with "<what> took longer than <n> s" after `ms`. */
export async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
