import { vi } from 'vitest';

/**
 * Makes the SDK's default credential chain answer with these keys, as for a user with no profile. The suite runs
 * with an `AWS_PROFILE` that does not exist (see `vitest.config.ts`), and the SDK ignores keys in the
 * environment when a profile is named. Undone by `vi.unstubAllEnvs()`.
 */
export function stubCredentials(credentials: {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}): void {
  vi.stubEnv('AWS_PROFILE', undefined);
  vi.stubEnv('AWS_ACCESS_KEY_ID', credentials.accessKeyId);
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', credentials.secretAccessKey);
}

/**
 * Sets environment variables (removing those given as undefined) and returns what puts them back as they were,
 * for a fixture that must not undo what a test file stubbed itself (as `vi.unstubAllEnvs()` would).
 */
export function overrideEnvironment(values: Readonly<Record<string, string | undefined>>): () => void {
  const previous = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  const apply = (settings: Readonly<Record<string, string | undefined>>) => {
    for (const [name, value] of Object.entries(settings))
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
  };
  apply(values);
  return () => apply(previous);
}
