/** An error as the AWS SDK throws it, with the HTTP status of the response. */
export type AwsFailure = Error & { $metadata: { httpStatusCode?: number } };

/** The rejection of a call, for asserting on its AWS error; fails the test when the call succeeds. */
export async function failure(promise: Promise<unknown>): Promise<AwsFailure> {
  try {
    await promise;
  } catch (error) {
    return error as AwsFailure;
  }
  throw new Error('expected the call to fail');
}
