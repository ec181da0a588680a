// SSO over SAML (issue 28): SP-initiated, against samlify as the test IdP (the rig is ./saml-idp.ts). The
// test plays the browser, reading the AuthnRequest and posting the IdP's signed response.
import { callerFor, loopbackOnly, ownerWithKey, refusalOf, tokenOf, useTestRuntime } from '@gatehouse/api/testing';
import { describe, expect, it } from 'vitest';
import { bearer } from './hostile/http.js';
import { APP, IDP_ENTITY, samlRig } from './saml-idp.js';

const violations = loopbackOnly();
const env = useTestRuntime({ allowedRedirectOrigins: [APP] });
const { rig, orm, organization, samlResponse, post, accountsOf } = samlRig(env);

describe('SSO over SAML', () => {
  it('publishes the service provider metadata: entity ID its own URL, the ACS POST /sso/callback', async () => {
    const org = await organization();
    const response = await rig.app.request(`/sso/${org.label}/saml/metadata`);
    expect(response.status).toBe(200);
    const xml = await response.text();
    expect(xml).toContain(`entityID="http://gatehouse.test/sso/${org.label}/saml/metadata"`);
    expect(xml).toContain('Location="http://gatehouse.test/sso/callback"');
    expect(xml).toContain('WantAssertionsSigned="true"');
    expect((await rig.app.request('/sso/no-such-org/saml/metadata')).status).toBe(404);
    expect(org.connection).toMatchObject({ protocol: 'saml', identifier: IDP_ENTITY });
  });

  it('a signed assertion for an email on a verified domain signs in just in time', async () => {
    const org = await organization();
    const email = `sam@${org.verified}`;
    const { redirect, detail } = await post(await samlResponse(org.label, email));
    expect(redirect?.origin, detail).toBe(APP);
    const code = redirect?.searchParams.get('code') as string;
    const session = tokenOf(await callerFor(env.runtime, {}).auth.exchangeSsoCode({ code }));
    const me = await callerFor(env.runtime, bearer(session.sessionToken)).auth.whoami();
    expect(me).toMatchObject({ email, organization: { id: org.organizationId }, roles: ['viewer'] });
    const identities = await orm()
      .em.fork()
      .execute('select issuer, subject from sso_identities where user_id = ?', [me.userId]);
    expect(identities).toEqual([{ issuer: IDP_ENTITY, subject: email }]);
  });

  it('refuses a tampered, a foreign-signed or a replayed response, and an email off the verified domains', async () => {
    const org = await organization();
    const form = await samlResponse(org.label, `tom@${org.verified}`);
    const xml = Buffer.from(form.SAMLResponse, 'base64').toString();
    // Posted from a browser that did not start the sign-in: refused, and nothing spent.
    expect((await post({ ...form, cookie: '' })).refusal).toBe('BAD_REQUEST:BAD_REQUEST');
    const tampered = Buffer.from(xml.replaceAll(`tom@${org.verified}`, `mallory@${org.verified}`)).toString('base64');
    expect((await post({ ...form, SAMLResponse: tampered })).refusal).toBe('BAD_REQUEST:BAD_REQUEST');
    expect(await accountsOf(`mallory@${org.verified}`)).toEqual([]);
    // The sign-in was spent by the refused attempt: the genuine response cannot follow it.
    expect((await post(form)).refusal).toBe('BAD_REQUEST:BAD_REQUEST');

    const foreign = await post(await samlResponse(org.label, `una@${org.verified}`, rig.impostor));
    expect(foreign.refusal).toBe('BAD_REQUEST:BAD_REQUEST');
    expect(await accountsOf(`una@${org.verified}`)).toEqual([]);

    const elsewhere = await post(await samlResponse(org.label, 'vic@elsewhere.example.com'));
    expect(elsewhere.refusal).toBe('FORBIDDEN:SSO_EMAIL_NOT_ALLOWED');
    expect(await accountsOf('vic@elsewhere.example.com')).toEqual([]);

    // A response answering another sign-in's AuthnRequest (InResponseTo) is refused too.
    const first = await samlResponse(org.label, `wes@${org.verified}`);
    const second = await samlResponse(org.label, `wes@${org.verified}`);
    expect((await post({ ...second, SAMLResponse: first.SAMLResponse })).refusal).toBe('BAD_REQUEST:BAD_REQUEST');
  });

  it('enable refuses metadata of another entity, without a signing certificate, or not XML', async () => {
    const owner = await ownerWithKey(orm());
    const c = callerFor(env.runtime, bearer(owner.key));
    const base = {
      organizationId: owner.organizationId,
      clientId: 'x',
      clientSecret: 'y',
      protocol: 'saml' as const,
    };
    const metadata = rig.idp.getMetadata();
    const wrong = await c.sso
      .enable({ ...base, identifier: 'https://other.example.test/saml', samlMetadataXml: metadata })
      .catch((e: Error) => e);
    expect((wrong as Error).message).toContain('not the identifier https://other.example.test/saml');
    const noCert = metadata.replace(/<(\w+:)?KeyDescriptor[\s\S]*?<\/(\w+:)?KeyDescriptor>/g, '');
    expect(await refusalOf(c.sso.enable({ ...base, identifier: IDP_ENTITY, samlMetadataXml: noCert }))).toBe(
      'BAD_REQUEST:BAD_REQUEST',
    );
    expect(await refusalOf(c.sso.enable({ ...base, identifier: IDP_ENTITY, samlMetadataXml: '<not xml' }))).toBe(
      'BAD_REQUEST:BAD_REQUEST',
    );
    expect(await refusalOf(c.sso.enable({ ...base, identifier: IDP_ENTITY }))).toBe('BAD_REQUEST:BAD_REQUEST');
    const tested = await (async () => {
      await c.sso.enable({ ...base, identifier: IDP_ENTITY, samlMetadataXml: metadata });
      return c.sso.test({ organizationId: owner.organizationId });
    })();
    expect(tested).toEqual({ ok: true, steps: [{ step: 'metadata', ok: true, detail: expect.any(String) }] });
  });

  it('no packet left loopback', () => {
    expect(violations).toEqual([]);
  });
});
