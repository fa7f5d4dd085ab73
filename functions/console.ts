import { app, type HttpRequest, type HttpResponseInit } from '@azure/functions';
import path from 'node:path';
import { isTenantMode } from '../shared/adapters/graph/auth';
import { appInfo } from '../shared/app-info';
import { getConfig } from '../shared/config/config';
import { CONSOLE_SECURITY_HEADERS, consoleFile } from '../shared/console/static-files';
import type { ConsoleConfig } from '../shared/console/console-config';

/** dist/console, next to dist/functions (scripts/build-console.mjs writes it). */
const CONSOLE_ROOT = path.resolve(__dirname, '..', 'console');

function consoleConfig(): ConsoleConfig {
  const config = getConfig();
  return {
    // The local host sets ENTRA_JML_LOCAL_HOST_BIND; Azure never does.
    mode: config.ENTRA_JML_LOCAL_HOST_BIND !== undefined ? 'local' : 'azure',
    graphEmulator: !isTenantMode(config),
    version: appInfo.version,
  };
}

/**
 * GET /api/console/{*path}: the ops web console (static files from dist/console) and its config.json. Anonymous:
 * the shell holds no data; every data call it makes needs the admin key locally or the signed-in identity's app
 * role in Azure (App Service Authentication).
 */
app.http('console', {
  route: 'console/{*path}',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: async (request: HttpRequest): Promise<HttpResponseInit> => {
    const requested = request.params.path ?? '';
    // Relative asset URLs need the trailing slash: /api/console to /api/console/ (relative Location, RFC 9110).
    if (requested === '' && !new URL(request.url).pathname.endsWith('/'))
      return { status: 308, headers: { ...CONSOLE_SECURITY_HEADERS, location: 'console/' } };
    if (requested === 'config.json')
      return {
        headers: { ...CONSOLE_SECURITY_HEADERS, 'content-type': 'application/json', 'cache-control': 'no-store' },
        body: JSON.stringify(consoleConfig()),
      };
    return consoleFile(CONSOLE_ROOT, requested, request.query.get('v'), request.headers.get('if-none-match'));
  },
});
