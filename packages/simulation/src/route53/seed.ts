import type {
  HealthCheckConfig,
  KeySigningKey,
  ResourceRecordSet,
  RRType,
  VPC,
} from '@aws-sdk/client-route-53';
import type { AccountModel } from '../model.js';
import type { SeededRandom } from '../random.js';
import { SITE_DOMAINS, seedDate } from '../seed-names.js';
import type { SiteEdge } from '../service-simulator.js';
import {
  CLOUDFRONT_ALIAS_ZONE_ID,
  plainRecord,
  type Route53State,
  recordKey,
  recordName,
  type SimHealthCheck,
  type SimHostedZone,
} from './model.js';

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The domain the generated benchmark zones sit under: `site-0001.sailjada-charters.com`… */
const GENERATED_PARENT = 'sailjada-charters.com';

/** Google Workspace's mail exchangers, as the business's domains receive mail. */
const GOOGLE_MX = [
  '1 aspmx.l.google.com.',
  '5 alt1.aspmx.l.google.com.',
  '5 alt2.aspmx.l.google.com.',
  '10 alt3.aspmx.l.google.com.',
  '10 alt4.aspmx.l.google.com.',
];

const SPF = '"v=spf1 include:_spf.google.com include:amazonses.com ~all"';

/** What is particular to each of the business's zones. */
const SITE_ZONES: Readonly<Record<(typeof SITE_DOMAINS)[number], { comment: string; costCenter: string }>> = {
  'queenofsandiego.com': { comment: 'HostedZone created by Route53 Registrar', costCenter: 'charters' },
  'sailjada.com': { comment: 'sailjada.com website, mail and booking API', costCenter: 'charters' },
  'salejada.com': { comment: 'Typo domain redirecting to sailjada.com', costCenter: 'marketing' },
};

/** The public zone with query logging, and the one signed with DNSSEC. */
const LOGGED_ZONE = 'queenofsandiego.com';
const SIGNED_ZONE = 'sailjada.com';
/** The booking API's records (failover and weighted pairs) and its health check live in this zone. */
const API_ZONE = 'sailjada.com';

/**
 * Seeds the business's Route 53 configuration: a public zone per website domain (SOA, NS, apex and `www` aliases to
 * a CloudFront distribution, Google mail, SPF and site verification, SES verification and DKIM, ACM validation), the
 * booking API's failover and weighted records with their HTTPS health check, query logging on one zone and DNSSEC
 * signing on another; then `extraZones` generated zones of twenty records each.
 */
export function seedRoute53(
  state: Route53State,
  model: AccountModel,
  extraZones: number,
  edges?: (domain: string) => Pick<SiteEdge, 'distributionDomain' | 'validationRecords'>,
): void {
  const random = model.random;
  const healthCheck = apiHealthCheck(random);
  state.healthChecks.set(healthCheck.id, healthCheck);
  for (const domain of SITE_DOMAINS) {
    const { comment, costCenter } = SITE_ZONES[domain];
    const zone = publicZone(random, domain, comment, [
      { Key: 'site', Value: domain },
      { Key: 'cost-center', Value: costCenter },
    ]);
    addRecords(zone, siteRecords(random, domain, [domain, `www.${domain}`], edges?.(domain)));
    if (domain === API_ZONE) addRecords(zone, apiRecords(domain, healthCheck.id));
    if (domain === SIGNED_ZONE) {
      zone.dnssec = { serveSignature: 'SIGNING', keySigningKeys: [keySigningKey(random, model, domain)] };
    }
    if (domain === LOGGED_ZONE) {
      state.queryLoggingConfigs.push({
        id: random.uuid(),
        hostedZoneId: zone.id,
        logGroupArn: `arn:aws:logs:us-east-1:${model.accountId}:log-group:/aws/route53/${domain}`,
      });
    }
    state.zones.set(zone.id, zone);
  }
  for (let i = 1; i <= extraZones; i++) {
    const domain = `site-${String(i).padStart(4, '0')}.${GENERATED_PARENT}`;
    const zone = publicZone(random, domain, `Generated zone ${i}`, [{ Key: 'generated', Value: 'true' }]);
    // Generated zones validate only their apex name, which keeps them at twenty records.
    addRecords(zone, [...siteRecords(random, domain, [domain]), ...routingRecords(domain)]);
    state.zones.set(zone.id, zone);
  }
}

/** A new hosted zone id: `Z0` and nineteen upper-case alphanumerics, like the ids Route 53 issues today. */
function newZoneId(random: SeededRandom): string {
  return `Z0${random.chars(19, UPPER_ALNUM)}`;
}

