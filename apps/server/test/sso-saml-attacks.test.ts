// The SAML attack corpus (issue 28): every response here is made by mutating a response the test IdP
// (./saml-idp.ts) properly signed, or by having the IdP sign one meant for someone else or at the wrong
// time, and posted to POST /sso/callback with the RelayState and cookie of a sign-in this browser started.
// Each one is refused with the exact answer the callback gives, and the database shows nothing created:
// no user, no SSO identity, no membership, no one-time code.
import { loopbackOnly, useTestRuntime } from '@gatehouse/api/testing';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';
import * as samlify from 'samlify';
import { describe, expect, it } from 'vitest';
import { APP, type SamlForm, samlRig } from './saml-idp.js';

const violations = loopbackOnly();
const env = useTestRuntime({ allowedRedirectOrigins: [APP] });
const { rig, orm, organization, samlResponse, post, accountsOf } = samlRig(env);

const SAMLP = 'urn:oasis:names:tc:SAML:2.0:protocol';
const SAML = 'urn:oasis:names:tc:SAML:2.0:assertion';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const REFUSED = 'BAD_REQUEST:BAD_REQUEST';

type Doc = ReturnType<DOMParser['parseFromString']>;
type El = NonNullable<Doc['documentElement']>;

/** Parses the posted response, lets `change` mutate it, and posts the re-serialized result in its place. */
function mutated(form: SamlForm, change: (doc: Doc, parts: { response: El; signed: El }) => void): SamlForm {
  const doc = new DOMParser().parseFromString(Buffer.from(form.SAMLResponse, 'base64').toString(), 'text/xml');
  const response = doc.documentElement as El;
  const signed = doc.getElementsByTagNameNS(SAML, 'Assertion')[0] as El;
  change(doc, { response, signed });
  return { ...form, SAMLResponse: Buffer.from(new XMLSerializer().serializeToString(doc)).toString('base64') };
}

const children = (parent: El, ns: string, name: string) =>
  Array.from(parent.childNodes).filter((n) => n.namespaceURI === ns && n.localName === name) as El[];

/** A copy of the signed assertion naming `email` instead: its own ID unless told, no signature unless told. */
function evilCopy(signed: El, email: string, { id = '_evil', keepSignature = false } = {}): El {
  const evil = signed.cloneNode(true) as El;
  evil.setAttribute('ID', id);
  if (!keepSignature) for (const s of children(evil, DS, 'Signature')) evil.removeChild(s);
  const nameId = evil.getElementsByTagNameNS(SAML, 'NameID')[0] as El;
  nameId.textContent = email;
  return evil;
}

/** What a sign-in creates, counted across the file's database. */
async function footprint() {
  const [row] = await orm()
    .em.fork()
    .execute(
      `select (select count(*) from users)::int as users, (select count(*) from sso_identities)::int as identities,
              (select count(*) from memberships)::int as memberships, (select count(*) from sso_codes)::int as codes`,
    );
  return row;
}

/** Posts `form`, expects exactly `refusal` with `status`, and that nothing was created meanwhile. */
async function refused(form: SamlForm, refusal = REFUSED, status = 400) {
  const before = await footprint();
  const answer = await post(form);
  expect(answer.redirect, 'the attack was ACCEPTED').toBeUndefined();
  expect(answer.refusal, answer.detail).toBe(refusal);
  expect(answer.status).toBe(status);
  expect(await footprint()).toEqual(before);
  return answer.detail as string;
}

