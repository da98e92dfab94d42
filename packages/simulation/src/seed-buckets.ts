import type {
  Grant,
  PublicAccessBlockConfiguration,
  ServerSideEncryptionConfiguration,
} from '@aws-sdk/client-s3';
import { BytePool, binaryBody, JPEG_HEADER, utf8 } from './content.js';
import { type AccountModel, type BucketConfiguration, type ObjectWrite, SimBucket } from './model.js';
import {
  seedDate as day,
  LOGS_BUCKET,
  LOGS_REPLICA_BUCKET,
  MEDIA_BUCKET,
  replicaRegion,
  SITE_DOMAINS,
} from './seed-names.js';

const AES256: ServerSideEncryptionConfiguration = {
  Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }],
};
const BLOCK_ALL: PublicAccessBlockConfiguration = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};
const OPEN_FOR_WEBSITE: PublicAccessBlockConfiguration = {
  BlockPublicAcls: false,
  IgnorePublicAcls: false,
  BlockPublicPolicy: false,
  RestrictPublicBuckets: false,
};
const LOG_DELIVERY: Grant[] = [
  { Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/s3/LogDelivery' }, Permission: 'WRITE' },
  {
    Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/s3/LogDelivery' },
    Permission: 'READ_ACP',
  },
];

const HTML = 'text/html; charset=utf-8';
const PAGE_CACHE = 'max-age=300';
const ASSET_CACHE = 'public, max-age=31536000, immutable';

/**
 * Adds the site buckets, the media bucket (with `generatedObjects` more objects), the access-logs buckets and
 * `generatedBuckets` more small buckets.
 */
export function seedBuckets(model: AccountModel, generatedObjects: number, generatedBuckets = 0): void {
  seedSites(model);
  seedMedia(model, generatedObjects);
  seedLogs(model);
  seedGeneratedBuckets(model, generatedBuckets);
}

/** Benchmark buckets `assets-0001`…: default settings, three small objects each. */
function seedGeneratedBuckets(model: AccountModel, count: number): void {
  for (let i = 1; i <= count; i++) {
    const name = `assets-${String(i).padStart(4, '0')}`;
    const bucket = addBucket(model, name, {
      region: model.homeRegion,
      creationDate: day('2024-03-01T00:00:00'),
      publicAccessBlock: BLOCK_ALL,
      encryption: AES256,
      eventBridge: false,
    });
    for (const file of ['index.json', 'logo.svg', 'robots.txt'])
      put(model, bucket, file, '2024-03-02T00:00:00', {
        body: utf8(`${name}/${file}`),
        contentType: 'text/plain',
      });
  }
}

function addBucket(model: AccountModel, name: string, config: BucketConfiguration): SimBucket {
  const bucket = new SimBucket(name, config);
  model.buckets.set(name, bucket);
  return bucket;
}

function put(model: AccountModel, bucket: SimBucket, key: string, at: string, write: ObjectWrite): void {
  bucket.put(key, { checksumAlgorithm: 'CRC64NVME', ...write }, day(at), model.random);
}

const SITES: ReadonlyArray<{
  readonly domain: (typeof SITE_DOMAINS)[number];
  readonly created: string;
  readonly title: string;
  readonly images: ReadonlyArray<readonly [name: string, size: number]>;
  readonly cors: boolean;
  readonly tags?: ReadonlyArray<readonly [string, string]>;
}> = [
  {
    domain: 'queenofsandiego.com',
    created: '2021-03-14T18:22:05',
    title: 'Queen of San Diego: harbor cruises and private charters',
    images: [
      ['hero.jpg', 151_552],
      ['fleet.jpg', 64_512],
      ['crew.jpg', 23_004],
      ['logo.jpg', 5_873],
    ],
    cors: false,
    tags: [['project', 'queenofsandiego']],
  },
  {
    domain: 'sailjada.com',
    created: '2022-06-02T09:14:51',
    title: 'Sail Jada: sunset sails on San Diego Bay',
    images: [
      ['hero.jpg', 131_900],
      ['boat.jpg', 87_300],
      ['sunset.jpg', 42_118],
      ['logo.jpg', 4_210],
    ],
    cors: true,
    tags: [
      ['project', 'sailjada'],
      ['owner', 'jada'],
    ],
  },
  {
    domain: 'salejada.com',
    created: '2022-06-02T09:20:13',
    title: 'Sale Jada: charter gift cards',
    images: [
      ['hero.jpg', 12_345],
      ['logo.jpg', 3_999],
    ],
    cors: false,
  },
];

function seedSites(model: AccountModel): void {
  for (const site of SITES) {
    const bucket = addBucket(model, site.domain, {
      region: model.homeRegion,
      creationDate: day(site.created),
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'PublicReadGetObject',
            Effect: 'Allow',
            Principal: '*',
            Action: 's3:GetObject',
            Resource: `arn:aws:s3:::${site.domain}/*`,
          },
        ],
      }),
      ...(site.domain === 'sailjada.com' ? { publicAccessBlock: OPEN_FOR_WEBSITE } : {}),
      encryption: AES256,
      website: { IndexDocument: { Suffix: 'index.html' }, ErrorDocument: { Key: '404.html' } },
      ...(site.cors
        ? {
            cors: [
              {
                AllowedHeaders: ['*'],
                AllowedMethods: ['GET', 'HEAD'],
                AllowedOrigins: [`https://${site.domain}`, `https://www.${site.domain}`],
                ExposeHeaders: ['ETag'],
                MaxAgeSeconds: 3000,
              },
            ],
          }
        : {}),
      logging: { TargetBucket: LOGS_BUCKET, TargetPrefix: `${site.domain}/` },
      eventBridge: true,
      ...(site.tags ? { tags: site.tags.map(([Key, Value]) => ({ Key, Value })) } : {}),
    });
    const page = (name: string, heading: string) =>
      utf8(
        `<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>${site.title}</title>` +
          `<link rel="stylesheet" href="/css/site.css"></head>\n<body>\n<h1>${heading}</h1>\n` +
          `<p>${site.title}. ${name} page.</p>\n`.repeat(12) +
          `<img src="/images/${site.images[0]?.[0]}" alt="${site.domain}">\n</body>\n</html>\n`,
      );
    put(model, bucket, 'index.html', '2024-04-28T16:05:11', {
      body: page('Home', site.title),
      contentType: HTML,
      cacheControl: PAGE_CACHE,
    });
    put(model, bucket, 'about.html', '2024-03-02T10:41:37', {
      body: page('About', `About ${site.domain}`),
      contentType: HTML,
      cacheControl: PAGE_CACHE,
    });
    put(model, bucket, '404.html', site.created.replace(/T.*/, 'T20:00:00'), {
      body: page('Not found', 'Page not found'),
      contentType: HTML,
      cacheControl: PAGE_CACHE,
    });
    put(model, bucket, 'css/site.css', '2024-01-19T08:30:00', {
      body: utf8(
        `/* ${site.domain} */\n${'body{font-family:Georgia,serif;margin:0 auto;max-width:60rem}\n'.repeat(40)}`,
      ),
      contentType: 'text/css',
      cacheControl: 'max-age=86400',
    });
    for (const [name, size] of site.images) {
      put(model, bucket, `images/${name}`, '2023-11-05T14:12:09', {
        body: binaryBody(model.random, size, JPEG_HEADER),
        contentType: 'image/jpeg',
        cacheControl: ASSET_CACHE,
      });
    }
  }
}

