/**
 * Requests Node's HTTP parser rejects before Express sees them (a malformed request line or header,
 * headers over the size limit, a request too slow to arrive) get problem+json with the security
 * headers every response carries, instead of Node's bare "400 Bad Request".
 */
import { STATUS_CODES, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Config } from '../config/config';
import { problem } from './problem';
import { securityHeaderList } from './security-headers';

/** Node's own choice of status for a parser error (see socketOnError in node:_http_server), with its detail. */
function parserProblem(error: NodeJS.ErrnoException) {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return problem('header_fields_too_large', 'The request headers are larger than the server accepts.');
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return problem('payload_too_large', 'The request has chunk extensions larger than the server accepts.');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return problem('request_timeout', 'The request did not arrive in time.');
    default:
      return problem('bad_request', 'The request is not valid HTTP.');
  }
}

/** The whole answer to a parser error, status line to body. */
function clientErrorResponse(error: NodeJS.ErrnoException, securityHeaders: readonly (readonly [string, string])[]): string {
  const p = parserProblem(error);
  const body = JSON.stringify(p);
  const headers = [['Content-Type', 'application/problem+json'], ['Content-Length', String(Buffer.byteLength(body))], ['Connection', 'close'], ...securityHeaders];
  return `HTTP/1.1 ${p.status} ${STATUS_CODES[p.status] ?? p.title}\r\n${headers.map(([name, value]) => `${name}: ${value}`).join('\r\n')}\r\n\r\n${body}`;
}

export function answerClientErrors(server: Server, config: Pick<Config, 'baseUrl'>): void {
  const securityHeaders = securityHeaderList(config);
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex & { _httpMessage?: ServerResponse | null }) => {
    // As Node's own handler: no answer on a connection that cannot take one or whose answer has begun.
    if (error.code === 'ECONNRESET' || !socket.writable || socket._httpMessage?.headersSent) {
      socket.destroy();
      return;
    }
    socket.end(clientErrorResponse(error, securityHeaders));
  });
}