describe('SAML attack corpus: signature wrapping (XSW)', () => {
  it('an unsigned assertion inserted before the signed one is refused', async () => {
    const org = await organization();
    const evil = `mallory@${org.verified}`;
    const form = mutated(await samlResponse(org.label, `sam@${org.verified}`), (_, { response, signed }) => {
      response.insertBefore(evilCopy(signed, evil), signed);
    });
    await refused(form);
    expect(await accountsOf(evil)).toEqual([]);
  });

  it('an unsigned assertion inserted after the signed one is refused', async () => {
    const org = await organization();
    const evil = `mallory@${org.verified}`;
    const form = mutated(await samlResponse(org.label, `sam@${org.verified}`), (_, { response, signed }) => {
      response.appendChild(evilCopy(signed, evil));
    });
    await refused(form);
    expect(await accountsOf(evil)).toEqual([]);
  });

  it('an evil assertion carrying the genuine signature, before or after the signed one, is refused', async () => {
    const org = await organization();
    const evil = `mallory@${org.verified}`;
    for (const where of ['before', 'after'] as const) {
      const form = mutated(await samlResponse(org.label, `sam@${org.verified}`), (_, { response, signed }) => {
        const copy = evilCopy(signed, evil, { keepSignature: true });
        if (where === 'before') response.insertBefore(copy, signed);
        else response.appendChild(copy);
      });
      await refused(form);
    }
    expect(await accountsOf(evil)).toEqual([]);
  });

  it('the signed assertion moved into samlp:Extensions, an evil one in its place, is refused', async () => {
    const org = await organization();
    const evil = `mallory@${org.verified}`;
    const form = mutated(await samlResponse(org.label, `sam@${org.verified}`), (doc, { response, signed }) => {
      const extensions = doc.createElementNS(SAMLP, 'samlp:Extensions');
      response.replaceChild(evilCopy(signed, evil), signed);
      extensions.appendChild(signed);
      const issuer = children(response, SAML, 'Issuer')[0] as El;
      response.insertBefore(extensions, issuer.nextSibling);
    });
    await refused(form);
    expect(await accountsOf(evil)).toEqual([]);
  });

  it("the signed assertion moved into the evil assertion's ds:Signature/ds:Object is refused", async () => {
    const org = await organization();
    const evil = `mallory@${org.verified}`;
    for (const sameId of [false, true]) {
      const form = mutated(await samlResponse(org.label, `sam@${org.verified}`), (doc, { response, signed }) => {
        const id = signed.getAttribute('ID') as string;
        const copy = evilCopy(signed, evil, { keepSignature: true, ...(sameId ? { id } : {}) });
        const signature = children(copy, DS, 'Signature')[0] as El;
        const object = doc.createElementNS(DS, 'ds:Object');
        // The genuine assertion, its enveloped signature taken off: what the signature's digest covers.
        for (const s of children(signed, DS, 'Signature')) signed.removeChild(s);
        response.replaceChild(copy, signed);
        object.appendChild(signed);
        signature.appendChild(object);
      });
      await refused(form);
    }
    expect(await accountsOf(evil)).toEqual([]);
  });

  it('a wrapped Response (the genuine one inside an evil Response) is refused', async () => {
    const org = await organization();
    const evil = `mallory@${org.verified}`;
    for (const into of ['Extensions', 'Assertion'] as const) {
      const form = mutated(await samlResponse(org.label, `sam@${org.verified}`), (doc, { response, signed }) => {
        const outer = response.cloneNode(true) as El;
        outer.setAttribute('ID', '_evil-response');
        const outerSigned = outer.getElementsByTagNameNS(SAML, 'Assertion')[0] as El;
        const copy = evilCopy(signed, evil);
        outer.replaceChild(copy, outerSigned);
        if (into === 'Extensions') {
          const extensions = doc.createElementNS(SAMLP, 'samlp:Extensions');
          extensions.appendChild(response.cloneNode(true));
          outer.insertBefore(extensions, (children(outer, SAML, 'Issuer')[0] as El).nextSibling);
        } else {
          // Deeper: the genuine Response inside the evil assertion (an Advice-like hiding place).
          copy.appendChild(response.cloneNode(true));
        }
        doc.replaceChild(outer, response);
      });
      await refused(form);
    }
    expect(await accountsOf(evil)).toEqual([]);
  });
});

