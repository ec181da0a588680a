import { authedProcedure, router } from '../trpc.js';
import { ZWhoami } from './schema.js';
import { whoami } from './service.js';

export const authRouter = router({
  whoami: authedProcedure.output(ZWhoami).query(({ ctx }) => whoami(ctx.em, ctx.principal)),
});