function seedMedia(model: AccountModel, generated: number): void {
  const kmsKey = `arn:aws:kms:${model.homeRegion}:${model.accountId}:key/2f6c9d1e-8b3a-4c5d-9e7f-0a1b2c3d4e5f`;
  const bucket = addBucket(model, MEDIA_BUCKET, {
    region: model.homeRegion,
    creationDate: day('2022-07-10T11:03:27'),
    versioning: 'Enabled',
    ownership: 'BucketOwnerEnforced',
    publicAccessBlock: BLOCK_ALL,
    encryption: {
      Rules: [
        {
          ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: kmsKey },
          BucketKeyEnabled: true,
        },
      ],
    },
    lifecycle: [
      {
        ID: 'archive-after-a-year',
        Filter: { Prefix: '' },
        Status: 'Enabled',
        Transitions: [{ Days: 365, StorageClass: 'GLACIER' }],
        NoncurrentVersionExpiration: { NoncurrentDays: 90 },
      },
    ],
    eventBridge: true,
    tags: [
      { Key: 'project', Value: 'sailjada' },
      { Key: 'data-classification', Value: 'internal' },
      { Key: 'cost-center', Value: 'marketing' },
    ],
  });
  const photo = (size: number) => binaryBody(model.random, size, JPEG_HEADER);
  const pdf = (title: string, size: number) => binaryBody(model.random, size, utf8(`%PDF-1.7\n% ${title}\n`));
  [38_912, 97_280, 160_000, 55_555, 120_310].forEach((size, i) => {
    put(model, bucket, `photos/2023/regatta-0${i + 1}.jpg`, `2023-09-1${i}T17:2${i}:00`, {
      body: photo(size),
      contentType: 'image/jpeg',
    });
  });
  put(model, bucket, 'documents/charter-waiver.pdf', '2024-03-02T09:15:44', {
    body: pdf('Charter waiver', 48_211),
    contentType: 'application/pdf',
    contentDisposition: 'attachment; filename="charter-waiver.pdf"',
    metadata: { author: 'jada', reviewed: '2024-03-01' },
    tags: [
      { Key: 'classification', Value: 'internal' },
      { Key: 'retention', Value: '7y' },
    ],
  });
  // Two versions of the price list, and a flyer that was deleted (a delete marker over its only version).
  put(model, bucket, 'documents/price-list.pdf', '2023-12-01T12:00:00', {
    body: pdf('Price list 2023', 20_480),
    contentType: 'application/pdf',
  });
  put(model, bucket, 'documents/price-list.pdf', '2024-02-15T12:00:00', {
    body: pdf('Price list 2024', 21_733),
    contentType: 'application/pdf',
  });
  put(model, bucket, 'drafts/old-flyer.pdf', '2023-05-20T08:00:00', {
    body: pdf('Old flyer', 9_001),
    contentType: 'application/pdf',
  });
  bucket.delete('drafts/old-flyer.pdf', day('2023-08-01T08:00:00'), model.random);
  const tar = (name: string, size: number) => binaryBody(model.random, size, utf8(name.padEnd(100, '\0')));
  put(model, bucket, 'archive/2019-raw.tar', '2020-01-03T22:10:00', {
    body: tar('2019-raw/', 180_224),
    contentType: 'application/x-tar',
    storageClass: 'DEEP_ARCHIVE',
    checksumAlgorithm: undefined,
  });
  put(model, bucket, 'archive/2020-raw.tar', '2021-01-04T22:10:00', {
    body: tar('2020-raw/', 102_400),
    contentType: 'application/x-tar',
    storageClass: 'GLACIER',
    checksumAlgorithm: undefined,
  });
  seedGeneratedObjects(model, bucket, generated);
}

