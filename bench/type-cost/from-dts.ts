// A consumer as a product team writes one: the router type comes from the emitted declarations.
import { createGatehouseClient } from '@gatehouse/client';

const gh = createGatehouseClient({ url: 'http://localhost:3000', apiKey: 'gh_x' });
export const me = await gh.auth.whoami();
export const again = await gh.trpc.auth.whoami.query();
export const org: string | undefined = me.organization?.name;