/** A public zone with its delegation set and the SOA and NS records Route 53 creates with it. */
export function publicZone(
  random: SeededRandom,
  domain: string,
  comment: string | undefined,
  tags: SimHostedZone['tags'],
): SimHostedZone {
  const nameServers = [
    `ns-${random.int(1024, 1535)}.awsdns-${twoDigits(random)}.org`,
    `ns-${random.int(1536, 2047)}.awsdns-${twoDigits(random)}.co.uk`,
    `ns-${random.int(0, 511)}.awsdns-${twoDigits(random)}.com`,
    `ns-${random.int(512, 1023)}.awsdns-${twoDigits(random)}.net`,
  ];
  const zone: SimHostedZone = {
    id: newZoneId(random),
    name: recordName(domain),
    callerReference: random.uuid(),
    ...(comment === undefined ? {} : { comment }),
    nameServers,
    records: new Map(),
    tags,
  };
  addRecords(zone, defaultRecords(domain, nameServers));
  return zone;
}

/** The name servers Route 53 lists in every private zone's NS record. */
const PRIVATE_NAME_SERVERS = [
  'ns-1536.awsdns-00.co.uk',
  'ns-0.awsdns-00.com',
  'ns-1024.awsdns-00.org',
  'ns-512.awsdns-00.net',
];

/** A private zone associated with one VPC, with the SOA and NS records Route 53 creates with it. */
export function privateZone(
  random: SeededRandom,
  domain: string,
  comment: string | undefined,
  vpc: VPC,
): SimHostedZone {
  const zone: SimHostedZone = {
    id: newZoneId(random),
    name: recordName(domain),
    callerReference: random.uuid(),
    ...(comment === undefined ? {} : { comment }),
    vpcs: [{ ...vpc }],
    nameServers: PRIVATE_NAME_SERVERS,
    records: new Map(),
    tags: [],
  };
  addRecords(zone, defaultRecords(domain, PRIVATE_NAME_SERVERS));
  return zone;
}

/** The SOA and NS records Route 53 creates in every new zone. */
function defaultRecords(domain: string, nameServers: readonly string[]): ResourceRecordSet[] {
  return [
    plainRecord(domain, 'SOA', 900, [
      `${nameServers[0]}. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400`,
    ]),
    plainRecord(
      domain,
      'NS',
      172_800,
      nameServers.map((server) => `${server}.`),
    ),
  ];
}

function addRecords(zone: SimHostedZone, records: readonly ResourceRecordSet[]): void {
  for (const record of records) zone.records.set(recordKey(record), record);
}

function twoDigits(random: SeededRandom): string {
  return String(random.int(0, 63)).padStart(2, '0');
}

/**
 * A website's records: CloudFront aliases, mail, verification, and the validation records of its certificate's
 * names.
 */
function siteRecords(
  random: SeededRandom,
  domain: string,
  certificateNames: readonly string[],
  edge?: Pick<SiteEdge, 'distributionDomain' | 'validationRecords'>,
): ResourceRecordSet[] {
  const distribution = edge
    ? `${edge.distributionDomain}.`
    : `d${random.chars(13, LOWER_ALNUM)}.cloudfront.net.`;
  const alias = (name: string, type: RRType): ResourceRecordSet => ({
    Name: recordName(name),
    Type: type,
    AliasTarget: {
      HostedZoneId: CLOUDFRONT_ALIAS_ZONE_ID,
      DNSName: distribution,
      EvaluateTargetHealth: false,
    },
  });
  const verification = `"google-site-verification=${random.chars(43, BASE64_URL)}"`;
  const dkim = [1, 2, 3].map(() => random.chars(32, LOWER_ALNUM));
  const acm =
    edge?.validationRecords ??
    certificateNames.map((name) => ({
      name: `_${random.hex(32)}.${name}`,
      value: `_${random.hex(32)}.${random.chars(10, 'abcdefghijklmnopqrstuvwxyz')}.acm-validations.aws.`,
    }));
  return [
    alias(domain, 'A'),
    alias(domain, 'AAAA'),
    alias(`www.${domain}`, 'A'),
    alias(`www.${domain}`, 'AAAA'),
    plainRecord(domain, 'MX', 3600, GOOGLE_MX),
    plainRecord(domain, 'TXT', 300, [SPF, verification]),
    plainRecord(`_amazonses.${domain}`, 'TXT', 1800, [`"${random.chars(43, BASE64)}="`]),
    ...dkim.map((token) =>
      plainRecord(`${token}._domainkey.${domain}`, 'CNAME', 1800, [`${token}.dkim.amazonses.com`]),
    ),
    ...acm.map(({ name, value }) => plainRecord(name, 'CNAME', 300, [value])),
  ];
}