describe('SAML attack corpus: the signed content itself', () => {
  it("a comment inside the NameID does not truncate the identity to the attacker's choice", async () => {
    const org = await organization();
    // The attacker holds "sam@<verified>.evil.test" at the IdP, which signs that name; a comment
    // (outside what the signature canonicalizes) splits it so that a naive reader stops at "sam@<verified>".
    const signedName = `sam@${org.verified}.evil.test`;
    const form = mutated(await samlResponse(org.label, signedName), (doc, { signed }) => {
      const nameId = signed.getElementsByTagNameNS(SAML, 'NameID')[0] as El;
      nameId.textContent = '';
      nameId.appendChild(doc.createTextNode(`sam@${org.verified}`));
      nameId.appendChild(doc.createComment(''));
      nameId.appendChild(doc.createTextNode('.evil.test'));
    });
    const xml = Buffer.from(form.SAMLResponse, 'base64').toString();
    expect(xml).toContain(`sam@${org.verified}<!---->.evil.test`);
    // The whole signed name is read: off the verified domains, so no just-in-time account.
    await refused(form, 'FORBIDDEN:SSO_EMAIL_NOT_ALLOWED', 403);
    expect(await accountsOf(`sam@${org.verified}`)).toEqual([]);
    expect(await accountsOf(signedName)).toEqual([]);
  });

  it('two elements with the signed ID (an evil assertion reusing it, before or after) are refused', async () => {
    const org = await organization();
    const evil = `mallory@${org.verified}`;
    for (const where of ['replace', 'before', 'after'] as const) {
      const form = mutated(await samlResponse(org.label, `sam@${org.verified}`), (doc, { response, signed }) => {
        const copy = evilCopy(signed, evil, { id: signed.getAttribute('ID') as string });
        if (where === 'before') response.insertBefore(copy, signed);
        else if (where === 'after') response.appendChild(copy);
        else {
          // The evil one in place; the genuine one, same ID, hidden in samlp:Extensions.
          response.replaceChild(copy, signed);
          const extensions = doc.createElementNS(SAMLP, 'samlp:Extensions');
          extensions.appendChild(signed);
          response.insertBefore(extensions, (children(response, SAML, 'Issuer')[0] as El).nextSibling);
        }
      });
      await refused(form);
    }
    // The Response given the signed assertion's ID as well.
    const twin = mutated(await samlResponse(org.label, `sam@${org.verified}`), (_, { response, signed }) => {
      response.setAttribute('ID', signed.getAttribute('ID') as string);
      response.replaceChild(evilCopy(signed, evil, { id: signed.getAttribute('ID') as string }), signed);
      response.appendChild(signed);
    });
    await refused(twin);
    expect(await accountsOf(evil)).toEqual([]);
  });

  it('an unsigned assertion beside a signed one, or alone with its signature stripped, is refused', async () => {
    const org = await organization();
    const evil = `mallory@${org.verified}`;
    const beside = mutated(await samlResponse(org.label, `sam@${org.verified}`), (doc, { response, signed }) => {
      // A fresh assertion of its own (new ID, no signature), next to the genuine signed one.
      const fresh = evilCopy(signed, evil, { id: '_unsigned' });
      response.appendChild(doc.createTextNode('\n'));
      response.appendChild(fresh);
    });
    await refused(beside);
    const stripped = mutated(await samlResponse(org.label, `sam@${org.verified}`), (_, { signed }) => {
      for (const s of children(signed, DS, 'Signature')) signed.removeChild(s);
      (signed.getElementsByTagNameNS(SAML, 'NameID')[0] as El).textContent = evil;
    });
    await refused(stripped);
    expect(await accountsOf(evil)).toEqual([]);
  });
});

describe('SAML attack corpus: replay and unsolicited responses', () => {
  it('a replayed response is refused, and nothing is created or linked twice', async () => {
    const org = await organization();
    const email = `ria@${org.verified}`;
    const form = await samlResponse(org.label, email);
    const first = await post(form);
    expect(first.redirect?.origin, first.detail).toBe(APP);
    const [user] = await accountsOf(email);
    const identities = () =>
      orm().em.fork().execute('select count(*)::int as n from sso_identities where user_id = ?', [user?.id]);
    expect(await identities()).toEqual([{ n: 1 }]);
    // The same form again: the sign-in it names is spent.
    await refused(form);
    // The same response with a sign-in started afresh: it answers another AuthnRequest.
    const fresh = await samlResponse(org.label, email);
    await refused({ ...fresh, SAMLResponse: form.SAMLResponse });
    // ...even with the unsigned Response's InResponseTo rewritten to the fresh request.
    const again = await samlResponse(org.label, email);
    const requestId = new DOMParser()
      .parseFromString(Buffer.from(again.SAMLResponse, 'base64').toString(), 'text/xml')
      .documentElement?.getAttribute('InResponseTo') as string;
    await refused(
      mutated({ ...again, SAMLResponse: form.SAMLResponse }, (_, { response }) =>
        response.setAttribute('InResponseTo', requestId),
      ),
    );
    expect(await accountsOf(email)).toEqual([user]);
    expect(await identities()).toEqual([{ n: 1 }]);
  });

  it('an unsolicited (IdP-initiated) response is refused: no sign-in started, or not this one', async () => {
    const org = await organization();
    const email = `uma@${org.verified}`;
    const metadata = await (await rig.app.request(`/sso/${org.label}/saml/metadata`)).text();
    const sp = samlify.ServiceProvider({ metadata });
    const unsolicited = async () =>
      (
        (await rig.idp.createLoginResponse(sp, {} as Parameters<typeof rig.idp.createLoginResponse>[1], 'post', {
          email,
        })) as { context: string }
      ).context;
    // No sign-in at all: no RelayState, no cookie.
    await refused({ SAMLResponse: await unsolicited(), RelayState: '', cookie: '' });
    // A RelayState the IdP made up.
    await refused({ SAMLResponse: await unsolicited(), RelayState: 'idp-initiated', cookie: '' });
    // Posted into a sign-in this browser did start: it answers no AuthnRequest of ours.
    const started = await samlResponse(org.label, email);
    await refused({ ...started, SAMLResponse: await unsolicited() });
    // ...even with the (unsigned) Response's InResponseTo set to that sign-in's AuthnRequest: the signed
    // assertion answers no request (an IdP-initiated assertion captured and replayed by someone else).
    const another = await samlResponse(org.label, email);
    const requestId = new DOMParser()
      .parseFromString(Buffer.from(another.SAMLResponse, 'base64').toString(), 'text/xml')
      .documentElement?.getAttribute('InResponseTo') as string;
    const adopted = mutated({ ...another, SAMLResponse: await unsolicited() }, (_, { response }) =>
      response.setAttribute('InResponseTo', requestId),
    );
    expect(await refused(adopted)).toContain('no bearer SubjectConfirmation');
    expect(await accountsOf(email)).toEqual([]);
  });
});

