/**
 * A RegExp with the user's pattern and flags but without `g` and `y`, which make `test()` remember
 * where it stopped: with them, one key or type matches and the next identical one does not. Pure.
 */
export function statelessRegExp(source: string, flags: string): RegExp {
  return new RegExp(source, flags.replace(/[gy]/g, ''));
}
