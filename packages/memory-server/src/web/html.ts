// HTML that cannot carry an injection: every value interpolated into `html` is escaped unless it is
// already `Html` (built by `html` itself). Notes, keys, topics and messages are user data; none of
// them reaches a page any other way.

/** A fragment of HTML known to be safe: built by {@link html}, never from a plain string. */
export class Html {
  /** Use {@link html}; the constructor is for this module. */
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

/** Values `html` accepts: text (escaped), numbers, fragments, lists of them; nothing for null/undefined/false. */
export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text escaped for an element's content or a quoted attribute value. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function render(value: HtmlValue): string {
  if (value instanceof Html) return value.text;
  if (value === null || value === undefined || value === false || value === true) return '';
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(render).join('');
  return escapeHtml(String(value));
}

/**
 * A tagged template for HTML: `html\`<td title="${note}">${count}</td>\`` escapes `note` and `count`.
 * Attribute values must be quoted in the template. Booleans render nothing, so `${cond && html\`...\`}` works.
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): Html {
  let text = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) text += render(values[i]) + (strings[i + 1] ?? '');
  return new Html(text);
}

/** A URL path with query parameters, each value encoded (undefined ones left out): for `href`s. */
export function pageUrl(
  path: string,
  params: Readonly<Record<string, string | number | undefined>> = {},
): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== undefined) query.set(name, String(value));
  const text = query.toString();
  return text === '' ? path : `${path}?${text}`;
}

/** A column heading of {@link dataTable}: plain text, or a numeric column (right-aligned). */
export type ColumnHeading = string | { readonly numeric: string };

/** A table with a heading row and body rows (each row built by the caller, its cells in column order). */
export function dataTable(headings: readonly ColumnHeading[], rows: readonly Html[], className = ''): Html {
  const heads = headings.map((h) =>
    typeof h === 'string' ? html`<th>${h}</th>` : html`<th class="num">${h.numeric}</th>`,
  );
  return html`<table class="${className}">
    <thead>
      <tr>
        ${heads}
      </tr>
    </thead>
    <tbody>
      ${rows}
    </tbody>
  </table>`;
}
