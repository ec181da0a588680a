// `@gatehouse/api/schemas`: the input schemas of the procedures a form sends, for a browser to validate
// with before it asks (the console, `@gatehouse/react`, an integrator's own pages). It imports nothing
// that needs Node or the database (schemas.test.ts bundles it for a browser to prove it).
//
// Permission lists (role permissions, key scopes) accept the built-in permissions and the registered
// ones this module has been told of. A server fills that snapshot itself; in a browser, fill it from
// `permissions.catalogue()` before validating such a form:
//   useRegisteredPermissions(catalogue.permissions.filter((p) => !p.builtIn))
export { ZCreateKeyInput, ZRotateKeyInput, ZUpdateKeyInput } from './api-keys/schema.js';
export {
  ZChangePasswordInput,
  ZLoginInput,
  ZRequestPasswordResetInput,
  ZResetPasswordInput,
  ZSignupInput,
  ZVerifyEmailInput,
  ZVerifyMfaInput,
} from './auth/schema.js';
export { useRegisteredPermissions } from './core/permissions.js';
export { ZAcceptInvitationInput, ZInviteInput } from './invitations/schema.js';
export {
  ZAddMemberInput,
  ZCreateOrganizationInput,
  ZMembersInput,
  ZUpdateMemberRoleInput,
  ZUpdateOrganizationInput,
} from './organizations/schema.js';
export { ZCreateProjectInput, ZUpdateProjectInput } from './projects/schema.js';
export { ZCreateRoleInput, ZRoleKey, ZUpdateRoleInput } from './roles/schema.js';
export {
  ZCreateCredentialInput,
  ZCreateServiceAccountInput,
  ZUpdateServiceAccountInput,
} from './service-accounts/schema.js';
export { ZCreateTeamInput, ZUpdateTeamInput } from './teams/schema.js';
export { ZUpdateMeInput } from './users/schema.js';
export { ZCreateWebhookInput, ZUpdateWebhookInput } from './webhooks/schema.js';
