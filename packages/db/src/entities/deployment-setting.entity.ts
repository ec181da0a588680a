import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/** Deployment-wide values every process must agree on, such as the key that signs list cursors. */
export const DeploymentSetting = defineEntity({
  name: 'DeploymentSetting',
  tableName: 'deployment_settings',
  properties: {
    key: p.string().primary(),
    value: p.text(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type DeploymentSetting = InferEntity<typeof DeploymentSetting>;
