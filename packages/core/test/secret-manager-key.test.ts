import { randomBytes } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SecretKeyError } from '../src/errors.js';
import { loadKeyFromSecret } from '../src/secrets/secret-manager-key.js';

const SECRET_ID = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:tidemark-sealing-key-AbCdEf';

describe('loadKeyFromSecret', () => {
  const client = new SecretsManagerClient({ region: 'eu-west-1' });
  const mock = mockClient(client);
  afterEach(() => mock.reset());

  it('reads a base64 256-bit key from the secret string', async () => {
    const key = randomBytes(32);
    mock.on(GetSecretValueCommand, { SecretId: SECRET_ID }).resolves({
      ARN: SECRET_ID,
      Name: 'tidemark-sealing-key',
      SecretString: `${key.toString('base64')}\n`,
    });

    expect((await loadKeyFromSecret(client, SECRET_ID)).equals(key)).toBe(true);
  });

  it('names the secret, never its value, when it is not a 256-bit key', async () => {
    mock.on(GetSecretValueCommand).resolves({ ARN: SECRET_ID, SecretString: 'hunter2-not-a-key' });

    const error = await loadKeyFromSecret(client, SECRET_ID).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(SecretKeyError);
    expect((error as Error).message).toBe(`the secret ${SECRET_ID} does not hold a 256-bit base64 key`);
  });

  it('says why the secret could not be read', async () => {
    mock.on(GetSecretValueCommand).rejects(
      Object.assign(new Error('not authorized to perform secretsmanager:GetSecretValue'), {
        name: 'AccessDeniedException',
      }),
    );

    await expect(loadKeyFromSecret(client, SECRET_ID)).rejects.toThrow(
      `cannot read the sealing key secret ${SECRET_ID}: AccessDeniedException`,
    );
  });
});
