/** Options of {@link SimulatedAccount.start}. */
export interface SimulatedAccountOptions {
  /** @default '123456789012' */
  readonly accountId?: string;
  /** Home region: where the Lambda functions and most buckets live. @default 'us-east-1' */
  readonly region?: string;
  /**
   * Extra generated content for benchmarks: `objects` more objects in the media bucket under `generated/`
   * (1 KiB to 200 KiB each), and `functions` more functions `fn-0001`… sharing a handful of zips.
   * @default { objects: 0, functions: 0 }
   */
  readonly scale?: { readonly objects?: number; readonly functions?: number };
  /** Clock for event times and for the `LastModified` of changes. @default () => new Date() */
  readonly now?: () => Date;
}

/** Who made a change, as CloudTrail's `userIdentity` records it. */
export interface SimulatedUserIdentity {
  readonly type: 'IAMUser' | 'AssumedRole';
  readonly principalId: string;
  readonly arn: string;
  readonly accountId: string;
  readonly accessKeyId: string;
  readonly userName?: string;
  readonly sessionContext?: {
    readonly attributes: { readonly creationDate: string; readonly mfaAuthenticated: 'true' | 'false' };
  };
}

/** One CloudTrail record as the simulation writes it: the `detail` of an "AWS API Call via CloudTrail" event. */
export interface SimulatedCloudTrailRecord {
  readonly eventVersion: string;
  readonly userIdentity: SimulatedUserIdentity;
  readonly eventTime: string;
  readonly eventSource: 's3.amazonaws.com' | 'lambda.amazonaws.com';
  readonly eventName: string;
  readonly awsRegion: string;
  readonly sourceIPAddress: string;
  readonly userAgent: string;
  readonly requestParameters: Record<string, unknown> | null;
  readonly responseElements: Record<string, unknown> | null;
  readonly additionalEventData?: Record<string, unknown>;
  readonly requestID: string;
  readonly eventID: string;
  readonly readOnly: boolean;
  readonly resources?: ReadonlyArray<{
    readonly type: string;
    readonly ARN: string;
    readonly accountId?: string;
  }>;
  readonly eventType: 'AwsApiCall';
  readonly managementEvent: boolean;
  readonly recipientAccountId: string;
  readonly eventCategory: 'Management' | 'Data';
  readonly tlsDetails?: {
    readonly tlsVersion: string;
    readonly cipherSuite: string;
    readonly clientProvidedHostHeader: string;
  };
}

/** An EventBridge event of detail type "AWS API Call via CloudTrail", as delivered to a rule's target. */
export interface EventBridgeApiCallEnvelope {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': 'AWS API Call via CloudTrail';
  readonly source: 'aws.s3' | 'aws.lambda';
  readonly account: string;
  /** `YYYY-MM-DDTHH:MM:SSZ` */
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: SimulatedCloudTrailRecord;
}

/** S3's own EventBridge notification ("Object Created" / "Object Deleted"), sent when the bucket enables EventBridge. */
export interface S3ObjectNotification {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': 'Object Created' | 'Object Deleted';
  readonly source: 'aws.s3';
  readonly account: string;
  readonly time: string;
  readonly region: string;
  /** `arn:aws:s3:::<bucket>` */
  readonly resources: readonly string[];
  readonly detail: {
    readonly version: '0';
    readonly bucket: { readonly name: string };
    readonly object: {
      readonly key: string;
      /** Absent on deletions. */
      readonly size?: number;
      /** md5 hex, without quotes; for a delete marker the md5 of nothing; absent on permanent deletions. */
      readonly etag?: string;
      /** Only in versioned buckets. */
      readonly 'version-id'?: string;
      readonly sequencer: string;
    };
    readonly 'request-id': string;
    readonly requester: string;
    readonly 'source-ip-address': string;
    readonly reason: 'PutObject' | 'DeleteObject';
    /** Only on "Object Deleted". */
    readonly 'deletion-type'?: 'Delete Marker Created' | 'Permanently Deleted';
  };
}

/** An event the simulated account emits when it changes. */
export type SimulatedEvent = EventBridgeApiCallEnvelope | S3ObjectNotification;
