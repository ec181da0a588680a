import { router } from '../trpc.js';

export const rolesRouter = router({});
