export * from './database.js';
export * from './embedded.js';
export * from './entities/index.js';
export * from './ids.js';
export type { OrmOptions } from './mikro-orm.config.js';
export * from './values.js';
