import { z } from 'zod';
import { explainFor } from '../access/explain.js';
import { ZPermission } from '../api-keys/schema.js';
import { zId } from '../core/schema.js';
import { orgProcedure, router } from '../trpc/procedures.js';

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
  // Why can X do Y: reading someone's access is reading the members (members:read).
  explain: orgProcedure('members:read')
    .input(ZExplainInput)
    .output(ZExplanation)
    .query(({ ctx, input }) => explainFor(ctx, input)),
});
