import { buildZip } from './content.js';
import type { AccountModel, FunctionSettings, FunctionVersion, SimFunction } from './model.js';
import {
  seedDate as day,
  MEDIA_BUCKET,
  SIMULATED_SMTP_PASSWORD,
  SIMULATED_STRIPE_SECRET_KEY,
} from './seed-names.js';

const NODE_BOOKING_V1 = `import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
const db = new DynamoDBClient({});
export const handler = async (event) => {
  const booking = JSON.parse(event.body ?? '{}');
  await db.send(new PutItemCommand({ TableName: process.env.TABLE_NAME, Item: { id: { S: booking.id } } }));
  return { statusCode: 201, body: JSON.stringify({ ok: true }) };
};
`;

const NODE_BOOKING_V2 = `import Stripe from 'stripe';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY);
const db = new DynamoDBClient({});
export const handler = async (event) => {
  const signature = event.headers?.['stripe-signature'];
  const session = stripe.webhooks.constructEvent(event.body, signature, process.env.STRIPE_WEBHOOK_SECRET ?? '');
  const booking = session.data.object;
  await db.send(new PutItemCommand({
    TableName: process.env.TABLE_NAME,
    Item: { id: { S: booking.id }, email: { S: booking.customer_details?.email ?? '' } },
  }));
  return { statusCode: 200, body: JSON.stringify({ received: true }) };
};
`;

const PYTHON_EMAIL = `import os
import smtplib
from email.message import EmailMessage


def lambda_handler(event, context):
    message = EmailMessage()
    message["From"] = os.environ["SES_FROM"]
    message["To"] = event["to"]
    message["Subject"] = event.get("subject", "Your booking")
    message.set_content(event.get("body", ""))
    with smtplib.SMTP(os.environ["SMTP_HOST"], 587) as smtp:
        smtp.starttls()
        smtp.login(os.environ.get("SMTP_USER", "ses-smtp-user"), os.environ["SMTP_PASSWORD"])
        smtp.send_message(message)
    return {"sent": True}
`;

const NODE_RESIZER = `import sharp from 'sharp';
import { S3Client, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
const s3 = new S3Client({});
export const handler = async (event) => {
  for (const record of event.Records) {
    const { key } = JSON.parse(record.body);
    const original = await s3.send(new GetObjectCommand({ Bucket: process.env.MEDIA_BUCKET, Key: key }));
    const resized = await sharp(await original.Body.transformToByteArray())
      .resize({ width: Number(process.env.MAX_WIDTH) })
      .toBuffer();
    await s3.send(new PutObjectCommand({ Bucket: process.env.MEDIA_BUCKET, Key: \`resized/\${key}\`, Body: resized }));
  }
};
`;

const PACKAGE_JSON = (name: string) =>
  `${JSON.stringify({ name, version: '1.0.0', type: 'module' }, null, 2)}\n`;

/** Adds booking-handler, email-sender and image-resizer (with their versions, alias, policy, URL and mapping), and
 * `generated` benchmark functions. */
