import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { AppError, type Runtime } from '@gatehouse/api';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { createYoga } from 'graphql-yoga';
import type { Logger } from 'pino';
import { callerFor, createGraphQLSchema, type GraphQLContext, type GraphQLRequestContext } from './schema.js';

export interface GraphQLOptions {
  runtime: Runtime;
  logger: Logger;
  /** No introspection and no "did you mean" suggestions: the schema is not advertised. */
  production: boolean;
  /** See SchemaOptions.maxListed. */
  maxListed?: number;
}

// The seed's deepest selection is 3 (listUsers → activeUsers → uid) and fragments are flattened, so no
// valid document comes near this; it bounds the work of validating invalid ones.
export const MAX_DEPTH = 5;
// graphql-armor's default weights put the seed's full listUsers at 25.25 and a `{ ok }` mutation at
// about 3.5: a document may hold two full reads or a dozen mutations, not dozens of aliased copies
// each reading every member.
export const MAX_COST = 60;

/** GraphQL at /graphql, served by graphql-yoga; call `fetch(request, context)`. */
export function createGraphQLHandler({ runtime, logger, production, maxListed = 5000 }: GraphQLOptions) {
  return createYoga<GraphQLRequestContext, GraphQLContext>({
    schema: createGraphQLSchema({ maxListed }),
    graphqlEndpoint: '/graphql',
    // No GraphiQL (it loads its assets from a CDN) and no landing page; CORS is the app's.
    graphiql: false,
    landingPage: false,
    cors: false,
    batching: false,
    multipart: false,
    // Unexpected errors are logged by the resolvers with the request id; never a stack on the wire.
    maskedErrors: { isDev: false },
    logging: {
      debug: () => {},
      info: () => {},
      warn: (...args) => logger.warn({ err: args[0] }, 'graphql'),
      error: (...args) => logger.error({ err: args[0] }, 'graphql'),
    },
    context: (request): GraphQLContext => {
      const trpc = callerFor(runtime, request);
      let organization: Promise<string> | undefined;
      return {
        trpc,
        log: { requestId: request.requestId, error: (details, message) => logger.error(details, message) },
        // The organization users.* act in (a key's own; a session's from X-Gatehouse-Organization).
        organizationId: () => {
          organization ??= trpc.auth.whoami().then((me) => {
            if (me.organization) return me.organization.id;
            throw new AppError(
              'BAD_REQUEST',
              'Create or join an organization first, or name one with X-Gatehouse-Organization',
            );
          });
          return organization;
        },
      };
    },
    plugins: [
      maxDepthPlugin({ n: MAX_DEPTH, flattenFragments: true, exposeLimits: !production }),
      costLimitPlugin({ maxCost: MAX_COST, flattenFragments: true, exposeLimits: !production }),
      ...(production ? [useDisableIntrospection(), blockFieldSuggestionsPlugin()] : []),
    ],
  });
}
