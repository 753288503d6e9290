/**
 * `work`, rejected with `label` when it does not settle within `timeoutMs` (the work itself goes on:
 * use it where nothing can be cancelled, e.g. closing a server).
 */
export async function bounded<T>(work: Promise<T>, timeoutMs: number, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label} took longer than ${timeoutMs / 1000} s`)), timeoutMs);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
