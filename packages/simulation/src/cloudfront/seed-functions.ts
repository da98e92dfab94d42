import type { FunctionConfig } from '@aws-sdk/client-cloudfront';
import { utf8 } from '../content.js';
import { seedDate as day } from '../seed-names.js';
import type { CloudFrontState, SimCloudFrontFunction, SimFunctionStage } from './model.js';

/** The viewer-request function of the three sites: serves `index.html` for directory requests. */
export const INDEX_REWRITE_FUNCTION = 'site-index-rewrite';
/** A redirect function looking paths up in a key value store: published once, edited since, not yet in use. */
export const REDIRECTS_FUNCTION = 'legacy-path-redirects';

const INDEX_REWRITE_CODE = `function handler(event) {
  const request = event.request;
  const uri = request.uri;

  // S3 has no directory index behind an origin access control: /charters/ must ask for /charters/index.html.
  if (uri.endsWith('/')) {
    request.uri += 'index.html';
  } else if (!uri.split('/').pop().includes('.')) {
    request.uri += '/index.html';
  }
  return request;
}
`;

const REDIRECTS_CODE_LIVE = `import cf from 'cloudfront';

const kvs = cf.kvs();

async function handler(event) {
  const request = event.request;
  try {
    const location = await kvs.get(request.uri);
    return { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: location } } };
  } catch (err) {
    return request;
  }
}
`;

const REDIRECTS_CODE_DEVELOPMENT = `import cf from 'cloudfront';

const kvs = cf.kvs();

async function handler(event) {
  const request = event.request;
  const path = request.uri.toLowerCase().replace(/\\/+$/, '') || '/';
  try {
    const location = await kvs.get(path);
    return { statusCode: 308, statusDescription: 'Permanent Redirect', headers: { location: { value: location } } };
  } catch (err) {
    return request;
  }
}
`;

function stage(state: CloudFrontState, config: FunctionConfig, code: string, at: string): SimFunctionStage {
  return { config, code: utf8(code), etag: state.newId(), lastModified: day(at) };
}

function addFunction(
  state: CloudFrontState,
  name: string,
  created: string,
  stages: { development: SimFunctionStage; live?: SimFunctionStage },
): SimCloudFrontFunction {
  const fn: SimCloudFrontFunction = {
    name,
    arn: state.arn('function', name),
    created: day(created),
    ...stages,
  };
  state.functions.set(name, fn);
  return fn;
}

/** Seeds the sites' CloudFront Functions; returns the index rewrite function the distributions associate. */
export function seedCloudFrontFunctions(state: CloudFrontState): SimCloudFrontFunction {
  const rewriteConfig: FunctionConfig = {
    Comment: 'Serve index.html for directory paths on every site',
    Runtime: 'cloudfront-js-2.0',
    KeyValueStoreAssociations: { Quantity: 0 },
  };
  const rewrite = addFunction(state, INDEX_REWRITE_FUNCTION, '2023-02-11T18:02:44', {
    development: stage(state, rewriteConfig, INDEX_REWRITE_CODE, '2023-02-11T18:02:44'),
    live: stage(state, rewriteConfig, INDEX_REWRITE_CODE, '2023-02-11T18:05:10'),
  });

  const redirectsConfig: FunctionConfig = {
    Comment: 'Redirect retired charter pages to their new paths',
    Runtime: 'cloudfront-js-2.0',
    KeyValueStoreAssociations: {
      Quantity: 1,
      Items: [{ KeyValueStoreARN: state.arn('key-value-store', state.random.uuid()) }],
    },
  };
  addFunction(state, REDIRECTS_FUNCTION, '2024-03-08T10:12:31', {
    development: stage(state, redirectsConfig, REDIRECTS_CODE_DEVELOPMENT, '2024-04-19T16:40:02'),
    live: stage(state, redirectsConfig, REDIRECTS_CODE_LIVE, '2024-03-08T10:20:57'),
  });
  return rewrite;
}
