import { router } from '../trpc.js';

export const organizationsRouter = router({});
