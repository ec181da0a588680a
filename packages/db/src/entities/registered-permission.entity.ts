import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/**
 * A permission of the integrator's own (`workflows:read`), registered by the deployment's operator. Built-in
 * owner and admin roles hold every one; member and viewer those whose `grantedTo` names them.
 */
export const RegisteredPermission = defineEntity({
  name: 'RegisteredPermission',
  tableName: 'registered_permissions',
  properties: {
    key: p.string().primary(),
    description: p.string().nullable(),
    grantedTo: p.array().default([]),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export type RegisteredPermission = InferEntity<typeof RegisteredPermission>;
