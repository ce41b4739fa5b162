// The organisation's profile: blastradius.json in the working directory (or --profile).
// Later stages read more of it (the notice's facts); the scan needs the domains.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface OrgProfile {
  /** Absolute path of the file the profile was read from. */
  file: string;
  /** Organisation name as it appears in the notice. */
  name?: string;
  /** Mail domains of the organisation; subdomains are included automatically. */
  domains: string[];
  contact?: {
    department?: string;
    /** The department's name in English, for the English notice (else a to-be-confirmed mark). */
    departmentEn?: string;
    email?: string;
    phone?: string;
  };
  /** Read by the notice (notice-model.ts); every one optional, a missing one is marked to be confirmed. */
  nameEn?: string;
  discoveredOn?: string;
  pcInfectionConfirmed?: boolean;
  measures?: { ja?: string[]; en?: string[] };
  noticeDate?: string;
  [key: string]: unknown;
}

export const DEFAULT_PROFILE_FILE = 'blastradius.json';

export class ProfileError extends Error {}

/** Load a profile; a missing default file is not an error, a missing named file is. */
export function loadProfile(path: string | undefined, cwd = process.cwd()): OrgProfile | null {
  const file = resolve(cwd, path ?? DEFAULT_PROFILE_FILE);
  if (!existsSync(file)) {
    if (path) throw new ProfileError(`profile not found: ${file}`);
    return null;
  }
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ProfileError(`profile ${file} is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new ProfileError(`profile ${file} must be a JSON object`);
  const p = data as Record<string, unknown>;
  const domains = p.domains ?? [];
  if (!Array.isArray(domains) || domains.some((d) => typeof d !== 'string')) {
    throw new ProfileError(`profile ${file}: "domains" must be a list of strings`);
  }
  return { ...p, domains: domains as string[], file } as OrgProfile;
}
