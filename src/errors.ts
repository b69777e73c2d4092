/**
 * One root error class. Library code throws `SeedpipeError`; only the CLI entry maps errors to
 * exit codes. `code` is stable (tests and scripts may match on it), `message` says what to change.
 */
export type Disposition = 'fatal' | 'retriable' | 'data-quality' | 'usage';

export class SeedpipeError extends Error {
  readonly code: string;
  readonly disposition: Disposition;
  readonly data: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, opts: { disposition?: Disposition; data?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'SeedpipeError';
    this.code = code;
    this.disposition = opts.disposition ?? 'fatal';
    this.data = Object.freeze({ ...(opts.data ?? {}) });
  }
}

/** A usage error (bad flag, unknown dataset/profile): exit code 2. */
export function usageError(code: string, message: string, data?: Record<string, unknown>): SeedpipeError {
  return new SeedpipeError(code, message, { disposition: 'usage', ...(data ? { data } : {}) });
}

export function isSeedpipeError(e: unknown): e is SeedpipeError {
  return e instanceof SeedpipeError;
}

/**
 * Removes credentials from anything that may be printed: URL passwords (userinfo, also with an unencoded
 * `@` inside, which pg reads up to the last `@`), `password=` in query strings and key=value connection
 * strings, `"password": "…"` in JSON, and every given secret (API keys, AWS secrets).
 */
export function redact(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text
    .replace(/([a-z][a-z0-9+.-]*:\/\/[^:/?#\s@]*:)[^/?#\s]*@/gi, '$1***@')
    .replace(/(\b(?:ssl)?password\s*=\s*)('(?:[^'\\]|\\.)*'|[^&\s#'"]+)/gi, '$1***')
    .replace(/("(?:ssl)?password"\s*:\s*)"(?:[^"\\]|\\.)*"/gi, '$1"***"');
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('***');
  return out;
}
