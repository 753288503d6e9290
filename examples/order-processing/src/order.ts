/** An order as the workflow receives it. */
export interface Order {
  orderId: string;
  customerId: string;
  amountCents: number;
  items: string[];
}

/** What the workflow returns. */
export interface OrderResult {
  orderId: string;
  status: 'confirmed' | 'rejected';
  gateway?: string;
  /** Why the gateway was chosen. */
  reason?: string;
  paymentAttempts?: number;
}
