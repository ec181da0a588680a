import { p } from '@mikro-orm/core';

/** Columns every table has. Ids are generated in code (see ids.ts), so rows carry them before insert. */
export const timestamps = {
  createdAt: p.datetime().onCreate(() => new Date()),
  updatedAt: p
    .datetime()
    .onCreate(() => new Date())
    .onUpdate(() => new Date()),
};
