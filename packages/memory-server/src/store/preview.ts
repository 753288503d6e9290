/** Characters in a preview of a context's content. */
export const PREVIEW_LENGTH = 200;

/** The first `length` characters of `text`, never splitting a surrogate pair. */
export function preview(text: string, length = PREVIEW_LENGTH): string {
  if (text.length <= length) return text;
  const last = text.charCodeAt(length - 1);
  const end = last >= 0xd800 && last <= 0xdbff ? length - 1 : length;
  return text.slice(0, end);
}
