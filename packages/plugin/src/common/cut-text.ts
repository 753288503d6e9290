/**
 * The first `max` UTF-16 code units of `text`, one fewer when the cut would split a surrogate pair:
 * half an emoji is not well-formed text, and a memory server refuses it. Pure: safe in the sandbox.
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  const splitsPair = last >= 0xd800 && last <= 0xdbff;
  return text.slice(0, splitsPair ? max - 1 : max);
}
