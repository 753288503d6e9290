/**
 * What Go's `encoding/json` needs of a value to decode it into a field of a Go struct: a field type
 * (`string`, `int`, `float`, `bool`, `time` for `time.Time`, `[]string`, `map[string]int`), a
 * struct (fields by JSON name), or a slice of one (`[spec]`). Absent fields and `null` decode to zero
 * values, as in Go; a value of the wrong JSON type makes Go's `Unmarshal` fail, and so fails here.
 */
export type GoType =
  | 'string'
  | 'int'
  | 'float'
  | 'bool'
  | 'time'
  | '[]string'
  | 'map[string]int'
  | { readonly [field: string]: GoType }
  | readonly [GoType];

// Go's time.Time decodes RFC 3339 text only.
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** The reasons Go could not decode `value` as `type` (path: problem); empty when it can. */
export function goDecodeProblems(value: unknown, type: GoType, path = '$'): string[] {
  if (value === null || value === undefined) return [];
  if (isSliceType(type)) {
    const [itemType] = type;
    if (!Array.isArray(value)) return [`${path}: expected an array, got ${JSON.stringify(value)}`];
    return value.flatMap((item, i) => goDecodeProblems(item, itemType, `${path}[${i}]`));
  }
  if (typeof type === 'object') {
    if (typeof value !== 'object' || Array.isArray(value)) return [`${path}: expected an object`];
    const object = value as Record<string, unknown>;
    return Object.entries(type).flatMap(([field, fieldType]) =>
      goDecodeProblems(object[field], fieldType, `${path}.${field}`),
    );
  }
  return scalarProblems(value, type, path);
}

function isSliceType(type: GoType): type is readonly [GoType] {
  return Array.isArray(type);
}

function scalarProblems(value: unknown, type: string, path: string): string[] {
  const problem = (expected: string) => [`${path}: expected ${expected}, got ${JSON.stringify(value)}`];
  switch (type) {
    case 'string':
      return typeof value === 'string' ? [] : problem('a string');
    case 'int':
      return Number.isInteger(value) ? [] : problem('a whole number');
    case 'float':
      return typeof value === 'number' ? [] : problem('a number');
    case 'bool':
      return typeof value === 'boolean' ? [] : problem('true or false');
    case 'time':
      return typeof value === 'string' && RFC3339.test(value) ? [] : problem('an RFC 3339 time');
    case '[]string':
      return goDecodeProblems(value, ['string'], path);
    default: {
      if (typeof value !== 'object' || Array.isArray(value)) return problem('an object');
      return Object.entries(value as Record<string, unknown>).flatMap(([key, item]) =>
        scalarProblems(item, 'int', `${path}.${key}`),
      );
    }
  }
}

/** Asserts that Go could decode `value` as `type`, listing every field it could not. */
export function expectGoDecodes(value: unknown, type: GoType): void {
  expect(goDecodeProblems(value, type)).toEqual([]);
}
