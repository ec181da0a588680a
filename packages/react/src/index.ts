// `@gatehouse/react`: components to embed inside a <GatehouseProvider> (from `@gatehouse/client/react`),
// and the pieces they are built of. Their look is `@gatehouse/react/styles.css`, themed by its
// custom properties (--gh-*).
export { errorMessage } from './error-message.js';
export { type Invitation, InviteForm, type InviteFormProps } from './invite-form.js';
export { MembersTable, type MembersTableProps } from './members-table.js';
export { useCan, useOrganizationId } from './organization.js';
export { OrganizationSwitcher, type OrganizationSwitcherProps } from './organization-switcher.js';
export { Empty, ErrorState, Field, FormError, Loading, Pager, SelectField, useCursors } from './ui.js';
export { type FieldErrors, type ServerForm, type ServerFormOptions, useServerForm } from './use-server-form.js';
