import {
  app,
  type FunctionInput,
  type HttpMethod,
  type HttpRequest,
  type HttpResponseInit,
  type InvocationContext,
} from '@azure/functions';
import { authorizeOps, opsAuthLevel, type OpsCaller } from '../shared/ops/actor';

/**
 * Registers one operations API route (`/api/ops/...`): the admin key or an Easy Auth app role is checked before the
 * handler runs (shared/ops/actor.ts), and the handler receives the verified caller (the actor it records).
 */
export function opsRoute(
  name: string,
  options: {
    route: string;
    methods: HttpMethod[];
    extraInputs?: FunctionInput[];
    handler: (request: HttpRequest, context: InvocationContext, caller: OpsCaller) => Promise<HttpResponseInit>;
  },
): void {
  app.http(name, {
    route: options.route,
    methods: options.methods,
    authLevel: opsAuthLevel(),
    extraInputs: options.extraInputs,
    handler: async (request, context) => {
      const authorization = authorizeOps(request);
      if (!authorization.ok) return { status: authorization.status, jsonBody: authorization.body };
      return options.handler(request, context, authorization.caller);
    },
  });
}
