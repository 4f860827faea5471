/**
 * Domain errors carry a stable `code` and no HTTP status: src/http/problem.ts maps codes to statuses.
 */

/** One failing input field, named by its dotted JSON path (e.g. `customer.email`). */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: { readonly errors?: readonly FieldIssue[] },
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationFailed extends DomainError {
  constructor(errors: readonly FieldIssue[], message = 'Some fields are invalid.') {
    super('validation_failed', message, { errors });
  }
}

export class NotFound extends DomainError {
  constructor(message = 'Not found.') {
    super('not_found', message);
  }
}

export class Unauthorized extends DomainError {
  constructor(message = 'A valid API key is required.') {
    super('unauthorized', message);
  }
}

export class Conflict extends DomainError {
  constructor(message: string) {
    super('conflict', message);
  }
}
