import { z } from 'zod';

export const ZWhoami = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  roles: z.array(z.string()),
  // null for a signed-in user who has not yet created or joined an organization.
  organization: z.object({ id: z.string(), name: z.string() }).nullable(),
  apiKey: z
    .object({
      id: z.string(),
      keyPrefix: z.string(),
      // null: the key carries all of its owner's permissions.
      scopes: z.array(z.string()).nullable(),
    })
    .optional(),
  principal: z.enum(['user', 'serviceAccount']),
});
export type TWhoami = z.infer<typeof ZWhoami>;
