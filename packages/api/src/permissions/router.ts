import { z } from 'zod';
import { explainFor } from '../access/explain.js';
import { ZPermission, zId } from '../core/schema.js';
import { orgProcedure, principalProcedure, router } from '../trpc/procedures.js';
import { catalogue } from './catalogue.js';
import { ZCatalogue } from './schema.js';

const ZExplainInput = z
  .strictObject({
    organizationId: zId('org'),
    // A user, a service account or an API key.
    principalId: z.string().regex(/^(usr|sa|key)_[0-9a-z]{26}$/, 'Must be a usr_, sa_ or key_ id'),
    permission: ZPermission,
    // The organization (the default) or one of its projects.
    resourceId: z
      .string()
      .regex(/^(org|prj)_[0-9a-z]{26}$/)
      .optional(),
  })
  .strict();

export const ZExplanation = z.object({
  allowed: z.boolean(),
  chain: z.array(
    z.object({
      via: z.enum(['role', 'team', 'project']),
      role: z.string(),
      teamId: z.string().optional(),
      projectId: z.string().optional(),
      scope: z.string().optional(),
    }),
  ),
  missing: z.enum(['organization', 'role', 'scope']).optional(),
});

export const permissionsRouter = router({
  // What there is to hold, for anyone signed in: the built-in permissions and the operator's own.
  catalogue: principalProcedure
    .input(z.strictObject({}).optional())
    .output(ZCatalogue)
    .query(() => catalogue()),
  // Why can X do Y: reading someone's access is reading the members (members:read).
  explain: orgProcedure('members:read')
    .input(ZExplainInput)
    .output(ZExplanation)
    .query(({ ctx, input }) => explainFor(ctx, input)),
});