export function seedFunctions(model: AccountModel, generated: number): void {
  const account = model.accountId;
  const region = model.homeRegion;
  const node = runtime(model, 'nodejs20.x');
  const python = runtime(model, 'python3.12');

  const bookingV1 = model.codePackage(
    buildZip({ 'index.mjs': NODE_BOOKING_V1, 'package.json': PACKAGE_JSON('booking-handler') }),
  );
  const bookingV2 = model.codePackage(
    buildZip({ 'index.mjs': NODE_BOOKING_V2, 'package.json': PACKAGE_JSON('booking-handler') }),
  );
  const bookingSettings: FunctionSettings = {
    ...node,
    handler: 'index.handler',
    role: `arn:aws:iam::${account}:role/booking-handler-role`,
    description: 'Stripe checkout webhook and booking writer for queenofsandiego.com',
    timeout: 15,
    memorySize: 256,
    architectures: ['arm64'],
    ephemeralStorageSize: 512,
    tracingMode: 'Active',
    environment: {
      STRIPE_SECRET_KEY: SIMULATED_STRIPE_SECRET_KEY,
      TABLE_NAME: 'queenofsandiego-bookings',
      NODE_OPTIONS: '--enable-source-maps',
    },
    layers: [],
    deadLetterTargetArn: `arn:aws:sqs:${region}:${account}:booking-handler-dlq`,
    logFormat: 'JSON',
  };
  const v1 = version(
    model,
    '1',
    { ...bookingSettings, description: 'Booking writer (before Stripe)' },
    bookingV1,
    '2024-02-10T19:44:12',
  );
  const v2 = version(model, '2', bookingSettings, bookingV2, '2024-04-20T15:02:33');
  addFunction(model, {
    name: 'booking-handler',
    latest: version(model, '$LATEST', bookingSettings, bookingV2, '2024-04-20T15:02:33'),
    published: [v1, v2],
    aliases: [
      {
        name: 'live',
        functionVersion: '2',
        description: 'Production traffic',
        revisionId: model.random.uuid(),
      },
    ],
    policy: {
      Version: '2012-10-17',
      Id: 'default',
      Statement: [
        {
          Sid: 'apigateway-invoke-bookings',
          Effect: 'Allow',
          Principal: { Service: 'apigateway.amazonaws.com' },
          Action: 'lambda:InvokeFunction',
          Resource: model.functionArn('booking-handler'),
          Condition: {
            ArnLike: {
              'AWS:SourceArn': `arn:aws:execute-api:${region}:${account}:k3x9q2m7ab/*/POST/bookings`,
            },
          },
        },
        {
          Sid: 'FunctionURLAllowPublicAccess',
          Effect: 'Allow',
          Principal: '*',
          Action: 'lambda:InvokeFunctionUrl',
          Resource: model.functionArn('booking-handler'),
          Condition: { StringEquals: { 'lambda:FunctionUrlAuthType': 'NONE' } },
        },
      ],
    },
    url: {
      urlId: model.random.chars(32, 'abcdefghijklmnopqrstuvwxyz234567'),
      authType: 'NONE',
      cors: { AllowOrigins: ['https://queenofsandiego.com'], AllowMethods: ['POST'], MaxAge: 300 },
      creationTime: day('2024-02-10T19:50:03.120'),
      lastModifiedTime: day('2024-02-10T19:50:03.120'),
    },
    reservedConcurrency: 20,
    tags: { app: 'queenofsandiego', env: 'prod', owner: 'jada' },
  });

  addFunction(model, {
    name: 'email-sender',
    latest: version(
      model,
      '$LATEST',
      {
        ...python,
        handler: 'app.lambda_handler',
        role: `arn:aws:iam::${account}:role/email-sender-role`,
        description: 'Sends booking confirmations',
        timeout: 10,
        memorySize: 128,
        architectures: ['x86_64'],
        ephemeralStorageSize: 512,
        tracingMode: 'PassThrough',
        environment: {
          SES_FROM: 'bookings@queenofsandiego.com',
          SMTP_HOST: `email-smtp.${region}.amazonaws.com`,
          SMTP_PASSWORD: SIMULATED_SMTP_PASSWORD,
        },
        layers: [],
        logFormat: 'Text',
      },
      model.codePackage(buildZip({ 'app.py': PYTHON_EMAIL })),
      '2023-10-12T08:27:45',
    ),
    published: [],
    aliases: [],
    tags: { app: 'queenofsandiego', env: 'prod' },
    // Mail goes out rarely: Lambda has reclaimed the idle function's resources.
    status: {
      state: 'Inactive',
      stateReason: 'The function is inactive because it has not been invoked in a while.',
      stateReasonCode: 'Idle',
      lastUpdateStatus: 'Successful',
    },
  });

  addFunction(model, {
    name: 'image-resizer',
    latest: version(
      model,
      '$LATEST',
      {
        ...node,
        handler: 'index.handler',
        role: `arn:aws:iam::${account}:role/image-resizer-role`,
        description: 'Resizes uploaded photos for sailjada.com',
        timeout: 60,
        memorySize: 1024,
        architectures: ['x86_64'],
        ephemeralStorageSize: 2048,
        tracingMode: 'PassThrough',
        environment: { MEDIA_BUCKET, MAX_WIDTH: '1600' },
        layers: [{ Arn: `arn:aws:lambda:${region}:${account}:layer:sharp-nodejs20:4`, CodeSize: 9_876_543 }],
        logFormat: 'Text',
      },
      model.codePackage(
        buildZip({ 'index.mjs': NODE_RESIZER, 'package.json': PACKAGE_JSON('image-resizer') }),
      ),
      '2024-01-08T13:37:00',
    ),
    published: [],
    aliases: [],
    tags: { app: 'sailjada' },
    // An attempt to move it into a VPC failed: the role cannot create network interfaces.
    status: {
      state: 'Active',
      lastUpdateStatus: 'Failed',
      lastUpdateStatusReason:
        "The function's execution role does not have permissions to call CreateNetworkInterface on EC2.",
      lastUpdateStatusReasonCode: 'InsufficientRolePermissions',
    },
  });
  model.eventSourceMappings.push({
    uuid: model.random.uuid(),
    functionName: 'image-resizer',
    eventSourceArn: `arn:aws:sqs:${region}:${account}:image-resize-jobs`,
    batchSize: 10,
    maximumBatchingWindowInSeconds: 0,
    lastModified: day('2024-01-08T13:40:00'),
  });
  // Confirmation mails follow new bookings from the bookings table's stream.
  model.eventSourceMappings.push({
    uuid: model.random.uuid(),
    functionName: 'email-sender',
    eventSourceArn: `arn:aws:dynamodb:${region}:${account}:table/bookings/stream/2024-02-11T09:15:42.137`,
    batchSize: 100,
    maximumBatchingWindowInSeconds: 5,
    lastModified: day('2024-02-11T09:20:00'),
    stream: { startingPosition: 'LATEST', lastProcessingResult: 'No records processed' },
  });

  seedGeneratedFunctions(model, generated, node, python);
}

