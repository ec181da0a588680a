// Generated from /api/v1/openapi.json by openapi-typescript: do not edit (see ../client-types.ts).
export interface paths {
    "/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List your API keys
         * @description Calls the tRPC procedure `auth.listKeys`.
         */
        get: operations["auth_listKeys"];
        put?: never;
        /**
         * Create an API key
         * @description Calls the tRPC procedure `auth.createKey`.
         */
        post: operations["auth_createKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api-keys/{key_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Retrieve an API key
         * @description Calls the tRPC procedure `auth.getKey`.
         */
        get: operations["auth_getKey"];
        put?: never;
        post?: never;
        /**
         * Revoke an API key
         * @description Calls the tRPC procedure `auth.revokeKey`.
         */
        delete: operations["auth_revokeKey"];
        options?: never;
        head?: never;
        /**
         * Update an API key
         * @description Calls the tRPC procedure `auth.updateKey`.
         */
        patch: operations["auth_updateKey"];
        trace?: never;
    };
    "/api-keys/{key_id}/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate an API key
         * @description Calls the tRPC procedure `auth.rotateKey`.
         */
        post: operations["auth_rotateKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/email-verification": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Verify an email address with a mailed token
         * @description Calls the tRPC procedure `auth.verifyEmail`.
         */
        post: operations["auth_verifyEmail"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/email-verification-requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mail an email verification link
         * @description Calls the tRPC procedure `auth.requestEmailVerification`.
         */
        post: operations["auth_requestEmailVerification"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign in with a password
         * @description Calls the tRPC procedure `auth.login`.
         */
        post: operations["auth_login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * End the current session
         * @description Calls the tRPC procedure `auth.logout`.
         */
        post: operations["auth_logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/mfa": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Your second factors
         * @description Calls the tRPC procedure `auth.mfa.status`.
         */
        get: operations["auth_mfa_status"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/mfa-verification": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Complete a sign-in with a second factor (login's challenge token and a code)
         * @description Calls the tRPC procedure `auth.verifyMfa`.
         */
        post: operations["auth_verifyMfa"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/mfa/disable": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Remove your second factor
         * @description Calls the tRPC procedure `auth.mfa.disable`.
         */
        post: operations["auth_mfa_disable"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/mfa/passkeys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List your passkeys
         * @description Calls the tRPC procedure `auth.mfa.passkeys.list`.
         */
        get: operations["auth_mfa_passkeys_list"];
        put?: never;
        /**
         * Add a passkey (the browser’s answer to the options)
         * @description Calls the tRPC procedure `auth.mfa.passkeys.register`.
         */
        post: operations["auth_mfa_passkeys_register"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/mfa/passkeys/{passkey_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove one of your passkeys
         * @description Calls the tRPC procedure `auth.mfa.passkeys.remove`.
         */
        delete: operations["auth_mfa_passkeys_remove"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/mfa/passkeys/registration-options": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * WebAuthn options for adding a passkey
         * @description Calls the tRPC procedure `auth.mfa.passkeys.registrationOptions`.
         */
        post: operations["auth_mfa_passkeys_registrationOptions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/mfa/recovery-codes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Replace your recovery codes
         * @description Calls the tRPC procedure `auth.mfa.recoveryCodes.regenerate`.
         */
        post: operations["auth_mfa_recoveryCodes_regenerate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/mfa/step-up": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Prove a second factor again (for what needs one within 10 minutes)
         * @description Calls the tRPC procedure `auth.mfa.stepUp`.
         */
        post: operations["auth_mfa_stepUp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/mfa/totp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start setting up a TOTP authenticator
         * @description Calls the tRPC procedure `auth.mfa.totp.enroll`.
         */
        post: operations["auth_mfa_totp_enroll"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/mfa/totp/confirmation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Turn TOTP on with a first code; answers the recovery codes once
         * @description Calls the tRPC procedure `auth.mfa.totp.confirm`.
         */
        post: operations["auth_mfa_totp_confirm"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/passkeys/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign in with a passkey (user verification required)
         * @description Calls the tRPC procedure `auth.passkeys.login`.
         */
        post: operations["auth_passkeys_login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/passkeys/login-options": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * WebAuthn options for signing in with a passkey (or a passkey as the second factor)
         * @description Calls the tRPC procedure `auth.passkeys.loginOptions`.
         */
        post: operations["auth_passkeys_loginOptions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Change the password
         * @description Calls the tRPC procedure `auth.changePassword`.
         */
        post: operations["auth_changePassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/password-reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reset a password with a mailed token
         * @description Calls the tRPC procedure `auth.resetPassword`.
         */
        post: operations["auth_resetPassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/password-reset-requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mail a password reset link
         * @description Calls the tRPC procedure `auth.requestPasswordReset`.
         */
        post: operations["auth_requestPasswordReset"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List your sessions
         * @description Calls the tRPC procedure `auth.sessions.list`.
         */
        get: operations["auth_sessions_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/sessions/{session_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke one of your sessions
         * @description Calls the tRPC procedure `auth.sessions.revoke`.
         */
        delete: operations["auth_sessions_revoke"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/sessions/revoke-others": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Revoke every session but this one
         * @description Calls the tRPC procedure `auth.sessions.revokeOthers`.
         */
        post: operations["auth_sessions_revokeOthers"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/signup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign up
         * @description Calls the tRPC procedure `auth.signup`.
         */
        post: operations["auth_signup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/sso/exchange": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Exchange an SSO sign-in's one-time code for a session
         * @description Calls the tRPC procedure `auth.exchangeSsoCode`.
         */
        post: operations["auth_exchangeSsoCode"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/invitations/{invitation_id}/resend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Resend an invitation
         * @description Calls the tRPC procedure `invitations.resend`.
         */
        post: operations["invitations_resend"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/invitations/accept": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Accept an invitation
         * @description Calls the tRPC procedure `invitations.accept`.
         */
        post: operations["invitations_accept"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/invitations/decline": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Decline an invitation
         * @description Calls the tRPC procedure `invitations.decline`.
         */
        post: operations["invitations_decline"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/invitations/lookup": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Look an invitation up by its token
         * @description Calls the tRPC procedure `invitations.lookup`.
         */
        post: operations["invitations_lookup"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/keys/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Verify an API key a service's caller presented
         * @description Calls the tRPC procedure `keys.verify`.
         */
        post: operations["keys_verify"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Retrieve the signed-in user
         * @description Calls the tRPC procedure `users.me`.
         */
        get: operations["users_me"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Update the signed-in user
         * @description Calls the tRPC procedure `users.updateMe`.
         */
        patch: operations["users_updateMe"];
        trace?: never;
    };
    "/organizations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List your organizations
         * @description Calls the tRPC procedure `organizations.list`.
         */
        get: operations["organizations_list"];
        put?: never;
        /**
         * Create an organization
         * @description Calls the tRPC procedure `organizations.create`.
         */
        post: operations["organizations_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Retrieve an organization
         * @description Calls the tRPC procedure `organizations.retrieve`.
         */
        get: operations["organizations_retrieve"];
        put?: never;
        post?: never;
        /**
         * Delete an organization
         * @description Calls the tRPC procedure `organizations.delete`.
         */
        delete: operations["organizations_delete"];
        options?: never;
        head?: never;
        /**
         * Update an organization
         * @description Calls the tRPC procedure `organizations.update`.
         */
        patch: operations["organizations_update"];
        trace?: never;
    };
    "/organizations/{organization_id}/audit-events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List audit events
         * @description Calls the tRPC procedure `audit.list`.
         */
        get: operations["audit_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/credits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Retrieve the credit balance
         * @description Calls the tRPC procedure `credits.balance`.
         */
        get: operations["credits_balance"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/credits/consume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Consume credits (Idempotency-Key)
         * @description Calls the tRPC procedure `credits.consume`.
         */
        post: operations["credits_consume"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/credits/grant": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Grant credits (platform admins; Idempotency-Key)
         * @description Calls the tRPC procedure `credits.grant`.
         */
        post: operations["credits_grant"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/credits/reservations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Hold credits (Idempotency-Key)
         * @description Calls the tRPC procedure `credits.reserve`.
         */
        post: operations["credits_reserve"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/domains": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List domains
         * @description Calls the tRPC procedure `organizations.domains.list`.
         */
        get: operations["organizations_domains_list"];
        put?: never;
        /**
         * Claim a domain (answers the TXT record to publish)
         * @description Calls the tRPC procedure `organizations.domains.add`.
         */
        post: operations["organizations_domains_add"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/domains/{domain_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove a domain
         * @description Calls the tRPC procedure `organizations.domains.remove`.
         */
        delete: operations["organizations_domains_remove"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/domains/{domain_id}/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Verify a domain by its published TXT record
         * @description Calls the tRPC procedure `organizations.domains.verify`.
         */
        post: operations["organizations_domains_verify"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List events after a sequence
         * @description Calls the tRPC procedure `events.list`.
         */
        get: operations["events_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/identities": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List identities
         * @description Calls the tRPC procedure `organizations.listIdentities`.
         */
        get: operations["organizations_listIdentities"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/invitations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List invitations
         * @description Calls the tRPC procedure `organizations.listInvitations`.
         */
        get: operations["organizations_listInvitations"];
        put?: never;
        /**
         * Invite someone by email
         * @description Calls the tRPC procedure `organizations.invite`.
         */
        post: operations["organizations_invite"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/invitations/{invitation_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Cancel an invitation
         * @description Calls the tRPC procedure `organizations.cancelInvitation`.
         */
        delete: operations["organizations_cancelInvitation"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List members
         * @description Calls the tRPC procedure `organizations.members`.
         */
        get: operations["organizations_members"];
        put?: never;
        /**
         * Add a member (or invite an account the organization does not manage)
         * @description Calls the tRPC procedure `organizations.addMember`.
         */
        post: operations["organizations_addMember"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/members/{user_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove a member
         * @description Calls the tRPC procedure `organizations.removeMember`.
         */
        delete: operations["organizations_removeMember_2"];
        options?: never;
        head?: never;
        /**
         * Change a member's role
         * @description Calls the tRPC procedure `organizations.updateMemberRole`.
         */
        patch: operations["organizations_updateMemberRole"];
        trace?: never;
    };
    "/organizations/{organization_id}/ownership-transfer": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Make a member owner (the caller becomes admin)
         * @description Calls the tRPC procedure `organizations.transferOwnership`.
         */
        post: operations["organizations_transferOwnership"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/permissions/explain": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Explain whether a principal holds a permission, and through what
         * @description Calls the tRPC procedure `permissions.explain`.
         */
        get: operations["permissions_explain"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/pre-registrations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Pre-register users by email
         * @description Calls the tRPC procedure `users.preRegister`.
         */
        post: operations["users_preRegister"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/projects": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the projects you reach
         * @description Calls the tRPC procedure `projects.list`.
         */
        get: operations["projects_list"];
        put?: never;
        /**
         * Create a project
         * @description Calls the tRPC procedure `projects.create`.
         */
        post: operations["projects_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/projects/{project_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Retrieve a project
         * @description Calls the tRPC procedure `projects.retrieve`.
         */
        get: operations["projects_retrieve"];
        put?: never;
        post?: never;
        /**
         * Delete a project and its bindings
         * @description Calls the tRPC procedure `projects.delete`.
         */
        delete: operations["projects_delete"];
        options?: never;
        head?: never;
        /**
         * Update a project
         * @description Calls the tRPC procedure `projects.update`.
         */
        patch: operations["projects_update"];
        trace?: never;
    };
    "/organizations/{organization_id}/projects/{project_id}/collaborators": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List a project's collaborators
         * @description Calls the tRPC procedure `projects.collaborators`.
         */
        get: operations["projects_collaborators"];
        put?: never;
        /**
         * Add a collaborator (a user, a team, or an email that gets an invitation)
         * @description Calls the tRPC procedure `projects.addCollaborator`.
         */
        post: operations["projects_addCollaborator"];
        /**
         * Remove a collaborator (user_id or team_id)
         * @description Calls the tRPC procedure `projects.removeCollaborator`.
         */
        delete: operations["projects_removeCollaborator"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/roles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List available roles
         * @description Calls the tRPC procedure `organizations.listRoles`.
         */
        get: operations["organizations_listRoles"];
        put?: never;
        /**
         * Create a custom role
         * @description Calls the tRPC procedure `roles.create`.
         */
        post: operations["roles_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/roles/{role_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Delete a custom role
         * @description Calls the tRPC procedure `roles.delete`.
         */
        delete: operations["roles_delete"];
        options?: never;
        head?: never;
        /**
         * Update a custom role
         * @description Calls the tRPC procedure `roles.update`.
         */
        patch: operations["roles_update"];
        trace?: never;
    };
    "/organizations/{organization_id}/service-accounts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List service accounts
         * @description Calls the tRPC procedure `serviceAccounts.list`.
         */
        get: operations["serviceAccounts_list"];
        put?: never;
        /**
         * Create a service account
         * @description Calls the tRPC procedure `serviceAccounts.create`.
         */
        post: operations["serviceAccounts_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/service-accounts/{service_account_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Retrieve a service account
         * @description Calls the tRPC procedure `serviceAccounts.retrieve`.
         */
        get: operations["serviceAccounts_retrieve"];
        put?: never;
        post?: never;
        /**
         * Delete a service account
         * @description Calls the tRPC procedure `serviceAccounts.delete`.
         */
        delete: operations["serviceAccounts_delete"];
        options?: never;
        head?: never;
        /**
         * Update a service account
         * @description Calls the tRPC procedure `serviceAccounts.update`.
         */
        patch: operations["serviceAccounts_update"];
        trace?: never;
    };
    "/organizations/{organization_id}/service-accounts/{service_account_id}/credentials": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List client credentials
         * @description Calls the tRPC procedure `serviceAccounts.credentials.list`.
         */
        get: operations["serviceAccounts_credentials_list"];
        put?: never;
        /**
         * Create a client credential (the secret is shown once)
         * @description Calls the tRPC procedure `serviceAccounts.credentials.create`.
         */
        post: operations["serviceAccounts_credentials_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/service-accounts/{service_account_id}/credentials/{credential_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Retrieve a client credential
         * @description Calls the tRPC procedure `serviceAccounts.credentials.retrieve`.
         */
        get: operations["serviceAccounts_credentials_retrieve"];
        put?: never;
        post?: never;
        /**
         * Delete a client credential
         * @description Calls the tRPC procedure `serviceAccounts.credentials.delete`.
         */
        delete: operations["serviceAccounts_credentials_delete"];
        options?: never;
        head?: never;
        /**
         * Update a client credential
         * @description Calls the tRPC procedure `serviceAccounts.credentials.update`.
         */
        patch: operations["serviceAccounts_credentials_update"];
        trace?: never;
    };
    "/organizations/{organization_id}/sso-connection": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Retrieve the SSO connection
         * @description Calls the tRPC procedure `sso.retrieve`.
         */
        get: operations["sso_retrieve"];
        put?: never;
        /**
         * Enable SSO (discovers and validates the issuer)
         * @description Calls the tRPC procedure `sso.enable`.
         */
        post: operations["sso_enable"];
        /**
         * Disable SSO (removes the connection and its identities)
         * @description Calls the tRPC procedure `sso.disable`.
         */
        delete: operations["sso_disable"];
        options?: never;
        head?: never;
        /**
         * Update the SSO connection
         * @description Calls the tRPC procedure `sso.update`.
         */
        patch: operations["sso_update"];
        trace?: never;
    };
    "/organizations/{organization_id}/sso-connection/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Test the SSO connection (discovery and JWKS, step by step)
         * @description Calls the tRPC procedure `sso.test`.
         */
        post: operations["sso_test"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/teams": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List teams
         * @description Calls the tRPC procedure `teams.list`.
         */
        get: operations["teams_list"];
        put?: never;
        /**
         * Create a team
         * @description Calls the tRPC procedure `teams.create`.
         */
        post: operations["teams_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/teams/{team_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Retrieve a team
         * @description Calls the tRPC procedure `teams.retrieve`.
         */
        get: operations["teams_retrieve"];
        put?: never;
        post?: never;
        /**
         * Delete a team and its role bindings
         * @description Calls the tRPC procedure `teams.delete`.
         */
        delete: operations["teams_delete"];
        options?: never;
        head?: never;
        /**
         * Update a team
         * @description Calls the tRPC procedure `teams.update`.
         */
        patch: operations["teams_update"];
        trace?: never;
    };
    "/organizations/{organization_id}/teams/{team_id}/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List a team's members
         * @description Calls the tRPC procedure `teams.members`.
         */
        get: operations["teams_members"];
        put?: never;
        /**
         * Add a member to a team
         * @description Calls the tRPC procedure `teams.addMember`.
         */
        post: operations["teams_addMember"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/teams/{team_id}/members/{user_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove a member from a team
         * @description Calls the tRPC procedure `teams.removeMember`.
         */
        delete: operations["teams_removeMember"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/teams/{team_id}/roles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Grant the team a role on the organization or a project
         * @description Calls the tRPC procedure `teams.grantRole`.
         */
        post: operations["teams_grantRole"];
        /**
         * Revoke the team's role on the organization or a project
         * @description Calls the tRPC procedure `teams.revokeRole`.
         */
        delete: operations["teams_revokeRole"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Exchange a service account's client credentials for an access token
         * @description Calls the tRPC procedure `organizations.exchangeToken`.
         */
        post: operations["organizations_exchangeToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/transactions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List credit transactions
         * @description Calls the tRPC procedure `credits.transactions`.
         */
        get: operations["credits_transactions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List users
         * @description Calls the tRPC procedure `users.list`.
         */
        get: operations["users_list"];
        put?: never;
        /**
         * Create a user managed by the organization
         * @description Calls the tRPC procedure `users.create`.
         */
        post: operations["users_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/users/{user_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Retrieve a user
         * @description Calls the tRPC procedure `users.retrieve`.
         */
        get: operations["users_retrieve"];
        put?: never;
        post?: never;
        /**
         * Remove a user from the organization
         * @description Calls the tRPC procedure `organizations.removeMember`.
         */
        delete: operations["organizations_removeMember"];
        options?: never;
        head?: never;
        /**
         * Update a user
         * @description Calls the tRPC procedure `users.update`.
         */
        patch: operations["users_update"];
        trace?: never;
    };
    "/organizations/{organization_id}/users/{user_id}/account": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Delete an account the organization manages (elsewhere: remove the membership)
         * @description Calls the tRPC procedure `users.delete`.
         */
        delete: operations["users_delete"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/users/{user_id}/activate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Activate a user
         * @description Calls the tRPC procedure `users.activate`.
         */
        post: operations["users_activate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/users/{user_id}/archive": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Archive a user
         * @description Calls the tRPC procedure `users.archive`.
         */
        post: operations["users_archive"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/users/{user_id}/deactivate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Deactivate a user
         * @description Calls the tRPC procedure `users.deactivate`.
         */
        post: operations["users_deactivate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/users/{user_id}/mfa-reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Remove a managed user's second factor (audited; the user is mailed)
         * @description Calls the tRPC procedure `users.resetMfa`.
         */
        post: operations["users_resetMfa"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/users/{user_id}/password-reset": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mail a user a password reset link
         * @description Calls the tRPC procedure `users.resetPassword`.
         */
        post: operations["users_resetPassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/users/{user_id}/permissions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List a user's effective permissions
         * @description Calls the tRPC procedure `users.getPermissions`.
         */
        get: operations["users_getPermissions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/users/{user_id}/resources": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the resources a user reaches
         * @description Calls the tRPC procedure `users.getResources`.
         */
        get: operations["users_getResources"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/users/{user_id}/teams": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List a user's teams
         * @description Calls the tRPC procedure `users.getTeams`.
         */
        get: operations["users_getTeams"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/users/activate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Activate a user by id or email
         * @description Calls the tRPC procedure `users.activate`.
         */
        post: operations["users_activate_2"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/users/deactivate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Deactivate a user by id or email
         * @description Calls the tRPC procedure `users.deactivate`.
         */
        post: operations["users_deactivate_2"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/webhook-deliveries/{delivery_id}/redeliver": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a delivery again
         * @description Calls the tRPC procedure `webhooks.redeliver`.
         */
        post: operations["webhooks_redeliver"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List webhooks
         * @description Calls the tRPC procedure `webhooks.list`.
         */
        get: operations["webhooks_list"];
        put?: never;
        /**
         * Create a webhook (its secret is shown once)
         * @description Calls the tRPC procedure `webhooks.create`.
         */
        post: operations["webhooks_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/webhooks/{webhook_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Retrieve a webhook
         * @description Calls the tRPC procedure `webhooks.retrieve`.
         */
        get: operations["webhooks_retrieve"];
        put?: never;
        post?: never;
        /**
         * Delete a webhook and its deliveries
         * @description Calls the tRPC procedure `webhooks.delete`.
         */
        delete: operations["webhooks_delete"];
        options?: never;
        head?: never;
        /**
         * Update a webhook
         * @description Calls the tRPC procedure `webhooks.update`.
         */
        patch: operations["webhooks_update"];
        trace?: never;
    };
    "/organizations/{organization_id}/webhooks/{webhook_id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List deliveries
         * @description Calls the tRPC procedure `webhooks.deliveries`.
         */
        get: operations["webhooks_deliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/webhooks/{webhook_id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate the signing secret (the old one signs too for 24 hours)
         * @description Calls the tRPC procedure `webhooks.rotateSecret`.
         */
        post: operations["webhooks_rotateSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{organization_id}/webhooks/{webhook_id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send the webhook a test event
         * @description Calls the tRPC procedure `webhooks.test`.
         */
        post: operations["webhooks_test"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/permissions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List every permission and the built-in roles that hold it
         * @description Calls the tRPC procedure `permissions.catalogue`.
         */
        get: operations["permissions_catalogue"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/platform/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a platform key
         * @description Calls the tRPC procedure `platform.createKey`.
         */
        post: operations["platform_createKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/platform/organizations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List all organizations
         * @description Calls the tRPC procedure `platform.organizations.list`.
         */
        get: operations["platform_organizations_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/platform/organizations/{organization_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Update an organization's plan or subscription
         * @description Calls the tRPC procedure `platform.organizations.update`.
         */
        patch: operations["platform_organizations_update"];
        trace?: never;
    };
    "/platform/organizations/{organization_id}/suspend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Suspend an organization
         * @description Calls the tRPC procedure `platform.organizations.suspend`.
         */
        post: operations["platform_organizations_suspend"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/platform/organizations/{organization_id}/unsuspend": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Lift a suspension
         * @description Calls the tRPC procedure `platform.organizations.unsuspend`.
         */
        post: operations["platform_organizations_unsuspend"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/platform/permissions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the registered permissions, with the roles and keys that name each
         * @description Calls the tRPC procedure `platform.permissions.list`.
         */
        get: operations["platform_permissions_list"];
        put?: never;
        /**
         * Register a permission of your own
         * @description Calls the tRPC procedure `platform.permissions.create`.
         */
        post: operations["platform_permissions_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/platform/permissions/{key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Unregister a permission (force: also from every role and key naming it)
         * @description Calls the tRPC procedure `platform.permissions.delete`.
         */
        delete: operations["platform_permissions_delete"];
        options?: never;
        head?: never;
        /**
         * Update a registered permission
         * @description Calls the tRPC procedure `platform.permissions.update`.
         */
        patch: operations["platform_permissions_update"];
        trace?: never;
    };
    "/platform/signing-keys/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate the access-token signing key
         * @description Calls the tRPC procedure `platform.rotateSigningKey`.
         */
        post: operations["platform_rotateSigningKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/platform/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List all users
         * @description Calls the tRPC procedure `platform.users.list`.
         */
        get: operations["platform_users_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/platform/users/{user_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Retrieve any user
         * @description Calls the tRPC procedure `platform.users.retrieve`.
         */
        get: operations["platform_users_retrieve"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/platform/users/{user_id}/activate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Activate an account
         * @description Calls the tRPC procedure `platform.users.activate`.
         */
        post: operations["platform_users_activate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/platform/users/{user_id}/deactivate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Deactivate an account
         * @description Calls the tRPC procedure `platform.users.deactivate`.
         */
        post: operations["platform_users_deactivate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/reservations/{reservation_id}/capture": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Capture held credits
         * @description Calls the tRPC procedure `credits.capture`.
         */
        post: operations["credits_capture"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/reservations/{reservation_id}/release": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Release held credits
         * @description Calls the tRPC procedure `credits.release`.
         */
        post: operations["credits_release"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/transactions/{transaction_id}/refund": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Refund a consumption (platform admins; Idempotency-Key)
         * @description Calls the tRPC procedure `credits.refund`.
         */
        post: operations["credits_refund"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/whoami": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Describe the calling credential
         * @description Calls the tRPC procedure `auth.whoami`.
         */
        get: operations["auth_whoami"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description Any JSON value */
        "auth.createKey.input___schema0": unknown;
        /** @description Any JSON value */
        "auth.updateKey.input___schema0": unknown;
        /** @description Any JSON value */
        "credits.consume.input___schema0": unknown;
        /** @description Cursor pagination. Cursors are opaque and run forward; start_cursor is always null. */
        PageInfo: {
            end_cursor: string | null;
            has_next_page: boolean;
            has_prev_page: boolean;
            start_cursor: string | null;
        };
        /** @description Any JSON value */
        "platform.createKey.input___schema0": unknown;
        /** @description RFC 9457 problem details. `reason` is the machine-readable reason, the same as over tRPC. */
        Problem: {
            /** @description The tRPC error code, e.g. NOT_FOUND */
            code: string;
            detail: string;
            details?: {
                [key: string]: unknown;
            };
            /** @description Validation failures by field (dotted path in wire names; `_` for the input as a whole) */
            field_errors?: {
                [key: string]: string[];
            };
            /** @description e.g. NOT_FOUND, LAST_OWNER, INSUFFICIENT_CREDITS */
            reason: string;
            status: number;
            title: string;
            type: string;
        };
    };
    responses: {
        /** @description Invalid input (field_errors says which) */
        Problem400: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Missing, invalid, expired or revoked credential */
        Problem401: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Authenticated, but not allowed */
        Problem403: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Not found, or in another organization */
        Problem404: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Conflict with the current state */
        Problem409: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Precondition failed (e.g. INSUFFICIENT_CREDITS) */
        Problem412: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description Throttled: retry after Retry-After seconds */
        Problem429: {
            headers: {
                /** @description Seconds to wait */
                "Retry-After"?: number;
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    auth_listKeys: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                status?: "active" | "revoked" | "expired";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** Format: date-time */
                            created_at: string;
                            expires_at: string | null;
                            id: string;
                            key_prefix: string;
                            last_used_at: string | null;
                            last_used_ip: string | null;
                            metadata: {
                                [key: string]: unknown;
                            };
                            name: string;
                            organization_id: string | null;
                            rate_limit: {
                                limit: number;
                                window_seconds: number;
                            } | null;
                            remaining: number | null;
                            revoked_at: string | null;
                            revoked_by: string | null;
                            scopes: string[] | null;
                            /** @enum {string} */
                            status: "active" | "revoked" | "expired";
                            /** Format: date-time */
                            updated_at: string;
                            user_id: string;
                        }[];
                        page_info: components["schemas"]["PageInfo"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    auth_createKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    expires_in_days?: number;
                    metadata?: {
                        [key: string]: components["schemas"]["auth.createKey.input___schema0"];
                    };
                    name: string;
                    rate_limit?: {
                        limit: number;
                        window_seconds: number;
                    };
                    remaining?: number;
                    scopes?: string[];
                };
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        expires_at: string | null;
                        id: string;
                        key: string;
                        key_prefix: string;
                        name: string;
                        rate_limit: {
                            limit: number;
                            window_seconds: number;
                        } | null;
                        remaining: number | null;
                        scopes: string[] | null;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    auth_getKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        created_at: string;
                        expires_at: string | null;
                        id: string;
                        key_prefix: string;
                        last_used_at: string | null;
                        last_used_ip: string | null;
                        metadata: {
                            [key: string]: unknown;
                        };
                        name: string;
                        organization_id: string | null;
                        rate_limit: {
                            limit: number;
                            window_seconds: number;
                        } | null;
                        remaining: number | null;
                        revoked_at: string | null;
                        revoked_by: string | null;
                        scopes: string[] | null;
                        /** @enum {string} */
                        status: "active" | "revoked" | "expired";
                        /** Format: date-time */
                        updated_at: string;
                        user_id: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    auth_revokeKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        created_at: string;
                        expires_at: string | null;
                        id: string;
                        key_prefix: string;
                        last_used_at: string | null;
                        last_used_ip: string | null;
                        metadata: {
                            [key: string]: unknown;
                        };
                        name: string;
                        organization_id: string | null;
                        rate_limit: {
                            limit: number;
                            window_seconds: number;
                        } | null;
                        remaining: number | null;
                        revoked_at: string | null;
                        revoked_by: string | null;
                        scopes: string[] | null;
                        /** @enum {string} */
                        status: "active" | "revoked" | "expired";
                        /** Format: date-time */
                        updated_at: string;
                        user_id: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    auth_updateKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    metadata?: {
                        [key: string]: components["schemas"]["auth.updateKey.input___schema0"];
                    };
                    name?: string;
                    rate_limit?: {
                        limit: number;
                        window_seconds: number;
                    } | null;
                    remaining?: number | null;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        created_at: string;
                        expires_at: string | null;
                        id: string;
                        key_prefix: string;
                        last_used_at: string | null;
                        last_used_ip: string | null;
                        metadata: {
                            [key: string]: unknown;
                        };
                        name: string;
                        organization_id: string | null;
                        rate_limit: {
                            limit: number;
                            window_seconds: number;
                        } | null;
                        remaining: number | null;
                        revoked_at: string | null;
                        revoked_by: string | null;
                        scopes: string[] | null;
                        /** @enum {string} */
                        status: "active" | "revoked" | "expired";
                        /** Format: date-time */
                        updated_at: string;
                        user_id: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    auth_rotateKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    /** @default 0 */
                    grace_period_seconds?: number;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        expires_at: string | null;
                        id: string;
                        key: string;
                        key_prefix: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    auth_verifyEmail: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    password?: string;
                    token: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        expires_at?: string;
                        /** @constant */
                        ok: true;
                        session_token?: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    auth_requestEmailVerification: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    auth_login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    cookie?: boolean;
                    /** Format: email */
                    email: string;
                    password: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        expires_at: string;
                        session_token: string;
                    } | {
                        /** @constant */
                        cookie: true;
                        csrf_token: string;
                        /** Format: date-time */
                        expires_at: string;
                    } | {
                        challenge_token: string;
                        methods: ("totp" | "recoveryCode" | "passkey")[];
                        /** @constant */
                        mfa_required: true;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    auth_logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    auth_mfa_status: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        enabled: boolean;
                        methods: ("totp" | "recoveryCode" | "passkey")[];
                        passkeys: number;
                        recovery_codes_left: number;
                        totp: {
                            confirmed: boolean;
                            confirmed_at: string | null;
                            enrolled: boolean;
                        };
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    auth_verifyMfa: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    challenge_token: string;
                    code?: string;
                    passkey_response?: {
                        /** @enum {string} */
                        authenticator_attachment?: "platform" | "cross-platform";
                        /** @default {} */
                        client_extension_results?: {
                            [key: string]: unknown;
                        };
                        id: string;
                        raw_id: string;
                        response: {
                            [key: string]: unknown;
                        };
                        /** @constant */
                        type: "public-key";
                    };
                    recovery_code?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        expires_at: string;
                        session_token: string;
                    } | {
                        /** @constant */
                        cookie: true;
                        csrf_token: string;
                        /** Format: date-time */
                        expires_at: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    auth_mfa_disable: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    code: string;
                };
            };
        };
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    auth_mfa_passkeys_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            backed_up: boolean;
                            /** Format: date-time */
                            created_at: string;
                            id: string;
                            last_used_at: string | null;
                            name: string;
                        }[];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    auth_mfa_passkeys_register: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    response: {
                        /** @enum {string} */
                        authenticator_attachment?: "platform" | "cross-platform";
                        /** @default {} */
                        client_extension_results?: {
                            [key: string]: unknown;
                        };
                        id: string;
                        raw_id: string;
                        response: {
                            [key: string]: unknown;
                        };
                        /** @constant */
                        type: "public-key";
                    };
                };
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        backed_up: boolean;
                        /** Format: date-time */
                        created_at: string;
                        id: string;
                        last_used_at: string | null;
                        name: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    auth_mfa_passkeys_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                passkey_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    auth_mfa_passkeys_registrationOptions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    auth_mfa_recoveryCodes_regenerate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    code: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        recovery_codes: string[];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    auth_mfa_stepUp: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    code: string;
                };
            };
        };
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    auth_mfa_totp_enroll: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        otpauth_uri: string;
                        qr_svg: string;
                        secret: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    auth_mfa_totp_confirm: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    code: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        recovery_codes: string[];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    auth_passkeys_login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    cookie?: boolean;
                    response: {
                        /** @enum {string} */
                        authenticator_attachment?: "platform" | "cross-platform";
                        /** @default {} */
                        client_extension_results?: {
                            [key: string]: unknown;
                        };
                        id: string;
                        raw_id: string;
                        response: {
                            [key: string]: unknown;
                        };
                        /** @constant */
                        type: "public-key";
                    };
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        expires_at: string;
                        session_token: string;
                    } | {
                        /** @constant */
                        cookie: true;
                        csrf_token: string;
                        /** Format: date-time */
                        expires_at: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    auth_passkeys_loginOptions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    auth_changePassword: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    new_password: string;
                    old_password: string;
                };
            };
        };
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    auth_resetPassword: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    new_password: string;
                    token: string;
                };
            };
        };
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    auth_requestPasswordReset: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: email */
                    email: string;
                };
            };
        };
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    auth_sessions_list: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** Format: date-time */
                            created_at: string;
                            current: boolean;
                            /** Format: date-time */
                            expires_at: string;
                            id: string;
                            ip: string | null;
                            /** Format: date-time */
                            last_seen_at: string;
                            user_agent: string | null;
                        }[];
                        page_info: components["schemas"]["PageInfo"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    auth_sessions_revoke: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                session_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    auth_sessions_revokeOthers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        revoked: number;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    auth_signup: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    cookie?: boolean;
                    /** Format: email */
                    email: string;
                    name: string;
                    password: string;
                };
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        expires_at: string;
                        session_token: string;
                        user_id: string;
                    } | {
                        /** @constant */
                        cookie: true;
                        csrf_token: string;
                        /** Format: date-time */
                        expires_at: string;
                        user_id: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    auth_exchangeSsoCode: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    code: string;
                    cookie?: boolean;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        expires_at: string;
                        session_token: string;
                    } | {
                        /** @constant */
                        cookie: true;
                        csrf_token: string;
                        /** Format: date-time */
                        expires_at: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    invitations_resend: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                invitation_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        accepted_at: string | null;
                        /** Format: date-time */
                        created_at: string;
                        declined_at: string | null;
                        email: string;
                        /** Format: date-time */
                        expires_at: string;
                        id: string;
                        inviter: {
                            id: string;
                            name: string;
                        } | null;
                        organization_id: string;
                        role: string;
                        /** @enum {string} */
                        status: "pending" | "accepted" | "expired" | "cancelled";
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    invitations_accept: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    password?: string;
                    token: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        expires_at?: string;
                        organization_id: string;
                        role: string;
                        session_token?: string;
                        user_id: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    invitations_decline: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    token: string;
                };
            };
        };
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    invitations_lookup: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    token: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        inviter_name: string | null;
                        organization_name: string;
                        role: string;
                        /** @enum {string} */
                        status: "pending" | "accepted" | "expired" | "cancelled";
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    keys_verify: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @default 1 */
                    cost?: number;
                    key: string;
                    permissions?: string[] | string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        code: "VALID" | "NOT_FOUND" | "EXPIRED" | "REVOKED" | "DISABLED" | "RATE_LIMITED" | "USAGE_EXCEEDED" | "INSUFFICIENT_PERMISSIONS";
                        key_id?: string;
                        organization_id?: string;
                        owner_id?: string;
                        permissions?: string[];
                        rate_limit?: {
                            limit: number;
                            remaining: number;
                            reset: number;
                        };
                        remaining?: number;
                        valid: boolean;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    users_me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        avatar_url: string | null;
                        /** Format: date-time */
                        created_at: string;
                        email: string;
                        email_verified: boolean;
                        emails: string[];
                        id: string;
                        last_login_at: string | null;
                        managed_by: string | null;
                        name: string;
                        organization: {
                            id: string;
                            name: string;
                        } | null;
                        organization_id: string | null;
                        /** @enum {string} */
                        platform_role: "user" | "admin";
                        profile: {
                            timezone?: string;
                            title?: string;
                        };
                        role: string | null;
                        roles: string[];
                        /** @enum {string} */
                        status: "active" | "invited" | "deactivated" | "archived";
                        /** Format: date-time */
                        updated_at: string;
                        username: string | null;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    users_updateMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    avatar_url?: string | null;
                    name?: string;
                    organization_id?: string;
                    profile?: {
                        timezone?: string;
                        title?: string;
                    };
                    username?: string | null;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        avatar_url: string | null;
                        /** Format: date-time */
                        created_at: string;
                        email: string;
                        email_verified: boolean;
                        emails: string[];
                        id: string;
                        last_login_at: string | null;
                        managed_by: string | null;
                        name: string;
                        organization: {
                            id: string;
                            name: string;
                        } | null;
                        organization_id: string | null;
                        /** @enum {string} */
                        platform_role: "user" | "admin";
                        profile: {
                            timezone?: string;
                            title?: string;
                        };
                        role: string | null;
                        roles: string[];
                        /** @enum {string} */
                        status: "active" | "invited" | "deactivated" | "archived";
                        /** Format: date-time */
                        updated_at: string;
                        username: string | null;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    organizations_list: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** Format: date-time */
                            created_at: string;
                            credits: number;
                            description: string | null;
                            id: string;
                            label: string;
                            member_count: number;
                            name: string;
                            namespace: string;
                            owner_id: string | null;
                            permissions?: {
                                [key: string]: {
                                    [key: string]: boolean;
                                };
                            };
                            plan: string;
                            settings: {
                                allowed_email_domains: string[];
                                default_role: string;
                                default_workspace_image: string | null;
                                enforce_mfa: boolean;
                                invitation_ttl_days: number;
                                low_balance_threshold: number | null;
                                sso_required: boolean;
                            };
                            sso_enabled: boolean;
                            /** @enum {string} */
                            status: "active" | "suspended";
                            /** Format: date-time */
                            updated_at: string;
                        }[];
                        page_info: components["schemas"]["PageInfo"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    organizations_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    description?: string | null;
                    name: string;
                };
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        created_at: string;
                        credits: number;
                        description: string | null;
                        id: string;
                        label: string;
                        member_count: number;
                        name: string;
                        namespace: string;
                        owner_id: string | null;
                        permissions?: {
                            [key: string]: {
                                [key: string]: boolean;
                            };
                        };
                        plan: string;
                        settings: {
                            allowed_email_domains: string[];
                            default_role: string;
                            default_workspace_image: string | null;
                            enforce_mfa: boolean;
                            invitation_ttl_days: number;
                            low_balance_threshold: number | null;
                            sso_required: boolean;
                        };
                        sso_enabled: boolean;
                        /** @enum {string} */
                        status: "active" | "suspended";
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    organizations_retrieve: {
        parameters: {
            query?: {
                "expand[]"?: "permissions"[];
            };
            header?: never;
            path: {
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        created_at: string;
                        credits: number;
                        description: string | null;
                        id: string;
                        label: string;
                        member_count: number;
                        name: string;
                        namespace: string;
                        owner_id: string | null;
                        permissions?: {
                            [key: string]: {
                                [key: string]: boolean;
                            };
                        };
                        plan: string;
                        settings: {
                            allowed_email_domains: string[];
                            default_role: string;
                            default_workspace_image: string | null;
                            enforce_mfa: boolean;
                            invitation_ttl_days: number;
                            low_balance_threshold: number | null;
                            sso_required: boolean;
                        };
                        sso_enabled: boolean;
                        /** @enum {string} */
                        status: "active" | "suspended";
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    organizations_delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    organizations_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    description?: string | null;
                    name?: string;
                    settings?: {
                        allowed_email_domains?: string[];
                        default_role?: string;
                        default_workspace_image?: string | null;
                        enforce_mfa?: boolean;
                        invitation_ttl_days?: number;
                        low_balance_threshold?: number | null;
                        sso_required?: boolean;
                    };
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        created_at: string;
                        credits: number;
                        description: string | null;
                        id: string;
                        label: string;
                        member_count: number;
                        name: string;
                        namespace: string;
                        owner_id: string | null;
                        permissions?: {
                            [key: string]: {
                                [key: string]: boolean;
                            };
                        };
                        plan: string;
                        settings: {
                            allowed_email_domains: string[];
                            default_role: string;
                            default_workspace_image: string | null;
                            enforce_mfa: boolean;
                            invitation_ttl_days: number;
                            low_balance_threshold: number | null;
                            sso_required: boolean;
                        };
                        sso_enabled: boolean;
                        /** @enum {string} */
                        status: "active" | "suspended";
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    audit_list: {
        parameters: {
            query?: {
                action?: string;
                actor_id?: string;
                cursor?: string;
                limit?: number;
                since?: string;
                target_id?: string;
                until?: string;
            };
            header?: never;
            path: {
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            action: string;
                            actor: {
                                id: string | null;
                                platform: boolean;
                                /** @enum {string} */
                                type: "user" | "apiKey" | "serviceAccount" | "system";
                            };
                            changes: {
                                [key: string]: {
                                    from: unknown;
                                    to: unknown;
                                };
                            } | null;
                            /** Format: date-time */
                            created_at: string;
                            id: string;
                            ip: string | null;
                            organization_id: string;
                            request_id: string | null;
                            target: {
                                id: string;
                                type: string;
                            } | null;
                        }[];
                        page_info: components["schemas"]["PageInfo"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    credits_balance: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        available: number;
                        balance: number;
                        currency: string;
                        held: number;
                        total_purchased: number;
                        total_used: number;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    credits_consume: {
        parameters: {
            query?: never;
            header?: {
                /** @description Fills idempotency_key: a retried request with the same key returns the first result */
                "Idempotency-Key"?: string;
            };
            path: {
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    amount: number;
                    idempotency_key?: string;
                    metadata?: {
                        [key: string]: components["schemas"]["credits.consume.input___schema0"];
                    };
                    reason: string;
                };
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        actor: {
                            id: string | null;
                            /** @enum {string} */
                            type: "user" | "apiKey" | "serviceAccount" | "system";
                        };
                        amount: number;
                        balance_after: number;
                        /** Format: date-time */
                        created_at: string;
                        id: string;
                        idempotency_key: string;
                        metadata: {
                            [key: string]: unknown;
                        };
                        organization_id: string;
                        reason: string | null;
                        reference: string | null;
                        refund_of: string | null;
                        reservation_id: string | null;
                        /** @enum {string} */
                        type: "purchase" | "grant" | "usage" | "refund" | "adjustment" | "expiry";
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    credits_grant: {
        parameters: {
            query?: never;
            header?: {
                /** @description Fills idempotency_key: a retried request with the same key returns the first result */
                "Idempotency-Key"?: string;
            };
            path: {
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    amount: number;
                    idempotency_key?: string;
                    reference?: string;
                    /** @enum {string} */
                    type: "purchase" | "grant" | "adjustment";
                };
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        actor: {
                            id: string | null;
                            /** @enum {string} */
                            type: "user" | "apiKey" | "serviceAccount" | "system";
                        };
                        amount: number;
                        balance_after: number;
                        /** Format: date-time */
                        created_at: string;
                        id: string;
                        idempotency_key: string;
                        metadata: {
                            [key: string]: unknown;
                        };
                        organization_id: string;
                        reason: string | null;
                        reference: string | null;
                        refund_of: string | null;
                        reservation_id: string | null;
                        /** @enum {string} */
                        type: "purchase" | "grant" | "usage" | "refund" | "adjustment" | "expiry";
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    credits_reserve: {
        parameters: {
            query?: never;
            header?: {
                /** @description Fills idempotency_key: a retried request with the same key returns the first result */
                "Idempotency-Key"?: string;
            };
            path: {
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    amount: number;
                    idempotency_key?: string;
                    ttl_seconds: number;
                };
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        amount: number;
                        captured_amount: number;
                        /** Format: date-time */
                        created_at: string;
                        /** Format: date-time */
                        expires_at: string;
                        organization_id: string;
                        reservation_id: string;
                        /** @enum {string} */
                        status: "active" | "captured" | "released" | "expired";
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    organizations_domains_list: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            checked_at: string | null;
                            /** Format: date-time */
                            created_at: string;
                            domain: string;
                            id: string;
                            organization_id: string;
                            /** @enum {string} */
                            status: "pending" | "verified" | "failed";
                            txt_name: string;
                            txt_value: string;
                            /** Format: date-time */
                            updated_at: string;
                            verified_at: string | null;
                        }[];
                        page_info: components["schemas"]["PageInfo"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    organizations_domains_add: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    domain: string;
                };
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        checked_at: string | null;
                        /** Format: date-time */
                        created_at: string;
                        domain: string;
                        id: string;
                        organization_id: string;
                        /** @enum {string} */
                        status: "pending" | "verified" | "failed";
                        txt_name: string;
                        txt_value: string;
                        /** Format: date-time */
                        updated_at: string;
                        verified_at: string | null;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    organizations_domains_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                domain_id: string;
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        deleted: true;
                        id: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    organizations_domains_verify: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                domain_id: string;
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        checked_at: string | null;
                        /** Format: date-time */
                        created_at: string;
                        domain: string;
                        id: string;
                        organization_id: string;
                        /** @enum {string} */
                        status: "pending" | "verified" | "failed";
                        txt_name: string;
                        txt_value: string;
                        /** Format: date-time */
                        updated_at: string;
                        verified_at: string | null;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    events_list: {
        parameters: {
            query?: {
                after?: number;
                limit?: number;
                "types[]"?: ("user.created" | "user.deactivated" | "organization.member_added" | "organization.member_removed" | "organization.member_role_changed" | "invitation.created" | "invitation.accepted" | "api_key.created" | "api_key.revoked" | "service_account.credential_created" | "sso.connection_changed" | "credits.low_balance" | "webhook.test")[];
            };
            header?: never;
            path: {
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        has_more: boolean;
                        items: ({
                            data: {
                                email: string;
                                user_id: string;
                            };
                            id: string;
                            /** Format: date-time */
                            occurred_at: string;
                            organization_id: string;
                            sequence: number;
                            /** @constant */
                            type: "user.created";
                        } | {
                            data: {
                                user_id: string;
                            };
                            id: string;
                            /** Format: date-time */
                            occurred_at: string;
                            organization_id: string;
                            sequence: number;
                            /** @constant */
                            type: "user.deactivated";
                        } | {
                            data: {
                                role: string;
                                user_id: string;
                            };
                            id: string;
                            /** Format: date-time */
                            occurred_at: string;
                            organization_id: string;
                            sequence: number;
                            /** @constant */
                            type: "organization.member_added";
                        } | {
                            data: {
                                role: string;
                                user_id: string;
                            };
                            id: string;
                            /** Format: date-time */
                            occurred_at: string;
                            organization_id: string;
                            sequence: number;
                            /** @constant */
                            type: "organization.member_removed";
                        } | {
                            data: {
                                from: string;
                                to: string;
                                user_id: string;
                            };
                            id: string;
                            /** Format: date-time */
                            occurred_at: string;
                            organization_id: string;
                            sequence: number;
                            /** @constant */
                            type: "organization.member_role_changed";
                        } | {
                            data: {
                                email: string;
                                invitation_id: string;
                                role: string;
                            };
                            id: string;
                            /** Format: date-time */
                            occurred_at: string;
                            organization_id: string;
                            sequence: number;
                            /** @constant */
                            type: "invitation.created";
                        } | {
                            data: {
                                invitation_id: string;
                                user_id: string;
                            };
                            id: string;
                            /** Format: date-time */
                            occurred_at: string;
                            organization_id: string;
                            sequence: number;
                            /** @constant */
                            type: "invitation.accepted";
                        } | {
                            data: {
                                api_key_id: string;
                                name: string;
                                user_id: string;
                            };
                            id: string;
                            /** Format: date-time */
                            occurred_at: string;
                            organization_id: string;
                            sequence: number;
                            /** @constant */
                            type: "api_key.created";
                        } | {
                            data: {
                                api_key_id: string;
                            };
                            id: string;
                            /** Format: date-time */
                            occurred_at: string;
                            organization_id: string;
                            sequence: number;
                            /** @constant */
                            type: "api_key.revoked";
                        } | {
                            data: {
                                credential_id: string;
                                service_account_id: string;
                            };
                            id: string;
                            /** Format: date-time */
                            occurred_at: string;
                            organization_id: string;
                            sequence: number;
                            /** @constant */
                            type: "service_account.credential_created";
                        } | {
                            data: {
                                connection_id: string;
                            };
                            id: string;
                            /** Format: date-time */
                            occurred_at: string;
                            organization_id: string;
                            sequence: number;
                            /** @constant */
                            type: "sso.connection_changed";
                        } | {
                            data: {
                                balance: number;
                                threshold: number;
                            };
                            id: string;
                            /** Format: date-time */
                            occurred_at: string;
                            organization_id: string;
                            sequence: number;
                            /** @constant */
                            type: "credits.low_balance";
                        } | {
                            data: {
                                webhook_id: string;
                            };
                            id: string;
                            /** Format: date-time */
                            occurred_at: string;
                            organization_id: string;
                            sequence: number;
                            /** @constant */
                            type: "webhook.test";
                        })[];
                        next_after: number;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    organizations_listIdentities: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            email?: string;
                            id: string;
                            name: string;
                            /** @enum {string} */
                            type: "user" | "serviceAccount";
                        }[];
                        page_info: components["schemas"]["PageInfo"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    organizations_listInvitations: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                status?: "pending" | "accepted" | "expired" | "cancelled";
            };
            header?: never;
            path: {
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            accepted_at: string | null;
                            /** Format: date-time */
                            created_at: string;
                            declined_at: string | null;
                            email: string;
                            /** Format: date-time */
                            expires_at: string;
                            id: string;
                            inviter: {
                                id: string;
                                name: string;
                            } | null;
                            organization_id: string;
                            role: string;
                            /** @enum {string} */
                            status: "pending" | "accepted" | "expired" | "cancelled";
                        }[];
                        page_info: components["schemas"]["PageInfo"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    organizations_invite: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: email */
                    email: string;
                    /** @description A role key, or a Keycard role name (org_admin, org_member, org_viewer) */
                    role?: string | ("org_admin" | "org_member" | "org_viewer");
                };
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        accepted_at: string | null;
                        /** Format: date-time */
                        created_at: string;
                        declined_at: string | null;
                        email: string;
                        /** Format: date-time */
                        expires_at: string;
                        id: string;
                        inviter: {
                            id: string;
                            name: string;
                        } | null;
                        organization_id: string;
                        role: string;
                        /** @enum {string} */
                        status: "pending" | "accepted" | "expired" | "cancelled";
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    organizations_cancelInvitation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                invitation_id: string;
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        accepted_at: string | null;
                        /** Format: date-time */
                        created_at: string;
                        declined_at: string | null;
                        email: string;
                        /** Format: date-time */
                        expires_at: string;
                        id: string;
                        inviter: {
                            id: string;
                            name: string;
                        } | null;
                        organization_id: string;
                        role: string;
                        /** @enum {string} */
                        status: "pending" | "accepted" | "expired" | "cancelled";
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    organizations_members: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                role?: string | ("org_admin" | "org_member" | "org_viewer");
                search?: string;
            };
            header?: never;
            path: {
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            email: string;
                            external: boolean;
                            is_owner: boolean;
                            /** Format: date-time */
                            joined_at: string;
                            mfa_enabled: boolean;
                            name: string;
                            role: string;
                            source: string;
                            /** @enum {string} */
                            status: "active" | "invited" | "deactivated" | "archived";
                            user_id: string;
                        }[];
                        page_info: components["schemas"]["PageInfo"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    organizations_addMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    /** Format: email */
                    email?: string;
                    /** @description A role key, or a Keycard role name (org_admin, org_member, org_viewer) */
                    role?: string | ("org_admin" | "org_member" | "org_viewer");
                    user_id?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        email: string;
                        external: boolean;
                        invitation_id: string | null;
                        is_owner: boolean;
                        /** Format: date-time */
                        joined_at: string;
                        mfa_enabled: boolean;
                        name: string;
                        role: string;
                        source: string;
                        /** @enum {string} */
                        status: "active" | "invited" | "deactivated" | "archived";
                        user_id: string | null;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    organizations_removeMember_2: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    organizations_updateMemberRole: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
                user_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description A role key, or a Keycard role name (org_admin, org_member, org_viewer) */
                    role: string | ("org_admin" | "org_member" | "org_viewer");
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        email: string;
                        external: boolean;
                        is_owner: boolean;
                        /** Format: date-time */
                        joined_at: string;
                        mfa_enabled: boolean;
                        name: string;
                        role: string;
                        source: string;
                        /** @enum {string} */
                        status: "active" | "invited" | "deactivated" | "archived";
                        user_id: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    organizations_transferOwnership: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    user_id: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        email: string;
                        external: boolean;
                        is_owner: boolean;
                        /** Format: date-time */
                        joined_at: string;
                        mfa_enabled: boolean;
                        name: string;
                        role: string;
                        source: string;
                        /** @enum {string} */
                        status: "active" | "invited" | "deactivated" | "archived";
                        user_id: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    permissions_explain: {
        parameters: {
            query: {
                permission: string;
                principal_id: string;
                resource_id?: string;
            };
            header?: never;
            path: {
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        allowed: boolean;
                        chain: {
                            project_id?: string;
                            role: string;
                            scope?: string;
                            team_id?: string;
                            /** @enum {string} */
                            via: "role" | "team" | "project";
                        }[];
                        /** @enum {string} */
                        missing?: "organization" | "role" | "scope";
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    users_preRegister: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    dry_run?: boolean;
                    emails: string[];
                    /** @description A role key, or a Keycard role name (org_admin, org_member, org_viewer) */
                    role?: string | ("org_admin" | "org_member" | "org_viewer");
                    send_invite_email?: boolean;
                    skip_if_user_exists?: boolean;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        counts: {
                            created: number;
                            domain_not_allowed: number;
                            exists: number;
                            invalid: number;
                            invited: number;
                            skipped: number;
                        };
                        dry_run: boolean;
                        results: {
                            accept_invite_url: string | null;
                            email: string;
                            normalized_email: string | null;
                            /** @enum {string} */
                            outcome: "created" | "exists" | "skipped" | "invalid" | "invited" | "domainNotAllowed";
                            user_id: string | null;
                        }[];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    projects_list: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** Format: date-time */
                            created_at: string;
                            description: string | null;
                            id: string;
                            name: string;
                            organization_id: string;
                            permissions?: {
                                [key: string]: {
                                    [key: string]: boolean;
                                };
                            };
                            /** Format: date-time */
                            updated_at: string;
                        }[];
                        page_info: components["schemas"]["PageInfo"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    projects_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    description?: string | null;
                    name: string;
                };
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        created_at: string;
                        description: string | null;
                        id: string;
                        name: string;
                        organization_id: string;
                        permissions?: {
                            [key: string]: {
                                [key: string]: boolean;
                            };
                        };
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    projects_retrieve: {
        parameters: {
            query?: {
                "expand[]"?: "permissions"[];
            };
            header?: never;
            path: {
                organization_id: string;
                project_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        created_at: string;
                        description: string | null;
                        id: string;
                        name: string;
                        organization_id: string;
                        permissions?: {
                            [key: string]: {
                                [key: string]: boolean;
                            };
                        };
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    projects_delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
                project_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        deleted: true;
                        id: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    projects_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
                project_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    description?: string | null;
                    name?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        created_at: string;
                        description: string | null;
                        id: string;
                        name: string;
                        organization_id: string;
                        permissions?: {
                            [key: string]: {
                                [key: string]: boolean;
                            };
                        };
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    projects_collaborators: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                organization_id: string;
                project_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** Format: date-time */
                            created_at: string;
                            email: string | null;
                            external: boolean;
                            id: string | null;
                            invitation_id: string | null;
                            name: string;
                            /** @enum {string} */
                            role: "project_admin" | "project_editor" | "project_viewer";
                            /** @enum {string} */
                            status: "active" | "invited";
                            /** @enum {string} */
                            type: "user" | "team";
                        }[];
                        page_info: components["schemas"]["PageInfo"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    projects_addCollaborator: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
                project_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: email */
                    email?: string;
                    /** @description A role key, or a Keycard role name (org_admin, org_member, org_viewer) */
                    role: ("project_admin" | "project_editor" | "project_viewer") | ("org_admin" | "org_member" | "org_viewer");
                    team_id?: string;
                    user_id?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        created_at: string;
                        email: string | null;
                        external: boolean;
                        id: string | null;
                        invitation_id: string | null;
                        name: string;
                        /** @enum {string} */
                        role: "project_admin" | "project_editor" | "project_viewer";
                        /** @enum {string} */
                        status: "active" | "invited";
                        /** @enum {string} */
                        type: "user" | "team";
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    projects_removeCollaborator: {
        parameters: {
            query?: {
                team_id?: string;
                user_id?: string;
            };
            header?: never;
            path: {
                organization_id: string;
                project_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    organizations_listRoles: {
        parameters: {
            query?: {
                scope?: "organization" | "project";
            };
            header?: never;
            path: {
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        built_in: boolean;
                        description: string | null;
                        id: string | null;
                        key: string;
                        member_count: number;
                        name: string;
                        permissions: string[];
                        /** @enum {string} */
                        scope: "organization" | "project";
                    }[];
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    roles_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    description?: string | null;
                    key: string;
                    name: string;
                    permissions: string[];
                };
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        built_in: false;
                        description: string | null;
                        id: string;
                        key: string;
                        member_count: number;
                        name: string;
                        permissions: string[];
                        /** @enum {string} */
                        scope: "organization" | "project";
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    roles_delete: {
        parameters: {
            query?: {
                reassign_to?: string | ("org_admin" | "org_member" | "org_viewer");
            };
            header?: never;
            path: {
                organization_id: string;
                role_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        deleted: true;
                        id: string;
                        reassigned_members: number;
                        reassigned_to: string | null;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    roles_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
                role_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    description?: string | null;
                    name?: string;
                    permissions?: string[];
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        built_in: false;
                        description: string | null;
                        id: string;
                        key: string;
                        member_count: number;
                        name: string;
                        permissions: string[];
                        /** @enum {string} */
                        scope: "organization" | "project";
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    serviceAccounts_list: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** Format: date-time */
                            created_at: string;
                            description: string | null;
                            id: string;
                            name: string;
                            organization_id: string;
                            permissions?: {
                                [key: string]: {
                                    [key: string]: boolean;
                                };
                            };
                            role: string;
                            /** Format: date-time */
                            updated_at: string;
                        }[];
                        page_info: components["schemas"]["PageInfo"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    serviceAccounts_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    description?: string | null;
                    name: string;
                    /** @description A role key, or a Keycard role name (org_admin, org_member, org_viewer) */
                    role?: string | ("org_admin" | "org_member" | "org_viewer");
                };
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        created_at: string;
                        description: string | null;
                        id: string;
                        name: string;
                        organization_id: string;
                        permissions?: {
                            [key: string]: {
                                [key: string]: boolean;
                            };
                        };
                        role: string;
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    serviceAccounts_retrieve: {
        parameters: {
            query?: {
                "expand[]"?: "permissions"[];
            };
            header?: never;
            path: {
                organization_id: string;
                service_account_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        created_at: string;
                        description: string | null;
                        id: string;
                        name: string;
                        organization_id: string;
                        permissions?: {
                            [key: string]: {
                                [key: string]: boolean;
                            };
                        };
                        role: string;
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    serviceAccounts_delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
                service_account_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    serviceAccounts_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
                service_account_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    description?: string | null;
                    name?: string;
                    /** @description A role key, or a Keycard role name (org_admin, org_member, org_viewer) */
                    role?: string | ("org_admin" | "org_member" | "org_viewer");
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        created_at: string;
                        description: string | null;
                        id: string;
                        name: string;
                        organization_id: string;
                        permissions?: {
                            [key: string]: {
                                [key: string]: boolean;
                            };
                        };
                        role: string;
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    serviceAccounts_credentials_list: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                organization_id: string;
                service_account_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            client_id: string;
                            /** Format: date-time */
                            created_at: string;
                            expires_at: string | null;
                            id: string;
                            last_used_at: string | null;
                            name: string;
                            /** Format: date-time */
                            updated_at: string;
                        }[];
                        page_info: components["schemas"]["PageInfo"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    serviceAccounts_credentials_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
                service_account_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    expires_in_days?: number;
                    name?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        client_id: string;
                        client_secret: string;
                        /** Format: date-time */
                        created_at: string;
                        expires_at: string | null;
                        id: string;
                        name: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    serviceAccounts_credentials_retrieve: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                credential_id: string;
                organization_id: string;
                service_account_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        client_id: string;
                        /** Format: date-time */
                        created_at: string;
                        expires_at: string | null;
                        id: string;
                        last_used_at: string | null;
                        name: string;
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    serviceAccounts_credentials_delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                credential_id: string;
                organization_id: string;
                service_account_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    serviceAccounts_credentials_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                credential_id: string;
                organization_id: string;
                service_account_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    expires_in_days?: number | null;
                    name?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        client_id: string;
                        /** Format: date-time */
                        created_at: string;
                        expires_at: string | null;
                        id: string;
                        last_used_at: string | null;
                        name: string;
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    sso_retrieve: {
        parameters: {
            query?: {
                "expand[]"?: "permissions"[];
            };
            header?: never;
            path: {
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        client_id: string;
                        client_secret_set: boolean;
                        /** Format: date-time */
                        created_at: string;
                        default_role: string;
                        id: string;
                        identifier: string;
                        permissions?: {
                            [key: string]: {
                                [key: string]: boolean;
                            };
                        };
                        /** @enum {string} */
                        protocol: "oidc" | "saml";
                        protocols: {
                            oauth2: {
                                authorization_endpoint: string;
                                code_challenge_methods_supported: string[] | null;
                                jwks_uri: string;
                                registration_endpoint: string | null;
                                scopes_supported: string[] | null;
                                token_endpoint: string;
                            };
                            openid: {
                                userinfo_endpoint: string | null;
                            };
                        };
                        sso_required: boolean;
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    sso_enable: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    client_id: string;
                    client_secret: string;
                    default_role?: string;
                    identifier: string;
                    /**
                     * @default oidc
                     * @enum {string}
                     */
                    protocol?: "oidc" | "saml";
                    saml_metadata_xml?: string;
                    /** @default false */
                    sso_required?: boolean;
                };
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        client_id: string;
                        client_secret_set: boolean;
                        /** Format: date-time */
                        created_at: string;
                        default_role: string;
                        id: string;
                        identifier: string;
                        permissions?: {
                            [key: string]: {
                                [key: string]: boolean;
                            };
                        };
                        /** @enum {string} */
                        protocol: "oidc" | "saml";
                        protocols: {
                            oauth2: {
                                authorization_endpoint: string;
                                code_challenge_methods_supported: string[] | null;
                                jwks_uri: string;
                                registration_endpoint: string | null;
                                scopes_supported: string[] | null;
                                token_endpoint: string;
                            };
                            openid: {
                                userinfo_endpoint: string | null;
                            };
                        };
                        sso_required: boolean;
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    sso_disable: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        deleted: true;
                        id: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    sso_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    client_id?: string;
                    client_secret?: string;
                    default_role?: string;
                    identifier?: string;
                    saml_metadata_xml?: string;
                    sso_required?: boolean;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        client_id: string;
                        client_secret_set: boolean;
                        /** Format: date-time */
                        created_at: string;
                        default_role: string;
                        id: string;
                        identifier: string;
                        permissions?: {
                            [key: string]: {
                                [key: string]: boolean;
                            };
                        };
                        /** @enum {string} */
                        protocol: "oidc" | "saml";
                        protocols: {
                            oauth2: {
                                authorization_endpoint: string;
                                code_challenge_methods_supported: string[] | null;
                                jwks_uri: string;
                                registration_endpoint: string | null;
                                scopes_supported: string[] | null;
                                token_endpoint: string;
                            };
                            openid: {
                                userinfo_endpoint: string | null;
                            };
                        };
                        sso_required: boolean;
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    sso_test: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        ok: boolean;
                        steps: {
                            detail: string;
                            ok: boolean;
                            /** @enum {string} */
                            step: "discovery" | "jwks" | "metadata";
                        }[];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    teams_list: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                search?: string;
            };
            header?: never;
            path: {
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** Format: date-time */
                            created_at: string;
                            description: string | null;
                            id: string;
                            is_everyone: boolean;
                            member_count: number;
                            name: string;
                            organization_id: string;
                            permissions?: {
                                [key: string]: {
                                    [key: string]: boolean;
                                };
                            };
                            roles: {
                                resource: {
                                    id: string;
                                    /** @enum {string} */
                                    type: "organization" | "project";
                                };
                                role: string;
                            }[];
                            /** Format: date-time */
                            updated_at: string;
                        }[];
                        page_info: components["schemas"]["PageInfo"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    teams_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    description?: string | null;
                    name: string;
                };
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        created_at: string;
                        description: string | null;
                        id: string;
                        is_everyone: boolean;
                        member_count: number;
                        name: string;
                        organization_id: string;
                        permissions?: {
                            [key: string]: {
                                [key: string]: boolean;
                            };
                        };
                        roles: {
                            resource: {
                                id: string;
                                /** @enum {string} */
                                type: "organization" | "project";
                            };
                            role: string;
                        }[];
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    teams_retrieve: {
        parameters: {
            query?: {
                "expand[]"?: "permissions"[];
            };
            header?: never;
            path: {
                organization_id: string;
                team_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        created_at: string;
                        description: string | null;
                        id: string;
                        is_everyone: boolean;
                        member_count: number;
                        name: string;
                        organization_id: string;
                        permissions?: {
                            [key: string]: {
                                [key: string]: boolean;
                            };
                        };
                        roles: {
                            resource: {
                                id: string;
                                /** @enum {string} */
                                type: "organization" | "project";
                            };
                            role: string;
                        }[];
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    teams_delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
                team_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        deleted: true;
                        id: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    teams_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
                team_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    description?: string | null;
                    name?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        created_at: string;
                        description: string | null;
                        id: string;
                        is_everyone: boolean;
                        member_count: number;
                        name: string;
                        organization_id: string;
                        permissions?: {
                            [key: string]: {
                                [key: string]: boolean;
                            };
                        };
                        roles: {
                            resource: {
                                id: string;
                                /** @enum {string} */
                                type: "organization" | "project";
                            };
                            role: string;
                        }[];
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    teams_members: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                organization_id: string;
                team_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            email: string;
                            /** Format: date-time */
                            joined_at: string;
                            name: string;
                            /** @enum {string} */
                            role: "maintainer" | "member";
                            user_id: string;
                        }[];
                        page_info: components["schemas"]["PageInfo"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    teams_addMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
                team_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description A role key, or a Keycard role name (org_admin, org_member, org_viewer) */
                    role?: ("maintainer" | "member") | ("org_admin" | "org_member" | "org_viewer");
                    user_id: string;
                };
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        email: string;
                        /** Format: date-time */
                        joined_at: string;
                        name: string;
                        /** @enum {string} */
                        role: "maintainer" | "member";
                        user_id: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    teams_removeMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
                team_id: string;
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    teams_grantRole: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
                team_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    project_id?: string;
                    /** @description A role key, or a Keycard role name (org_admin, org_member, org_viewer) */
                    role: (("project_admin" | "project_editor" | "project_viewer") | string) | ("org_admin" | "org_member" | "org_viewer");
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        created_at: string;
                        description: string | null;
                        id: string;
                        is_everyone: boolean;
                        member_count: number;
                        name: string;
                        organization_id: string;
                        permissions?: {
                            [key: string]: {
                                [key: string]: boolean;
                            };
                        };
                        roles: {
                            resource: {
                                id: string;
                                /** @enum {string} */
                                type: "organization" | "project";
                            };
                            role: string;
                        }[];
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    teams_revokeRole: {
        parameters: {
            query?: {
                project_id?: string;
            };
            header?: never;
            path: {
                organization_id: string;
                team_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        created_at: string;
                        description: string | null;
                        id: string;
                        is_everyone: boolean;
                        member_count: number;
                        name: string;
                        organization_id: string;
                        permissions?: {
                            [key: string]: {
                                [key: string]: boolean;
                            };
                        };
                        roles: {
                            resource: {
                                id: string;
                                /** @enum {string} */
                                type: "organization" | "project";
                            };
                            role: string;
                        }[];
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    organizations_exchangeToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    audience?: string;
                    client_id: string;
                    client_secret: string;
                    scope?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        access_token: string;
                        expires_in: number;
                        scope: string;
                        /** @constant */
                        token_type: "Bearer";
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    credits_transactions: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                since?: string;
                type?: "purchase" | "grant" | "usage" | "refund" | "adjustment" | "expiry";
                until?: string;
            };
            header?: never;
            path: {
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            actor: {
                                id: string | null;
                                /** @enum {string} */
                                type: "user" | "apiKey" | "serviceAccount" | "system";
                            };
                            amount: number;
                            balance_after: number;
                            /** Format: date-time */
                            created_at: string;
                            id: string;
                            idempotency_key: string;
                            metadata: {
                                [key: string]: unknown;
                            };
                            organization_id: string;
                            reason: string | null;
                            reference: string | null;
                            refund_of: string | null;
                            reservation_id: string | null;
                            /** @enum {string} */
                            type: "purchase" | "grant" | "usage" | "refund" | "adjustment" | "expiry";
                        }[];
                        page_info: components["schemas"]["PageInfo"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    users_list: {
        parameters: {
            query?: {
                active?: boolean;
                archived?: boolean;
                cursor?: string;
                limit?: number;
                search?: string;
            };
            header?: never;
            path: {
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            avatar_url: string | null;
                            /** Format: date-time */
                            created_at: string;
                            email: string;
                            email_verified: boolean;
                            emails: string[];
                            id: string;
                            last_login_at: string | null;
                            managed_by: string | null;
                            name: string;
                            organization: {
                                id: string;
                                name: string;
                            } | null;
                            organization_id: string | null;
                            /** @enum {string} */
                            platform_role: "user" | "admin";
                            profile: {
                                timezone?: string;
                                title?: string;
                            };
                            role: string | null;
                            roles: string[];
                            /** @enum {string} */
                            status: "active" | "invited" | "deactivated" | "archived";
                            /** Format: date-time */
                            updated_at: string;
                            username: string | null;
                        }[];
                        page_info: components["schemas"]["PageInfo"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    users_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** Format: email */
                    email: string;
                    name: string;
                    password?: string;
                    /** @description A role key, or a Keycard role name (org_admin, org_member, org_viewer) */
                    role?: string | ("org_admin" | "org_member" | "org_viewer");
                    send_invite_email?: boolean;
                };
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        avatar_url: string | null;
                        /** Format: date-time */
                        created_at: string;
                        email: string;
                        email_verified: boolean;
                        emails: string[];
                        generated_password?: string;
                        id: string;
                        last_login_at: string | null;
                        managed_by: string | null;
                        name: string;
                        organization: {
                            id: string;
                            name: string;
                        } | null;
                        organization_id: string | null;
                        /** @enum {string} */
                        platform_role: "user" | "admin";
                        profile: {
                            timezone?: string;
                            title?: string;
                        };
                        role: string | null;
                        roles: string[];
                        /** @enum {string} */
                        status: "active" | "invited" | "deactivated" | "archived";
                        /** Format: date-time */
                        updated_at: string;
                        username: string | null;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    users_retrieve: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        avatar_url: string | null;
                        /** Format: date-time */
                        created_at: string;
                        email: string;
                        email_verified: boolean;
                        emails: string[];
                        id: string;
                        last_login_at: string | null;
                        managed_by: string | null;
                        name: string;
                        organization: {
                            id: string;
                            name: string;
                        } | null;
                        organization_id: string | null;
                        /** @enum {string} */
                        platform_role: "user" | "admin";
                        profile: {
                            timezone?: string;
                            title?: string;
                        };
                        role: string | null;
                        roles: string[];
                        /** @enum {string} */
                        status: "active" | "invited" | "deactivated" | "archived";
                        /** Format: date-time */
                        updated_at: string;
                        username: string | null;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    organizations_removeMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    users_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    name?: string;
                    /** @description A role key, or a Keycard role name (org_admin, org_member, org_viewer) */
                    role?: string | ("org_admin" | "org_member" | "org_viewer");
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        avatar_url: string | null;
                        /** Format: date-time */
                        created_at: string;
                        email: string;
                        email_verified: boolean;
                        emails: string[];
                        id: string;
                        last_login_at: string | null;
                        managed_by: string | null;
                        name: string;
                        organization: {
                            id: string;
                            name: string;
                        } | null;
                        organization_id: string | null;
                        /** @enum {string} */
                        platform_role: "user" | "admin";
                        profile: {
                            timezone?: string;
                            title?: string;
                        };
                        role: string | null;
                        roles: string[];
                        /** @enum {string} */
                        status: "active" | "invited" | "deactivated" | "archived";
                        /** Format: date-time */
                        updated_at: string;
                        username: string | null;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    users_delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    users_activate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    /** Format: email */
                    email?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        avatar_url: string | null;
                        /** Format: date-time */
                        created_at: string;
                        email: string;
                        email_verified: boolean;
                        emails: string[];
                        id: string;
                        last_login_at: string | null;
                        managed_by: string | null;
                        name: string;
                        organization: {
                            id: string;
                            name: string;
                        } | null;
                        organization_id: string | null;
                        /** @enum {string} */
                        platform_role: "user" | "admin";
                        profile: {
                            timezone?: string;
                            title?: string;
                        };
                        role: string | null;
                        roles: string[];
                        /** @enum {string} */
                        status: "active" | "invited" | "deactivated" | "archived";
                        /** Format: date-time */
                        updated_at: string;
                        username: string | null;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    users_archive: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        avatar_url: string | null;
                        /** Format: date-time */
                        created_at: string;
                        email: string;
                        email_verified: boolean;
                        emails: string[];
                        id: string;
                        last_login_at: string | null;
                        managed_by: string | null;
                        name: string;
                        organization: {
                            id: string;
                            name: string;
                        } | null;
                        organization_id: string | null;
                        /** @enum {string} */
                        platform_role: "user" | "admin";
                        profile: {
                            timezone?: string;
                            title?: string;
                        };
                        role: string | null;
                        roles: string[];
                        /** @enum {string} */
                        status: "active" | "invited" | "deactivated" | "archived";
                        /** Format: date-time */
                        updated_at: string;
                        username: string | null;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    users_deactivate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    /** Format: email */
                    email?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        avatar_url: string | null;
                        /** Format: date-time */
                        created_at: string;
                        email: string;
                        email_verified: boolean;
                        emails: string[];
                        id: string;
                        last_login_at: string | null;
                        managed_by: string | null;
                        name: string;
                        organization: {
                            id: string;
                            name: string;
                        } | null;
                        organization_id: string | null;
                        /** @enum {string} */
                        platform_role: "user" | "admin";
                        profile: {
                            timezone?: string;
                            title?: string;
                        };
                        role: string | null;
                        roles: string[];
                        /** @enum {string} */
                        status: "active" | "invited" | "deactivated" | "archived";
                        /** Format: date-time */
                        updated_at: string;
                        username: string | null;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    users_resetMfa: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    users_resetPassword: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    users_getPermissions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            permission: string;
                            project_id?: string;
                            resource: {
                                id: string;
                                /** @enum {string} */
                                type: "organization" | "project";
                            };
                            role: string;
                            team_id?: string;
                            /** @enum {string} */
                            via: "role" | "team" | "project";
                        }[];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    users_getResources: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            resource: {
                                id: string;
                                name: string;
                                /** @enum {string} */
                                type: "organization" | "project";
                            };
                            role: string;
                        }[];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    users_getTeams: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** @enum {string} */
                            role: "maintainer" | "member";
                            team: {
                                id: string;
                                name: string;
                            };
                        }[];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    users_activate_2: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    /** Format: email */
                    email?: string;
                    user_id?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        avatar_url: string | null;
                        /** Format: date-time */
                        created_at: string;
                        email: string;
                        email_verified: boolean;
                        emails: string[];
                        id: string;
                        last_login_at: string | null;
                        managed_by: string | null;
                        name: string;
                        organization: {
                            id: string;
                            name: string;
                        } | null;
                        organization_id: string | null;
                        /** @enum {string} */
                        platform_role: "user" | "admin";
                        profile: {
                            timezone?: string;
                            title?: string;
                        };
                        role: string | null;
                        roles: string[];
                        /** @enum {string} */
                        status: "active" | "invited" | "deactivated" | "archived";
                        /** Format: date-time */
                        updated_at: string;
                        username: string | null;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    users_deactivate_2: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    /** Format: email */
                    email?: string;
                    user_id?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        avatar_url: string | null;
                        /** Format: date-time */
                        created_at: string;
                        email: string;
                        email_verified: boolean;
                        emails: string[];
                        id: string;
                        last_login_at: string | null;
                        managed_by: string | null;
                        name: string;
                        organization: {
                            id: string;
                            name: string;
                        } | null;
                        organization_id: string | null;
                        /** @enum {string} */
                        platform_role: "user" | "admin";
                        profile: {
                            timezone?: string;
                            title?: string;
                        };
                        role: string | null;
                        roles: string[];
                        /** @enum {string} */
                        status: "active" | "invited" | "deactivated" | "archived";
                        /** Format: date-time */
                        updated_at: string;
                        username: string | null;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    webhooks_redeliver: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                delivery_id: string;
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        attempts: number;
                        /** Format: date-time */
                        created_at: string;
                        delivered_at: string | null;
                        event_id: string;
                        /** @enum {string} */
                        event_type: "user.created" | "user.deactivated" | "organization.member_added" | "organization.member_removed" | "organization.member_role_changed" | "invitation.created" | "invitation.accepted" | "api_key.created" | "api_key.revoked" | "service_account.credential_created" | "sso.connection_changed" | "credits.low_balance" | "webhook.test";
                        id: string;
                        last_error: string | null;
                        latency_ms: number | null;
                        response_status: number | null;
                        /** @enum {string} */
                        status: "pending" | "succeeded" | "failed";
                        /** Format: date-time */
                        updated_at: string;
                        webhook_id: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    webhooks_list: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** Format: date-time */
                            created_at: string;
                            description: string | null;
                            enabled: boolean;
                            events: ("user.created" | "user.deactivated" | "organization.member_added" | "organization.member_removed" | "organization.member_role_changed" | "invitation.created" | "invitation.accepted" | "api_key.created" | "api_key.revoked" | "service_account.credential_created" | "sso.connection_changed" | "credits.low_balance" | "webhook.test")[];
                            id: string;
                            organization_id: string;
                            /** @enum {string} */
                            signing: "hmac" | "ed25519";
                            /** Format: date-time */
                            updated_at: string;
                            url: string;
                        }[];
                        page_info: components["schemas"]["PageInfo"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    webhooks_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    description?: string | null;
                    events: ("user.created" | "user.deactivated" | "organization.member_added" | "organization.member_removed" | "organization.member_role_changed" | "invitation.created" | "invitation.accepted" | "api_key.created" | "api_key.revoked" | "service_account.credential_created" | "sso.connection_changed" | "credits.low_balance")[];
                    /** @enum {string} */
                    signing?: "hmac" | "ed25519";
                    /** Format: uri */
                    url: string;
                };
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        created_at: string;
                        description: string | null;
                        enabled: boolean;
                        events: ("user.created" | "user.deactivated" | "organization.member_added" | "organization.member_removed" | "organization.member_role_changed" | "invitation.created" | "invitation.accepted" | "api_key.created" | "api_key.revoked" | "service_account.credential_created" | "sso.connection_changed" | "credits.low_balance" | "webhook.test")[];
                        id: string;
                        organization_id: string;
                        secret: string;
                        /** @enum {string} */
                        signing: "hmac" | "ed25519";
                        /** Format: date-time */
                        updated_at: string;
                        url: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    webhooks_retrieve: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        created_at: string;
                        description: string | null;
                        enabled: boolean;
                        events: ("user.created" | "user.deactivated" | "organization.member_added" | "organization.member_removed" | "organization.member_role_changed" | "invitation.created" | "invitation.accepted" | "api_key.created" | "api_key.revoked" | "service_account.credential_created" | "sso.connection_changed" | "credits.low_balance" | "webhook.test")[];
                        id: string;
                        organization_id: string;
                        /** @enum {string} */
                        signing: "hmac" | "ed25519";
                        /** Format: date-time */
                        updated_at: string;
                        url: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    webhooks_delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        deleted: true;
                        id: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    webhooks_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    description?: string | null;
                    enabled?: boolean;
                    events?: ("user.created" | "user.deactivated" | "organization.member_added" | "organization.member_removed" | "organization.member_role_changed" | "invitation.created" | "invitation.accepted" | "api_key.created" | "api_key.revoked" | "service_account.credential_created" | "sso.connection_changed" | "credits.low_balance")[];
                    /** @enum {string} */
                    signing?: "hmac" | "ed25519";
                    /** Format: uri */
                    url?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        created_at: string;
                        description: string | null;
                        enabled: boolean;
                        events: ("user.created" | "user.deactivated" | "organization.member_added" | "organization.member_removed" | "organization.member_role_changed" | "invitation.created" | "invitation.accepted" | "api_key.created" | "api_key.revoked" | "service_account.credential_created" | "sso.connection_changed" | "credits.low_balance" | "webhook.test")[];
                        id: string;
                        organization_id: string;
                        /** @enum {string} */
                        signing: "hmac" | "ed25519";
                        /** Format: date-time */
                        updated_at: string;
                        url: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    webhooks_deliveries: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                status?: "pending" | "succeeded" | "failed";
            };
            header?: never;
            path: {
                organization_id: string;
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            attempts: number;
                            /** Format: date-time */
                            created_at: string;
                            delivered_at: string | null;
                            event_id: string;
                            /** @enum {string} */
                            event_type: "user.created" | "user.deactivated" | "organization.member_added" | "organization.member_removed" | "organization.member_role_changed" | "invitation.created" | "invitation.accepted" | "api_key.created" | "api_key.revoked" | "service_account.credential_created" | "sso.connection_changed" | "credits.low_balance" | "webhook.test";
                            id: string;
                            last_error: string | null;
                            latency_ms: number | null;
                            response_status: number | null;
                            /** @enum {string} */
                            status: "pending" | "succeeded" | "failed";
                            /** Format: date-time */
                            updated_at: string;
                            webhook_id: string;
                        }[];
                        page_info: components["schemas"]["PageInfo"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    webhooks_rotateSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        id: string;
                        /** Format: date-time */
                        previous_secret_expires_at: string;
                        secret: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    webhooks_test: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
                webhook_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        attempts: number;
                        /** Format: date-time */
                        created_at: string;
                        delivered_at: string | null;
                        event_id: string;
                        /** @enum {string} */
                        event_type: "user.created" | "user.deactivated" | "organization.member_added" | "organization.member_removed" | "organization.member_role_changed" | "invitation.created" | "invitation.accepted" | "api_key.created" | "api_key.revoked" | "service_account.credential_created" | "sso.connection_changed" | "credits.low_balance" | "webhook.test";
                        id: string;
                        last_error: string | null;
                        latency_ms: number | null;
                        response_status: number | null;
                        /** @enum {string} */
                        status: "pending" | "succeeded" | "failed";
                        /** Format: date-time */
                        updated_at: string;
                        webhook_id: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    permissions_catalogue: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        permissions: {
                            built_in: boolean;
                            description: string | null;
                            granted_to: ("owner" | "admin" | "member" | "viewer")[];
                            key: string;
                        }[];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    platform_createKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    expires_in_days?: number;
                    metadata?: {
                        [key: string]: components["schemas"]["platform.createKey.input___schema0"];
                    };
                    name: string;
                    scopes: ("credits:grant" | "credits:refund" | "platform:organizations:read" | "platform:organizations:write" | "platform:users:read" | "platform:users:write" | "platform:signingKeys:write" | "platform:permissions:read" | "platform:permissions:write" | "platform:apiKeys:verify")[];
                };
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        expires_at: string | null;
                        id: string;
                        key: string;
                        key_prefix: string;
                        name: string;
                        rate_limit: {
                            limit: number;
                            window_seconds: number;
                        } | null;
                        remaining: number | null;
                        scopes: string[] | null;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    platform_organizations_list: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                search?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** Format: date-time */
                            created_at: string;
                            credits: number;
                            description: string | null;
                            id: string;
                            label: string;
                            member_count: number;
                            name: string;
                            namespace: string;
                            owner_id: string | null;
                            permissions?: {
                                [key: string]: {
                                    [key: string]: boolean;
                                };
                            };
                            plan: string;
                            settings: {
                                allowed_email_domains: string[];
                                default_role: string;
                                default_workspace_image: string | null;
                                enforce_mfa: boolean;
                                invitation_ttl_days: number;
                                low_balance_threshold: number | null;
                                sso_required: boolean;
                            };
                            sso_enabled: boolean;
                            /** @enum {string} */
                            status: "active" | "suspended";
                            /** @enum {string} */
                            subscription_status: "none" | "active" | "canceled";
                            suspended_reason: string | null;
                            /** Format: date-time */
                            updated_at: string;
                        }[];
                        page_info: components["schemas"]["PageInfo"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    platform_organizations_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    plan?: string;
                    /** @enum {string} */
                    subscription_status?: "none" | "active" | "canceled";
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        created_at: string;
                        credits: number;
                        description: string | null;
                        id: string;
                        label: string;
                        member_count: number;
                        name: string;
                        namespace: string;
                        owner_id: string | null;
                        permissions?: {
                            [key: string]: {
                                [key: string]: boolean;
                            };
                        };
                        plan: string;
                        settings: {
                            allowed_email_domains: string[];
                            default_role: string;
                            default_workspace_image: string | null;
                            enforce_mfa: boolean;
                            invitation_ttl_days: number;
                            low_balance_threshold: number | null;
                            sso_required: boolean;
                        };
                        sso_enabled: boolean;
                        /** @enum {string} */
                        status: "active" | "suspended";
                        /** @enum {string} */
                        subscription_status: "none" | "active" | "canceled";
                        suspended_reason: string | null;
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    platform_organizations_suspend: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    reason: string;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        created_at: string;
                        credits: number;
                        description: string | null;
                        id: string;
                        label: string;
                        member_count: number;
                        name: string;
                        namespace: string;
                        owner_id: string | null;
                        permissions?: {
                            [key: string]: {
                                [key: string]: boolean;
                            };
                        };
                        plan: string;
                        settings: {
                            allowed_email_domains: string[];
                            default_role: string;
                            default_workspace_image: string | null;
                            enforce_mfa: boolean;
                            invitation_ttl_days: number;
                            low_balance_threshold: number | null;
                            sso_required: boolean;
                        };
                        sso_enabled: boolean;
                        /** @enum {string} */
                        status: "active" | "suspended";
                        /** @enum {string} */
                        subscription_status: "none" | "active" | "canceled";
                        suspended_reason: string | null;
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    platform_organizations_unsuspend: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        created_at: string;
                        credits: number;
                        description: string | null;
                        id: string;
                        label: string;
                        member_count: number;
                        name: string;
                        namespace: string;
                        owner_id: string | null;
                        permissions?: {
                            [key: string]: {
                                [key: string]: boolean;
                            };
                        };
                        plan: string;
                        settings: {
                            allowed_email_domains: string[];
                            default_role: string;
                            default_workspace_image: string | null;
                            enforce_mfa: boolean;
                            invitation_ttl_days: number;
                            low_balance_threshold: number | null;
                            sso_required: boolean;
                        };
                        sso_enabled: boolean;
                        /** @enum {string} */
                        status: "active" | "suspended";
                        /** @enum {string} */
                        subscription_status: "none" | "active" | "canceled";
                        suspended_reason: string | null;
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    platform_permissions_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** @constant */
                            built_in: false;
                            /** Format: date-time */
                            created_at: string;
                            description: string | null;
                            granted_to: ("owner" | "admin" | "member" | "viewer")[];
                            held_by: {
                                keys: number;
                                roles: number;
                            };
                            key: string;
                            /** Format: date-time */
                            updated_at: string;
                        }[];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    platform_permissions_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    description?: string;
                    granted_to?: ("member" | "viewer")[];
                    key: string;
                };
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        built_in: false;
                        /** Format: date-time */
                        created_at: string;
                        description: string | null;
                        granted_to: ("owner" | "admin" | "member" | "viewer")[];
                        held_by: {
                            keys: number;
                            roles: number;
                        };
                        key: string;
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    platform_permissions_delete: {
        parameters: {
            query?: {
                force?: boolean;
            };
            header?: never;
            path: {
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    platform_permissions_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    description?: string | null;
                    granted_to?: ("member" | "viewer")[];
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        built_in: false;
                        /** Format: date-time */
                        created_at: string;
                        description: string | null;
                        granted_to: ("owner" | "admin" | "member" | "viewer")[];
                        held_by: {
                            keys: number;
                            roles: number;
                        };
                        key: string;
                        /** Format: date-time */
                        updated_at: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    platform_rotateSigningKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        kid: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    platform_users_list: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                search?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            /** Format: date-time */
                            created_at: string;
                            email: string;
                            email_verified: boolean;
                            id: string;
                            last_login_at: string | null;
                            managed_by: string | null;
                            name: string;
                            organization_id: string | null;
                            /** @enum {string} */
                            platform_role: "user" | "admin";
                            /** @enum {string} */
                            status: "active" | "invited" | "deactivated" | "archived";
                        }[];
                        page_info: components["schemas"]["PageInfo"];
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    platform_users_retrieve: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        created_at: string;
                        email: string;
                        email_verified: boolean;
                        id: string;
                        last_login_at: string | null;
                        managed_by: string | null;
                        name: string;
                        organization_id: string | null;
                        /** @enum {string} */
                        platform_role: "user" | "admin";
                        /** @enum {string} */
                        status: "active" | "invited" | "deactivated" | "archived";
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    platform_users_activate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        created_at: string;
                        email: string;
                        email_verified: boolean;
                        id: string;
                        last_login_at: string | null;
                        managed_by: string | null;
                        name: string;
                        organization_id: string | null;
                        /** @enum {string} */
                        platform_role: "user" | "admin";
                        /** @enum {string} */
                        status: "active" | "invited" | "deactivated" | "archived";
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    platform_users_deactivate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        created_at: string;
                        email: string;
                        email_verified: boolean;
                        id: string;
                        last_login_at: string | null;
                        managed_by: string | null;
                        name: string;
                        organization_id: string | null;
                        /** @enum {string} */
                        platform_role: "user" | "admin";
                        /** @enum {string} */
                        status: "active" | "invited" | "deactivated" | "archived";
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    credits_capture: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                reservation_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    amount: number;
                };
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        actor: {
                            id: string | null;
                            /** @enum {string} */
                            type: "user" | "apiKey" | "serviceAccount" | "system";
                        };
                        amount: number;
                        balance_after: number;
                        /** Format: date-time */
                        created_at: string;
                        id: string;
                        idempotency_key: string;
                        metadata: {
                            [key: string]: unknown;
                        };
                        organization_id: string;
                        reason: string | null;
                        reference: string | null;
                        refund_of: string | null;
                        reservation_id: string | null;
                        /** @enum {string} */
                        type: "purchase" | "grant" | "usage" | "refund" | "adjustment" | "expiry";
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    credits_release: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                reservation_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        amount: number;
                        captured_amount: number;
                        /** Format: date-time */
                        created_at: string;
                        /** Format: date-time */
                        expires_at: string;
                        organization_id: string;
                        reservation_id: string;
                        /** @enum {string} */
                        status: "active" | "captured" | "released" | "expired";
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    credits_refund: {
        parameters: {
            query?: never;
            header?: {
                /** @description Fills idempotency_key: a retried request with the same key returns the first result */
                "Idempotency-Key"?: string;
            };
            path: {
                transaction_id: string;
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": {
                    idempotency_key?: string;
                };
            };
        };
        responses: {
            /** @description OK */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        actor: {
                            id: string | null;
                            /** @enum {string} */
                            type: "user" | "apiKey" | "serviceAccount" | "system";
                        };
                        amount: number;
                        balance_after: number;
                        /** Format: date-time */
                        created_at: string;
                        id: string;
                        idempotency_key: string;
                        metadata: {
                            [key: string]: unknown;
                        };
                        organization_id: string;
                        reason: string | null;
                        reference: string | null;
                        refund_of: string | null;
                        reservation_id: string | null;
                        /** @enum {string} */
                        type: "purchase" | "grant" | "usage" | "refund" | "adjustment" | "expiry";
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
    auth_whoami: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        api_key?: {
                            id: string;
                            key_prefix: string;
                            scopes: string[] | null;
                        };
                        csrf_token?: string;
                        email: string;
                        name: string;
                        organization: {
                            id: string;
                            name: string;
                        } | null;
                        platform: boolean;
                        /** @enum {string} */
                        principal: "user" | "serviceAccount";
                        roles: string[];
                        service_account?: {
                            client_id: string;
                            id: string;
                            scopes: string[];
                        };
                        user_id: string;
                    };
                };
            };
            400: components["responses"]["Problem400"];
            401: components["responses"]["Problem401"];
            403: components["responses"]["Problem403"];
            404: components["responses"]["Problem404"];
            409: components["responses"]["Problem409"];
            412: components["responses"]["Problem412"];
            429: components["responses"]["Problem429"];
        };
    };
}
