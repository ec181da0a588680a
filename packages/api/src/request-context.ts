/**
 * The context tRPC is initialised with. It is part of the AppRouter type that every client loads,
 * so it names no ORM type: the database travels as an opaque handle, and the procedure chain adds
 * the typed entity manager (see trpc.ts). This keeps ~440 ORM declaration files out of consumers.
 */
declare const opaque: unique symbol;
export type DatabaseHandle = { readonly [opaque]: true };

/** The raw credential a request carried; verified only by procedures that need a principal. */
export type Credential = { type: 'bearer'; token: string } | { type: 'apiKeyPair'; prefix: string; secret: string };

export interface RequestContext {
  database: DatabaseHandle;
  requestId: string;
  ip: string | null;
  credential: Credential | null;
}
