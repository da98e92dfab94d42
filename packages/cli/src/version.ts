/** Set by the bundle (`scripts/bundle.ts`) to the version in the CLI's package.json. */
declare const TIDEMARK_VERSION: string | undefined;

/** The version `tidemark --version` prints: the package's, or `development` when run from the sources. */
export const VERSION: string = typeof TIDEMARK_VERSION === 'string' ? TIDEMARK_VERSION : 'development';
