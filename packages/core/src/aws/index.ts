/** `@tidemark/core/aws`: the AWS client factory and error classifier. Importing it loads the SDK clients. */
export { classifyAwsError, type ErrorClass } from './classify.js';
export { type AwsAccessOptions, AwsClients } from './clients.js';
