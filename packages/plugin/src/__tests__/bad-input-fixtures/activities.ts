/** Describes its input (length of the payload as JSON), the same with or without the plugin. */
export async function describeInput(input: { customerId: string; payload: unknown }): Promise<string> {
  return `${input.customerId}:${JSON.stringify(input.payload)?.length ?? 0}`;
}
