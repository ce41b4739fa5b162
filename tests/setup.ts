// Run before each test file (vitest.config.ts, setupFiles): what the file's tests wrote
// under the temporary folder goes when the file ends.
import { afterAll } from 'vitest';
import { removeTempDirs } from './helpers.js';

afterAll(() => removeTempDirs());
