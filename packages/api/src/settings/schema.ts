import { z } from 'zod';
import { ZCredits } from '../credits/amount.js';
import { ZRoleKey } from '../roles/schema.js';

export const ZDomain = z
  .string()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'Must be a domain name');

/** Organization settings: typed, every key optional on update, unknown keys rejected by name. */
export const ZSettings = z.strictObject({
  enforceMfa: z.boolean(),
  ssoRequired: z.boolean(),
  defaultRole: ZRoleKey,
  allowedEmailDomains: z.array(ZDomain).max(50),
  invitationTtlDays: z.number().int().min(1).max(30),
  defaultWorkspaceImage: z.string().max(200).nullable(),
  // Credits: a debit that takes the balance below it sends the owners one alert per crossing.
  lowBalanceThreshold: ZCredits.nullable(),
});
export type TSettings = z.infer<typeof ZSettings>;
export const defaultSettings: TSettings = {
  enforceMfa: false,
  ssoRequired: false,
  defaultRole: 'member',
  allowedEmailDomains: [],
  invitationTtlDays: 7,
  defaultWorkspaceImage: null,
  lowBalanceThreshold: null,
};
