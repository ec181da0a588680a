// Writes a migration for the difference between the entities and the committed migrations:
// migrates a scratch database to the latest committed state, diffs it, and drops it.
import { createTestDatabase } from '../testing/index.js';

const name = process.argv[2];
const db = await createTestDatabase();
try {
  const result = await db.orm.migrator.create(undefined, false, false, name);
  console.log(result.fileName ? `wrote ${result.fileName}; add it to migrations/index.ts` : 'no changes');
} finally {
  await db.drop();
}
