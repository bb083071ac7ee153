/**
 * Base of every rule the domain refuses. `code` is stable (clients and the HTTP error map key on it);
 * the message is for humans. No HTTP status here: apps/api maps codes to statuses in one place.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