/** Benchmark functions `fn-0001`…: five zips shared round-robin, so code deduplication shows. */
function seedGeneratedFunctions(
  model: AccountModel,
  count: number,
  node: Pick<FunctionSettings, 'runtime' | 'runtimeVersionArn'>,
  python: Pick<FunctionSettings, 'runtime' | 'runtimeVersionArn'>,
): void {
  if (count <= 0) return;
  const packages = Array.from({ length: 5 }, (_, variant) =>
    model.codePackage(
      buildZip({
        'index.mjs': `export const handler = async () => ({ statusCode: 200, body: 'variant ${variant}' });\n`,
      }),
    ),
  );
  for (let i = 1; i <= count; i++) {
    const name = `fn-${String(i).padStart(4, '0')}`;
    const code = packages[i % packages.length] as (typeof packages)[number];
    addFunction(model, {
      name,
      latest: version(
        model,
        '$LATEST',
        {
          ...(i % 2 === 0 ? python : node),
          handler: 'index.handler',
          role: `arn:aws:iam::${model.accountId}:role/bench-function-role`,
          description: `Generated function ${i}`,
          timeout: 3,
          memorySize: 128,
          architectures: ['x86_64'],
          ephemeralStorageSize: 512,
          tracingMode: 'PassThrough',
          environment: { STAGE: 'bench', INDEX: String(i) },
          layers: [],
          logFormat: 'Text',
        },
        code,
        '2024-03-15T10:00:00',
      ),
      published: [],
      aliases: [],
      tags: { generated: 'true' },
    });
  }
}

function runtime(model: AccountModel, name: string): Pick<FunctionSettings, 'runtime' | 'runtimeVersionArn'> {
  return {
    runtime: name,
    runtimeVersionArn: `arn:aws:lambda:${model.homeRegion}::runtime:${model.random.hex(64)}`,
  };
}

function version(
  model: AccountModel,
  number: string,
  settings: FunctionSettings,
  code: FunctionVersion['code'],
  lastModified: string,
): FunctionVersion {
  return {
    version: number,
    settings,
    code,
    lastModified: day(lastModified),
    revisionId: model.random.uuid(),
  };
}

function addFunction(model: AccountModel, fn: SimFunction): void {
  model.functions.set(fn.name, fn);
}
