// A setup file of every test file (vitest.config.ts): a test that met an internal error fails.
import { failTestsOnInternalErrors } from './internal-errors.js';

failTestsOnInternalErrors();
