/** `@tidemark/core/secrets`: the secret key and the sealing of secret values with it. */
export { defaultKeyFile, loadOrCreateKey } from './key-file.js';
export { isSealed, LocalKeySealer, type SealedValue, type SecretSealer } from './sealer.js';
export { loadKeyFromSecret } from './secret-manager-key.js';