/** Benchmark objects: mostly small (1–16 KiB), one in five larger (up to 200 KiB), sliced from one byte pool. */
function seedGeneratedObjects(model: AccountModel, bucket: SimBucket, count: number): void {
  if (count <= 0) return;
  const pool = new BytePool(model.random, 256 * 1024);
  const base = day('2024-04-01T00:00:00').getTime();
  for (let i = 0; i < count; i++) {
    const large = model.random.next() % 5 === 0;
    const size = large ? model.random.int(16 * 1024, 200 * 1024) : model.random.int(1024, 16 * 1024);
    const key = `generated/batch-${String(Math.floor(i / 100)).padStart(3, '0')}/object-${String(i).padStart(6, '0')}.bin`;
    bucket.put(
      key,
      {
        body: pool.body(key, size, i * 7919),
        contentType: 'application/octet-stream',
        checksumAlgorithm: 'CRC64NVME',
      },
      new Date(base - i * 60_000),
      model.random,
    );
  }
}

function seedLogs(model: AccountModel): void {
  const common = {
    publicAccessBlock: BLOCK_ALL,
    encryption: AES256,
    eventBridge: false,
    versioning: 'Enabled' as const,
  };
  const logs = addBucket(model, LOGS_BUCKET, {
    ...common,
    region: model.homeRegion,
    creationDate: day('2021-03-14T18:20:41'),
    ownership: 'BucketOwnerPreferred',
    extraGrants: LOG_DELIVERY,
    lifecycle: [
      {
        ID: 'expire-access-logs',
        Filter: { Prefix: '' },
        Status: 'Enabled',
        Expiration: { Days: 90 },
        NoncurrentVersionExpiration: { NoncurrentDays: 7 },
      },
    ],
    replication: {
      Role: `arn:aws:iam::${model.accountId}:role/s3-replication-${LOGS_BUCKET}`,
      Rules: [
        {
          ID: 'replicate-to-second-region',
          Priority: 1,
          Filter: { Prefix: '' },
          Status: 'Enabled',
          Destination: { Bucket: `arn:aws:s3:::${LOGS_REPLICA_BUCKET}`, StorageClass: 'STANDARD_IA' },
          DeleteMarkerReplication: { Status: 'Disabled' },
        },
      ],
    },
    tags: [{ Key: 'purpose', Value: 'access-logs' }],
  });
  const replica = addBucket(model, LOGS_REPLICA_BUCKET, {
    ...common,
    region: replicaRegion(model.homeRegion),
    creationDate: day('2023-02-07T15:48:02'),
    ownership: 'BucketOwnerEnforced',
  });
  SITE_DOMAINS.forEach((domain, d) => {
    for (let n = 0; n < 3; n++) {
      const at = `2024-04-30T2${d}:${String(10 + n * 17).padStart(2, '0')}:0${n}`;
      const key = `${domain}/${at.replace(/[T:]/g, '-')}-${model.random.hex(16).toUpperCase()}`;
      const line = (i: number) =>
        `${model.canonicalUserId} ${domain} [30/Apr/2024:2${d}:0${i}:00 +0000] 203.0.113.${10 + i} - ` +
        `${model.random.hex(16).toUpperCase()} WEBSITE.GET.OBJECT index.html "GET /index.html HTTP/1.1" 200 - 2048 2048 12 - "-" "Mozilla/5.0" -\n`;
      const body = utf8(Array.from({ length: 8 + n * 5 }, (_, i) => line(i)).join(''));
      put(model, logs, key, at, { body, contentType: 'text/plain', checksumAlgorithm: undefined });
      put(model, replica, key, at, {
        body,
        contentType: 'text/plain',
        storageClass: 'STANDARD_IA',
        checksumAlgorithm: undefined,
      });
    }
  });
}
