/**
 * Security headers on every response (CONTRACT §6): a CSP without inline script that forbids framing,
 * nosniff, a same-origin referrer policy (survey pages tighten it to no-referrer), HSTS only over https.
 */
import helmet from 'helmet';
import type { Config } from '../config/config';

export function securityHeaders(config: Pick<Config, 'baseUrl'>) {
  const https = config.baseUrl.startsWith('https:');
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        // No external requests from our pages: a logo hosted elsewhere is shown in emails only.
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'"],
        'connect-src': ["'self'"],
        'object-src': ["'none'"],
        'base-uri': ["'none'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        ...(https ? { 'upgrade-insecure-requests': [] } : {}),
      },
    },
    referrerPolicy: { policy: 'same-origin' },
    strictTransportSecurity: https ? { maxAge: 15552000 } : false,
    crossOriginEmbedderPolicy: false,
    xFrameOptions: { action: 'deny' },
  });
}
