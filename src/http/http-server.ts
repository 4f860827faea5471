/**
 * Node's HTTP server for the app. What Node would answer by itself, bare, before Express sees a request
 * (a malformed request line or header, headers over the size limit, a request too slow to arrive, a
 * missing Host, an Expect it cannot meet, CONNECT) is answered here with problem+json and the security
 * headers every response carries.
 */
import { createServer, STATUS_CODES, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Config } from '../config/config';
import { problem, type Problem } from './problem';
import { securityHeaderList } from './security-headers';

type HeaderList = readonly (readonly [string, string])[];

/** Node's own choice of status for a parser error (see socketOnError in node:_http_server), with its detail. */
function parserProblem(error: NodeJS.ErrnoException): Problem {
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

/** The whole answer, status line to body, for a socket no response object serves. */
function rawAnswer(p: Problem, securityHeaders: HeaderList, extra: HeaderList = []): string {
  const body = JSON.stringify(p);
  const headers = [['Content-Type', 'application/problem+json'], ['Content-Length', String(Buffer.byteLength(body))], ['Connection', 'close'], ...extra, ...securityHeaders];
  return `HTTP/1.1 ${p.status} ${STATUS_CODES[p.status] ?? p.title}\r\n${headers.map(([name, value]) => `${name}: ${value}`).join('\r\n')}\r\n\r\n${body}`;
}

function answer(res: ServerResponse, p: Problem, securityHeaders: HeaderList): void {
  const body = JSON.stringify(p);
  for (const [name, value] of securityHeaders) res.setHeader(name, value);
  res.writeHead(p.status, { 'Content-Type': 'application/problem+json', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
  res.end(body);
}

export function createHttpServer(app: RequestListener, config: Pick<Config, 'baseUrl'>): Server {
  const securityHeaders = securityHeaderList(config);
  const missingHost = problem('bad_request', 'An HTTP/1.1 request must carry one Host header.');
  // Node would answer a missing Host with a bare 400 itself; checked here instead, with our headers.
  // Two Host headers are refused too (RFC 9112 §3.2): Node would keep the first, a proxy might use the other.
  const server = createServer({ requireHostHeader: false }, (req, res) => {
    const hosts = req.headersDistinct.host?.length ?? 0;
    if (hosts > 1 || (hosts === 0 && req.httpVersion === '1.1')) return answer(res, missingHost, securityHeaders);
    app(req, res);
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex & { _httpMessage?: ServerResponse | null }) => {
    // As Node's own handler: no answer on a connection that cannot take one or whose answer has begun.
    if (error.code === 'ECONNRESET' || !socket.writable || socket._httpMessage?.headersSent) {
      socket.destroy();
      return;
    }
    socket.end(rawAnswer(parserProblem(error), securityHeaders));
  });
  server.on('checkExpectation', (req, res: ServerResponse) => {
    answer(res, problem('expectation_failed', `The server cannot meet Expect: ${String(req.headers.expect).slice(0, 100)}.`), securityHeaders);
  });
  server.on('connect', (_req, socket: Duplex) => {
    socket.end(rawAnswer(problem('method_not_allowed', 'This server is not a proxy: CONNECT is not served.'), securityHeaders, [['Allow', 'GET, HEAD, POST']]));
  });
  return server;
}