describe('SAML attack corpus: addressed elsewhere, or out of time', () => {
  it('a response signed for another audience (another organization, another SP) is refused', async () => {
    const org = await organization();
    const other = await organization();
    const email = `ava@${org.verified}`;
    for (const audience of [
      `http://gatehouse.test/sso/${other.label}/saml/metadata`,
      'https://sp.evil.test/saml/metadata',
    ]) {
      const form = await samlResponse(org.label, email, {
        spMetadata: (xml) => xml.replace(/entityID="[^"]*"/, `entityID="${audience}"`),
      });
      expect(Buffer.from(form.SAMLResponse, 'base64').toString()).toContain(`<saml:Audience>${audience}<`);
      const detail = await refused(form);
      expect(detail).toContain('audience');
    }
    expect(await accountsOf(email)).toEqual([]);
  });

  it('a response signed for another Recipient / Destination is refused', async () => {
    const org = await organization();
    const email = `rex@${org.verified}`;
    const elsewhere = 'https://sp.evil.test/sso/callback';
    const acs = (xml: string) => xml.replace(/Location="[^"]*\/sso\/callback"/, `Location="${elsewhere}"`);
    // Both the signed Recipient and the Response's Destination name another service provider.
    const both = await samlResponse(org.label, email, { spMetadata: acs });
    expect(Buffer.from(both.SAMLResponse, 'base64').toString()).toContain(`Recipient="${elsewhere}"`);
    expect(await refused(both)).toContain(`Destination ${elsewhere}`);
    // The signed Recipient elsewhere, the (unsigned) Destination put back to ours.
    const recipient = mutated(await samlResponse(org.label, email, { spMetadata: acs }), (_, { response }) =>
      response.setAttribute('Destination', 'http://gatehouse.test/sso/callback'),
    );
    expect(await refused(recipient)).toContain('no bearer SubjectConfirmation for http://gatehouse.test/sso/callback');
    // A genuine response whose Destination was changed to another endpoint.
    const destination = mutated(await samlResponse(org.label, email), (_, { response }) =>
      response.setAttribute('Destination', elsewhere),
    );
    expect(await refused(destination)).toContain(`Destination ${elsewhere}`);
    expect(await accountsOf(email)).toEqual([]);
  });

  it('expired conditions (signed by an IdP whose clock was an hour behind) and not-yet-valid ones are refused', async () => {
    const org = await organization();
    const email = `eve@${org.verified}`;
    const expired = await samlResponse(org.label, email, { skewMs: -60 * 60_000 });
    const conditions = /<saml:Conditions NotBefore="([^"]+)" NotOnOrAfter="([^"]+)"/.exec(
      Buffer.from(expired.SAMLResponse, 'base64').toString(),
    );
    expect(Date.parse(conditions?.[2] as string)).toBeLessThan(Date.now() - 50 * 60_000);
    expect(await refused(expired)).toMatch(/subject confirmation|expired/i);
    const early = await samlResponse(org.label, email, { skewMs: 60 * 60_000 });
    expect(await refused(early)).toMatch(/subject confirmation|not yet valid/i);
    expect(await accountsOf(email)).toEqual([]);
  });

  it('the genuine response still signs in after all this (the corpus is refused for what it is)', async () => {
    const org = await organization();
    const answer = await post(await samlResponse(org.label, `gus@${org.verified}`));
    expect(answer.redirect?.origin, answer.detail).toBe(APP);
  });

  it('no packet left loopback', () => {
    expect(violations).toEqual([]);
  });
});
