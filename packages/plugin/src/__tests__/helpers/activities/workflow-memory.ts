/** The fixture's one activity: notes the decision the workflow took. */
export async function noteDecision(customerId: string, maximumAttempts: number): Promise<string> {
  return `${customerId}: up to ${maximumAttempts} attempts`;
}
