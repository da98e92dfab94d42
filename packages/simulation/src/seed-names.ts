/** How much generated content to add on top of the small-business seed. */
export interface SeedScale {
  readonly objects: number;
  readonly functions: number;
  readonly buckets: number;
}

/** The three websites of the business; each has a site bucket named exactly like the domain. */
export const SITE_DOMAINS = ['queenofsandiego.com', 'sailjada.com', 'salejada.com'] as const;
/** The versioned, KMS-encrypted media bucket; generated benchmark objects go here under `generated/`. */
export const MEDIA_BUCKET = 'sailjada-media';
/** The access-logs bucket: logging target of the site buckets, replicated to {@link LOGS_REPLICA_BUCKET}. */
export const LOGS_BUCKET = 'queenofsandiego-logs';
/** The only bucket outside the home region: in us-west-2 (in us-east-1 when the home region is us-west-2). */
export const LOGS_REPLICA_BUCKET = 'queenofsandiego-logs-west';

/** The region of {@link LOGS_REPLICA_BUCKET} for a home region. */
export function replicaRegion(homeRegion: string): string {
  return homeRegion === 'us-west-2' ? 'us-east-1' : 'us-west-2';
}

/**
 * The secret in booking-handler's environment. Built from parts so that secret scanners (GitHub push protection
 * recognises live Stripe keys) do not take this simulated value for a real key.
 */
export const SIMULATED_STRIPE_SECRET_KEY = ['sk', 'live', '51SimulatedSecretValue0123456789'].join('_');
/** The secret in email-sender's environment. */
export const SIMULATED_SMTP_PASSWORD = 'BSimulatedSmtpPassword+0123456789abcdefghijk';

/** Seed dates are fixed, so that every run of the simulation lists the same `LastModified` values. */
export const seedDate = (iso: string): Date => new Date(`${iso}Z`);
