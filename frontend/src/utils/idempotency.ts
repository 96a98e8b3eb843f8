/** A fresh Idempotency-Key: the server answers a retry that carries it with the first answer instead of writing
 * twice (a ticket filed, a comment added). */
export function newIdempotencyKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes); // works on plain http too, unlike crypto.randomUUID
  return `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
