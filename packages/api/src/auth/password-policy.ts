import { AppError } from '../core/errors.js';

// The most common passwords of at least 12 characters (from public breach corpora). Longer common
// phrases are caught too by the lower-cased substring rules below.
const COMMON = new Set([
  '123456789012',
  '1234567890123',
  '12345678901234',
  '123456789123',
  '1q2w3e4r5t6y',
  'qwertyuiopas',
  'qwertyuiop12',
  'qwertyuiop123',
  'password1234',
  'password12345',
  'password123456',
  'passw0rd1234',
  'iloveyou1234',
  'princess1234',
  'football1234',
  'baseball1234',
  'welcome12345',
  'sunshine1234',
  'abc123456789',
  'aaaaaaaaaaaa',
  '111111111111',
  '000000000000',
  'letmein12345',
  'administrator',
  'changeme1234',
  'qwerty123456',
  'asdfghjkl123',
  'zxcvbnm12345',
  'trustno11234',
  'monkey123456',
  'dragon123456',
  'superman1234',
  'michael12345',
  'computer1234',
  'internet1234',
  'whatever1234',
  'starwars1234',
  'pokemon12345',
  'liverpool123',
  'chocolate123',
  'password!234',
  'p@ssw0rd1234',
  'correcthorsebatterystaple',
  'correct horse battery staple',
]);
// Passwords that are one of these words padded with digits and symbols ("Password123456!").
const WEAK_WORDS = new Set([
  'password',
  'passwd',
  'psswrd',
  'passwrd',
  'pssword',
  'qwerty',
  'qwertyuiop',
  'letmein',
  'gatehouse',
  'admin',
  'welcome',
  'iloveyou',
  'abc',
  'asdf',
  'asdfghjkl',
  'zxcvbnm',
  'changeme',
  'secret',
]);

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

/**
 * NIST 800-63B style: long enough, not known-common, not built on the email. No composition
 * rules: they make passwords harder to remember, not to guess.
 */
export function assertPasswordAcceptable(password: string, email: string): void {
  const reject = (message: string) => {
    throw new AppError('BAD_REQUEST', message, { field: 'password' });
  };
  if (password.length < PASSWORD_MIN) reject(`Password must be at least ${PASSWORD_MIN} characters`);
  if (password.length > PASSWORD_MAX) reject(`Password must be at most ${PASSWORD_MAX} characters`);
  const lower = password.toLowerCase();
  const local = email.slice(0, email.lastIndexOf('@')).toLowerCase();
  if (lower.includes(email.toLowerCase()) || (local.length >= 4 && lower.includes(local))) {
    reject('Password must not contain your email address');
  }
  const letters = lower.replace(/[^a-z]/g, '');
  if (COMMON.has(lower) || new Set(lower).size < 4 || letters === '' || WEAK_WORDS.has(letters)) {
    reject('Password is too common; choose a longer or less predictable one');
  }
}
