/**
 * `@tidemark/core/secrets`: the secret key and the sealing of secret values with it, without the AWS SDK (the key
 * kept in Secrets Manager is read by `loadKeyFromSecret`, exported by `@tidemark/core`).
 */
export {
  createKeyFile,
  defaultKeyFile,
  keyFileExposure,
  loadOrCreateKey,
  readKeyFile,
} from './key-file.js';
export {
  isSealed,
  LocalKeySealer,
  type SealedValue,
  type SecretSealer,
  unsealAll,
} from './sealer.js';
export { StoreKey } from './store-key.js';
