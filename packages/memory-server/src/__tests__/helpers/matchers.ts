// Typed wrappers of jest's asymmetric matchers (which are typed `any`), for use inside expected objects.

/** Matches any number. */
export function anyNumber(): number {
  return expect.any(Number) as number;
}

/** Matches a string matching `pattern`. */
export function stringMatching(pattern: RegExp): string {
  return expect.stringMatching(pattern) as string;
}