/**
 * The booking API: a failover pair of A records (the primary checked by the health check) and a weighted pair of
 * AAAA records sending a tenth of IPv6 traffic to the new release.
 */
function apiRecords(domain: string, healthCheckId: string): ResourceRecordSet[] {
  const api = recordName(`api.${domain}`);
  return [
    {
      ...plainRecord(api, 'A', 60, ['203.0.113.10']),
      SetIdentifier: 'api-primary',
      Failover: 'PRIMARY',
      HealthCheckId: healthCheckId,
    },
    {
      ...plainRecord(api, 'A', 60, ['198.51.100.20']),
      SetIdentifier: 'api-secondary',
      Failover: 'SECONDARY',
    },
    { ...plainRecord(api, 'AAAA', 60, ['2001:db8:10::10']), SetIdentifier: 'api-blue', Weight: 90 },
    { ...plainRecord(api, 'AAAA', 60, ['2001:db8:20::10']), SetIdentifier: 'api-green', Weight: 10 },
  ];
}

/** Latency, geolocation and multivalue answer records, so generated zones exercise every routing policy field. */
function routingRecords(domain: string): ResourceRecordSet[] {
  const app = recordName(`app.${domain}`);
  const shop = recordName(`shop.${domain}`);
  const mail = recordName(`mail.${domain}`);
  return [
    { ...plainRecord(app, 'A', 60, ['203.0.113.30']), SetIdentifier: 'app-us-east-1', Region: 'us-east-1' },
    { ...plainRecord(app, 'A', 60, ['203.0.113.40']), SetIdentifier: 'app-eu-west-1', Region: 'eu-west-1' },
    {
      ...plainRecord(shop, 'A', 300, ['198.51.100.30']),
      SetIdentifier: 'shop-north-america',
      GeoLocation: { ContinentCode: 'NA' },
    },
    {
      ...plainRecord(shop, 'A', 300, ['198.51.100.40']),
      SetIdentifier: 'shop-default',
      GeoLocation: { CountryCode: '*' },
    },
    ...[1, 2, 3].map((n) => ({
      ...plainRecord(mail, 'A', 300, [`192.0.2.${10 + n}`]),
      SetIdentifier: `mail-${n}`,
      MultiValueAnswer: true,
    })),
  ];
}

/** The HTTPS health check of the booking API's primary endpoint. */
function apiHealthCheck(random: SeededRandom): SimHealthCheck {
  const config: HealthCheckConfig = {
    IPAddress: '203.0.113.10',
    Port: 443,
    Type: 'HTTPS',
    ResourcePath: '/health',
    FullyQualifiedDomainName: `api.${API_ZONE}`,
    RequestInterval: 30,
    FailureThreshold: 3,
    MeasureLatency: false,
    Inverted: false,
    Disabled: false,
    EnableSNI: true,
    Regions: ['us-east-1', 'us-west-1', 'us-west-2'],
  };
  return {
    id: random.uuid(),
    callerReference: random.uuid(),
    config,
    version: 1,
    tags: [{ Key: 'Name', Value: `api.${API_ZONE} /health` }],
  };
}

/** An active ECDSA P-256 key-signing key backed by a KMS key, as `GetDNSSEC` describes it. */
function keySigningKey(random: SeededRandom, model: AccountModel, domain: string): KeySigningKey {
  const keyTag = random.int(1, 65_535);
  const digest = random.hex(64).toUpperCase();
  const publicKey = Buffer.from(random.bytes(64)).toString('base64');
  return {
    Name: `${domain.replaceAll('.', '_')}_ksk`,
    KmsArn: `arn:aws:kms:us-east-1:${model.accountId}:key/${random.uuid()}`,
    Flag: 257,
    SigningAlgorithmMnemonic: 'ECDSAP256SHA256',
    SigningAlgorithmType: 13,
    DigestAlgorithmMnemonic: 'SHA-256',
    DigestAlgorithmType: 2,
    KeyTag: keyTag,
    DigestValue: digest,
    PublicKey: publicKey,
    DSRecord: `${keyTag} 13 2 ${digest}`,
    DNSKEYRecord: `257 3 13 ${publicKey}`,
    Status: 'ACTIVE',
    CreatedDate: seedDate('2024-03-02T17:20:11'),
    LastModifiedDate: seedDate('2024-03-02T17:24:36'),
  };
}
