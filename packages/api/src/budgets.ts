import type { Limit } from './rate-limit.js';
import type { Runtime } from './runtime.js';

/**
 * Hourly abuse budgets: what one organization or user may make the deployment do, whatever their
 * permissions. Mail is a cost to whoever receives it, so every invitation email counts, however it
 * was asked for (invite, users.create, users.preRegister); organizations are a cost to the
 * deployment. Counted in PostgreSQL, so every process shares them.
 */
export interface Budgets {
  invitesPerHour: number;
  organizationsPerHour: number;
}

export const defaultBudgets: Budgets = { invitesPerHour: 200, organizationsPerHour: 10 };

/** `mails` invitation emails from the organization. */
export const inviteBudget = (runtime: Runtime, organizationId: string, mails = 1): Limit => ({
  bucket: `invite:org:${organizationId}`,
  max: runtime.budgets.invitesPerHour,
  windowSeconds: 3600,
  cost: mails,
});

export const organizationBudget = (runtime: Runtime, userId: string): Limit => ({
  bucket: `org-create:user:${userId}`,
  max: runtime.budgets.organizationsPerHour,
  windowSeconds: 3600,
});
