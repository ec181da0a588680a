// Generates TypeScript types for the REST API from its OpenAPI document, as any client project would
// (openapi-typescript). `corepack pnpm --filter @gatehouse/server rest:types` rewrites the checked-in
// copy that openapi-client.test.ts compiles against; that test fails when the copy is stale.
import { writeFile } from 'node:fs/promises';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { openApiDocument } from '../../src/rest/openapi.js';
import { routes } from '../../src/rest/routes.js';

export const GENERATED = new URL('./generated/gatehouse-api.ts', import.meta.url);

export async function generateClientTypes(document: unknown = openApiDocument(routes)): Promise<string> {
  const nodes = await openapiTS(document as OpenAPI3, { alphabetize: true });
  return `// Generated from /api/v1/openapi.json by openapi-typescript: do not edit (see ../client-types.ts).\n${astToString(nodes)}`;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) {
  await writeFile(GENERATED, await generateClientTypes());
}
