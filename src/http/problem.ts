/**
 * RFC 9457 problem details. One table maps error codes to status and title; unknown errors become a
 * generic 500 whose detail never carries a stack or SQL.
 */
import type { Response } from 'express';
import { DomainError, type FieldIssue } from '../errors';

interface ProblemKind {
  readonly status: number;
  readonly title: string;
}

const KINDS: Readonly<Record<string, ProblemKind>> = {
  malformed_json: { status: 400, title: 'Malformed JSON' },
  bad_request: { status: 400, title: 'Bad request' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  forbidden: { status: 403, title: 'Forbidden' },
  not_found: { status: 404, title: 'Not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  request_timeout: { status: 408, title: 'Request timeout' },
  conflict: { status: 409, title: 'Conflict' },
  precondition_failed: { status: 412, title: 'Precondition failed' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  range_not_satisfiable: { status: 416, title: 'Range not satisfiable' },
  expectation_failed: { status: 417, title: 'Expectation failed' },
  validation_failed: { status: 422, title: 'Invalid fields' },
  rate_limited: { status: 429, title: 'Too many requests' },
  header_fields_too_large: { status: 431, title: 'Request header fields too large' },
  internal: { status: 500, title: 'Internal server error' },
  unavailable: { status: 503, title: 'Service unavailable' },
};

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly instance?: string;
  readonly errors?: readonly FieldIssue[];
}

export function problem(code: string, detail: string, errors?: readonly FieldIssue[]): Problem {
  const kind = KINDS[code] ?? (KINDS.internal as ProblemKind);
  return { type: `urn:rapport:problem:${code}`, title: kind.title, status: kind.status, detail, code, ...(errors ? { errors } : {}) };
}

export function sendProblem(res: Response, p: Problem): void {
  const requestId = res.getHeader('x-request-id');
  const body = typeof requestId === 'string' ? { ...p, instance: `urn:rapport:request:${requestId}` } : p;
  res.status(p.status).type('application/problem+json').send(JSON.stringify(body));
}

/** Errors raised by Express's body parser carry a `type`; map the ones a client can cause. */
interface ParserError {
  readonly type?: unknown;
  readonly status?: unknown;
  /** The body limit in bytes, on entity.too.large. */
  readonly limit?: unknown;
}

/** The body parsers serve the API's JSON and the pages' forms alike: their limits differ. */
function tooLargeDetail(limit: unknown): string {
  return typeof limit === 'number' ? `The request body is larger than ${Math.round(limit / 1024)} KiB.` : 'The request body is too large.';
}

export function problemFor(error: unknown): Problem {
  if (error instanceof DomainError) return problem(KINDS[error.code] ? error.code : 'internal', error.message, error.details?.errors);
  const parserType = typeof error === 'object' && error !== null ? (error as ParserError).type : undefined;
  switch (parserType) {
    case 'entity.parse.failed':
      return problem('malformed_json', 'The request body is not valid JSON.');
    case 'encoding.invalid':
      return problem('malformed_json', 'The request body is not valid UTF-8.');
    case 'entity.too.large':
      return problem('payload_too_large', tooLargeDetail((error as ParserError).limit));
    case 'encoding.unsupported':
      return problem('unsupported_media_type', 'The request body is compressed in a way the server does not read.');
    case 'charset.unsupported':
      return problem('unsupported_media_type', 'The request body must be UTF-8.');
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
    case 'parameters.too.many':
      return problem('bad_request', 'The request body could not be read.');
  }
  const status = typeof error === 'object' && error !== null ? (error as ParserError).status : undefined;
  // A static file's conditional or ranged request that cannot be met (express.static).
  if (status === 412) return problem('precondition_failed', 'The file does not match the If-Match or If-Unmodified-Since of the request.');
  if (status === 416) return problem('range_not_satisfiable', 'The requested range lies outside the file.');
  if (typeof status === 'number' && status >= 400 && status < 500) return problem('bad_request', 'The request could not be processed.');
  return problem('internal', 'Something went wrong on our side. The request id identifies it in our logs.');
}
