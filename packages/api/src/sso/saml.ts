import { type CacheProvider, SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import { DOMParser } from '@xmldom/xmldom';
import * as xpath from 'xpath';
import { AppError } from '../core/errors.js';
import type { Runtime } from '../infra/caller.js';

/** What a SAML connection keeps of its IdP's metadata. */
export interface SamlMetadata {
  protocol: 'saml';
  entityId: string;
  /** The IdP's SingleSignOnService for the HTTP-Redirect binding (where AuthnRequests go). */
  ssoUrl: string;
  /** The IdP's signing certificates (base64 DER): assertions must be signed by one of them. */
  certs: string[];
}

const NS = { md: 'urn:oasis:names:tc:SAML:2.0:metadata', ds: 'http://www.w3.org/2000/09/xmldsig#' };
const REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const refused = (why: string) => new AppError('BAD_REQUEST', `The SAML metadata is refused: ${why}`, { why });

/**
 * Reads the IdP's metadata XML: its entityID (which must be the connection's identifier), its HTTP-Redirect
 * single sign-on URL and its signing certificates. Anything missing is BAD_REQUEST saying what.
 */
export function parseIdpMetadata(xml: string, identifier: string, allowHttp: boolean): SamlMetadata {
  let doc: Document;
  try {
    doc = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') throw new Error(message);
      },
    }).parseFromString(xml, 'text/xml') as unknown as Document;
  } catch (error) {
    throw refused(`not well-formed XML (${(error as Error).message})`);
  }
  const select = xpath.useNamespaces(NS);
  const entity = select('/md:EntityDescriptor', doc as unknown as Node, true) as Element | undefined;
  if (!entity) throw refused('no EntityDescriptor');
  const entityId = entity.getAttribute('entityID') ?? '';
  if (entityId !== identifier)
    throw refused(`its entityID is ${entityId || 'missing'}, not the identifier ${identifier}`);
  const idp = select('md:IDPSSODescriptor', entity, true) as Element | undefined;
  if (!idp) throw refused('no IDPSSODescriptor');
  const sso = select(`md:SingleSignOnService[@Binding='${REDIRECT}']`, idp, true) as Element | undefined;
  const ssoUrl = sso?.getAttribute('Location') ?? '';
  let url: URL;
  try {
    url = new URL(ssoUrl);
  } catch {
    throw refused('no SingleSignOnService with the HTTP-Redirect binding');
  }
  if (url.protocol !== 'https:' && !(allowHttp && url.protocol === 'http:')) {
    throw refused(`the SingleSignOnService must be https: ${ssoUrl}`);
  }
  const certs = (
    select("md:KeyDescriptor[not(@use) or @use='signing']/ds:KeyInfo/ds:X509Data/ds:X509Certificate", idp) as Element[]
  )
    .map((node) => (node.textContent ?? '').replace(/\s+/g, ''))
    .filter(Boolean);
  if (certs.length === 0) throw refused('no signing certificate (KeyDescriptor use="signing")');
  return { protocol: 'saml', entityId, ssoUrl, certs };
}

/** The service provider's entity ID for an organization: its metadata URL. */
export const spEntityIdOf = (runtime: Runtime, label: string) => `${runtime.publicUrl}/sso/${label}/saml/metadata`;

const pem = (cert: string) =>
  `-----BEGIN CERTIFICATE-----\n${cert.match(/.{1,64}/g)?.join('\n')}\n-----END CERTIFICATE-----`;

/**
 * node-saml for one connection: assertions must be signed by the IdP's certificate, addressed to us
 * (audience), from the IdP's entity ID, and answer the AuthnRequest this sign-in sent (InResponseTo,
 * checked against `requestId` through the cache provider: no process memory is involved).
 */
export function samlFor(
  runtime: Runtime,
  metadata: SamlMetadata,
  label: string,
  cache: CacheProvider = { saveAsync: async () => null, getAsync: async () => null, removeAsync: async () => null },
): SAML {
  const spEntityId = spEntityIdOf(runtime, label);
  return new SAML({
    entryPoint: metadata.ssoUrl,
    issuer: spEntityId,
    audience: spEntityId,
    callbackUrl: `${runtime.publicUrl}/sso/callback`,
    idpCert: metadata.certs.map(pem),
    idpIssuer: metadata.entityId,
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: false,
    validateInResponseTo: ValidateInResponseTo.always,
    cacheProvider: cache,
    identifierFormat: null,
    disableRequestedAuthnContext: true,
    acceptedClockSkewMs: 60_000,
  });
}

/** `GET /sso/{label}/saml/metadata`: the service provider's metadata for the IdP's administrator. */
export function spMetadataOf(runtime: Runtime, metadata: SamlMetadata, label: string): string {
  return samlFor(runtime, metadata, label).generateServiceProviderMetadata(null);
}

type Xml2js = { $?: Record<string, string> } & { [child: string]: Xml2js[] | Record<string, string> | undefined };
const childrenOf = (node: Xml2js | undefined, name: string) => (node?.[name] as Xml2js[] | undefined) ?? [];

/**
 * What node-saml leaves unchecked (SAML profiles 4.1.4.2, 4.1.4.3): the response is addressed to our
 * callback (the Response's Destination, when present) and the signed assertion holds a bearer
 * SubjectConfirmation for us: its Recipient our callback, its InResponseTo this sign-in's AuthnRequest,
 * still valid. `null` when all holds, else why not.
 */
export function addressingError(
  profile: { getAssertion?: () => Record<string, unknown>; getSamlResponseXml?: () => string },
  callbackUrl: string,
  requestId: string,
  skewMs = 60_000,
): string | null {
  const response = new DOMParser().parseFromString(profile.getSamlResponseXml?.() ?? '', 'text/xml').documentElement;
  const destination = response?.getAttribute('Destination');
  if (destination && destination !== callbackUrl)
    return `the response's Destination ${destination} is not ${callbackUrl}`;
  const assertion = profile.getAssertion?.()?.Assertion as Xml2js | undefined;
  const confirmations = childrenOf(assertion, 'Subject').flatMap((s) => childrenOf(s, 'SubjectConfirmation'));
  const bearer = confirmations
    .filter((c) => c.$?.Method === 'urn:oasis:names:tc:SAML:2.0:cm:bearer')
    .flatMap((c) => childrenOf(c, 'SubjectConfirmationData'))
    .filter((data) => {
      const notOnOrAfter = Date.parse(data.$?.NotOnOrAfter ?? '');
      return (
        data.$?.Recipient === callbackUrl &&
        data.$?.InResponseTo === requestId &&
        Number.isFinite(notOnOrAfter) &&
        Date.now() < notOnOrAfter + skewMs
      );
    });
  if (bearer.length === 0)
    return `the assertion has no bearer SubjectConfirmation for ${callbackUrl} answering this sign-in, still valid`;
  return null;
}
