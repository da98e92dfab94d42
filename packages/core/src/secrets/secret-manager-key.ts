import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { errorCode } from '../aws/classify.js';
import { SecretKeyError } from '../errors.js';
import { decodeKey } from './key-file.js';

/**
 * Reads the 256-bit sealing key kept, base64, as the `SecretString` of a Secrets Manager secret (the deployed
 * pipeline's equivalent of the key file). Errors name the secret, never its value.
 *
 * @example
 * const sealer = new LocalKeySealer(await loadKeyFromSecret(clients.secretsManager('eu-west-1'), secretArn));
 */
export async function loadKeyFromSecret(client: SecretsManagerClient, secretId: string): Promise<Buffer> {
  let text: string | undefined;
  try {
    text = (await client.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString;
  } catch (error) {
    throw new SecretKeyError(`cannot read the sealing key secret ${secretId}: ${errorCode(error)}`, {
      cause: error,
    });
  }
  const key = text === undefined ? undefined : decodeKey(text);
  if (!key) throw new SecretKeyError(`the secret ${secretId} does not hold a 256-bit base64 key`);
  return key;
}
