/** Options of {@link SimulatedAccount.start}. */
export interface SimulatedAccountOptions {
  /** @default '123456789012' */
  readonly accountId?: string;
  /** Home region: where the Lambda functions and most buckets live. @default 'us-east-1' */
  readonly region?: string;
  /**
   * Extra generated content for benchmarks: `objects` more objects in the media bucket under `generated/`
   * (1 KiB to 200 KiB each), `functions` more functions `fn-0001`… sharing a handful of zips, and more of each
   * other service's resources (see {@link SimulatedScale}).
   * @default every count 0
   */
  readonly scale?: SimulatedScale;
  /** Clock for event times and for the `LastModified` of changes. @default () => new Date() */
  readonly now?: () => Date;
}

/** How many generated resources the simulated account holds beyond the business's own. */
export interface SimulatedScale {
  readonly objects?: number;
  readonly functions?: number;
  /** More small buckets `assets-0001`…, three objects each. */
  readonly buckets?: number;
  /** More Amazon-issued ACM certificates `app-0001.sailjada.com`… in the home region, not in use. */
  readonly certificates?: number;
  /** More public hosted zones `site-0001.sailjada-charters.com`…, twenty records each. */
  readonly hostedZones?: number;
  /** More CloudFront distributions for campaign pages (`campaign landing page 0001`…) on the media bucket. */
  readonly distributions?: number;
  /** More IAM roles `app-role-0001`… (Lambda roles, one site bucket each). */
  readonly iamRoles?: number;
  /** More IAM users `user-0001`… under `/staff/`, in `developers`, some with console access or an access key. */
  readonly iamUsers?: number;
  /** More REST APIs `campaign-api-0001`… with one mock `GET /` method and no stage. */
  readonly restApis?: number;
  /** More scheduled EventBridge rules `generated-rule-0001`… on the default bus, each invoking `fn-0001`…. */
  readonly eventRules?: number;
  /** More verified SES email address identities `crew-0001@sailjada.com`… in the home region. */
  readonly emailIdentities?: number;
  /** More running Lightsail instances `lab-0001`… (Ubuntu, micro_3_0), untagged. */
  readonly lightsailInstances?: number;
  /** More small on-demand DynamoDB tables `table-0001`…, three booking items each. */
  readonly tables?: number;
  /** Items of the DynamoDB table `booking-archive` (PITR on), generated on demand; no such table when 0. */
  readonly largeTableItems?: number;
  /** Size in bytes of each `booking-archive` item. @default 1024 */
  readonly itemSize?: number;
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
  /** `s3.amazonaws.com`, `cloudfront.amazonaws.com`… */
  readonly eventSource: string;
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
  /** `aws.` and the service of the event source (`aws.cloudfront`). */
  readonly source: string;
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
    readonly reason: 'PutObject' | 'CopyObject' | 'CompleteMultipartUpload' | 'DeleteObject';
    /** Only on "Object Deleted". */
    readonly 'deletion-type'?: 'Delete Marker Created' | 'Permanently Deleted';
  };
}

/** ACM's daily EventBridge warning about a certificate nearing its `NotAfter`: a notice, not a change. */
export interface AcmCertificateApproachingExpiration {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': 'ACM Certificate Approaching Expiration';
  readonly source: 'aws.acm';
  readonly account: string;
  readonly time: string;
  /** The certificate's region. */
  readonly region: string;
  /** The certificate ARN. */
  readonly resources: readonly string[];
  readonly detail: { readonly DaysToExpiry: number; readonly CommonName: string };
}

/** An event the simulated account emits when it changes. */
export type SimulatedEvent =
  | EventBridgeApiCallEnvelope
  | S3ObjectNotification
  | AcmCertificateApproachingExpiration;
