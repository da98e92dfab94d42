import type {
  AddOn,
  DomainEntry,
  InstanceMetadataOptions,
  IpAddressType,
  NetworkProtocol,
  Tag,
} from '@aws-sdk/client-lightsail';
import type { AccountModel } from '../model.js';
import { seedDate } from '../seed-names.js';

/** Where Lightsail keeps DNS zones: its domain APIs answer only in us-east-1. */
export const LIGHTSAIL_DNS_REGION = 'us-east-1';

/** What an instance bundle gives it. */
export interface BundleFacts {
  readonly cpuCount: number;
  readonly ramSizeInGb: number;
  readonly diskSizeInGb: number;
  readonly transferGbPerMonth: number;
}

/** The Linux bundles of the seed (the 2023 `_3_0` generation), by bundle id. */
export const BUNDLES: Readonly<Record<string, BundleFacts>> = {
  micro_3_0: { cpuCount: 2, ramSizeInGb: 1, diskSizeInGb: 40, transferGbPerMonth: 2048 },
  small_3_0: { cpuCount: 2, ramSizeInGb: 2, diskSizeInGb: 60, transferGbPerMonth: 3072 },
};

/** What a blueprint gives an instance. */
export interface BlueprintFacts {
  readonly name: string;
  /** The user an SSH session logs in as. */
  readonly username: string;
}

/** The blueprints of the seed, by blueprint id. */
export const BLUEPRINTS: Readonly<Record<string, BlueprintFacts>> = {
  wordpress: { name: 'WordPress', username: 'bitnami' },
  ubuntu_22_04: { name: 'Ubuntu', username: 'ubuntu' },
};

/** One firewall rule of an instance: a port range and protocol open to some sources. */
export interface PortRule {
  readonly fromPort: number;
  readonly toPort: number;
  readonly protocol: NetworkProtocol;
  readonly cidrs: readonly string[];
  readonly ipv6Cidrs: readonly string[];
  readonly cidrListAliases: readonly string[];
}

/** One Lightsail instance of the simulated account. */
export interface SimInstance {
  readonly name: string;
  readonly arn: string;
  readonly supportCode: string;
  readonly createdAt: Date;
  readonly region: string;
  readonly availabilityZone: string;
  readonly blueprintId: string;
  readonly bundleId: string;
  readonly privateIpAddress: string;
  /** The dynamic public address while running; replaced on each start, as AWS does. */
  publicIpAddress?: string;
  readonly ipv6Addresses: readonly string[];
  readonly ipAddressType: IpAddressType;
  state: 'running' | 'stopped';
  readonly sshKeyName: string;
  ports: PortRule[];
  addOns: AddOn[];
  tags: Tag[];
  readonly metadataOptions: InstanceMetadataOptions;
}

/** One static IP; `attachedTo` names the instance using it. */
export interface SimStaticIp {
  readonly name: string;
  readonly arn: string;
  readonly supportCode: string;
  readonly createdAt: Date;
  readonly region: string;
  readonly ipAddress: string;
  attachedTo?: string;
}

/** One Lightsail DNS zone, always in us-east-1. */
export interface SimDomain {
  readonly name: string;
  /** Always {@link LIGHTSAIL_DNS_REGION}. */
  readonly region: string;
  readonly arn: string;
  readonly supportCode: string;
  readonly createdAt: Date;
  readonly tags: Tag[];
  readonly entries: DomainEntry[];
}

/** One manual instance snapshot (the bytes stay with AWS; the simulation keeps only its description). */
export interface SimInstanceSnapshot {
  readonly name: string;
  readonly arn: string;
  readonly supportCode: string;
  readonly createdAt: Date;
  readonly region: string;
  readonly availabilityZone: string;
  readonly fromInstanceName: string;
  readonly fromInstanceArn: string;
  readonly fromBlueprintId: string;
  readonly fromBundleId: string;
  readonly sizeInGb: number;
}

/** The names of the seeded resources, for tests. */
export interface LightsailSeed {
  /** The WordPress instance, running, with a static IP attached. */
  readonly wordpress: string;
  /** The stopped instance. */
  readonly staging: string;
  /** The static IP attached to the WordPress instance. */
  readonly attachedStaticIp: string;
  /** The static IP attached to nothing. */
  readonly spareStaticIp: string;
  /** The Lightsail DNS zone. */
  readonly domain: string;
}

/** The office network, the only source allowed to reach the instances over SSH (besides the browser console). */
export const OFFICE_CIDR = '198.51.100.0/24';

/** Open to every IPv4 and IPv6 address. */
const ANYWHERE = { cidrs: ['0.0.0.0/0'], ipv6Cidrs: ['::/0'], cidrListAliases: [] } as const;

/** The metadata options of a new instance: IMDSv2 optional, as Lightsail's defaults. */
const METADATA_DEFAULTS: InstanceMetadataOptions = {
  state: 'applied',
  httpTokens: 'optional',
  httpEndpoint: 'enabled',
  httpPutResponseHopLimit: 1,
  httpProtocolIpv6: 'disabled',
};

/** The Lightsail resources of the simulated account, by name (names are unique per type and region). */
export class LightsailModel {
  readonly instances = new Map<string, SimInstance>();
  readonly staticIps = new Map<string, SimStaticIp>();
  readonly domains = new Map<string, SimDomain>();
  readonly snapshots = new Map<string, SimInstanceSnapshot>();
  readonly seed: LightsailSeed;
  readonly #model: AccountModel;

  constructor(model: AccountModel, generated: number) {
    this.#model = model;
    this.seed = this.#seedBusiness();
    for (let n = 1; n <= generated; n++) this.#seedGenerated(n);
  }

  /** The instance, or an error naming it (for the change methods; API handlers answer `NotFoundException`). */
  instance(name: string): SimInstance {
    const instance = this.instances.get(name);
    if (!instance) throw new Error(`no Lightsail instance ${name} in the simulated account`);
    return instance;
  }

  /** Adds a running Ubuntu instance in the home region's first zone, reachable over SSH from the office only. */
  create(name: string, createdAt: Date, bundleId = 'micro_3_0', blueprintId = 'ubuntu_22_04'): SimInstance {
    if (this.instances.has(name)) throw new Error(`Lightsail instance ${name} already exists`);
    const region = this.#model.homeRegion;
    const instance: SimInstance = {
      name,
      arn: this.arn('Instance', region),
      supportCode: this.#supportCode('i'),
      createdAt,
      region,
      availabilityZone: `${region}a`,
      blueprintId,
      bundleId,
      privateIpAddress: `172.26.${this.#model.random.int(0, 15)}.${this.#model.random.int(2, 254)}`,
      publicIpAddress: this.publicAddress(),
      ipv6Addresses: [this.#ipv6()],
      ipAddressType: 'dualstack',
      state: 'running',
      sshKeyName: 'jada-admin',
      ports: [sshFromOffice()],
      addOns: [],
      tags: [],
      metadataOptions: { ...METADATA_DEFAULTS },
    };
    this.instances.set(name, instance);
    return instance;
  }

  /** A new dynamic public address, from the block AWS uses for us-east-1 Lightsail instances. */
  publicAddress(): string {
    const random = this.#model.random;
    return `44.${random.int(192, 223)}.${random.int(0, 255)}.${random.int(1, 254)}`;
  }

  /** `arn:aws:lightsail:<region>:<account>:<Type>/<uuid>`, as Lightsail names every resource. */
  arn(resourceType: string, region: string): string {
    return `arn:aws:lightsail:${region}:${this.#model.accountId}:${resourceType}/${this.#model.random.uuid()}`;
  }

  /** Lightsail's support code: the account's support id, `/`, the resource kind's letter and a hex id. */
  #supportCode(kind: string): string {
    return `${this.#model.random.int(100_000_000_000, 999_999_999_999)}/${kind}-${this.#model.random.hex(17)}`;
  }

  #ipv6(): string {
    const random = this.#model.random;
    return `2600:1f18:${random.hex(4)}:${random.hex(4)}:${random.hex(4)}:${random.hex(4)}:${random.hex(4)}:${random.hex(4)}`;
  }

  #seedBusiness(): LightsailSeed {
    const wordpress = this.create(
      'jada-wordpress',
      seedDate('2025-04-08T14:22:51'),
      'small_3_0',
      'wordpress',
    );
    wordpress.ports = [
      sshFromOffice(),
      { fromPort: 80, toPort: 80, protocol: 'tcp', ...ANYWHERE },
      { fromPort: 443, toPort: 443, protocol: 'tcp', ...ANYWHERE },
    ];
    wordpress.addOns = [
      { name: 'AutoSnapshot', status: 'Enabled', snapshotTimeOfDay: '06:00', nextSnapshotTimeOfDay: '06:00' },
    ];
    wordpress.tags = [
      { key: 'site', value: 'salejada.com' },
      { key: 'owner', value: 'marketing' },
    ];
    const staging = this.create('staging-box', seedDate('2025-09-17T10:05:12'));
    staging.state = 'stopped';
    delete staging.publicIpAddress;
    staging.tags = [{ key: 'environment', value: 'staging' }];

    const region = this.#model.homeRegion;
    const attached = this.#allocate('jada-wordpress-ip', seedDate('2025-04-08T14:31:09'), region);
    attached.attachedTo = wordpress.name;
    wordpress.publicIpAddress = attached.ipAddress;
    const spare = this.#allocate('jada-spare-ip', seedDate('2025-11-02T09:48:30'), region);

    const domain = this.#domain('salejada.com', seedDate('2025-04-08T15:02:44'), attached.ipAddress);
    return {
      wordpress: wordpress.name,
      staging: staging.name,
      attachedStaticIp: attached.name,
      spareStaticIp: spare.name,
      domain: domain.name,
    };
  }

  /** `lightsailInstances` more small Ubuntu instances `lab-0001`…, running, untagged. */
  #seedGenerated(n: number): void {
    const created = new Date(seedDate('2026-01-05T08:00:00').getTime() + n * 60_000);
    this.create(`lab-${String(n).padStart(4, '0')}`, created);
  }

  #allocate(name: string, createdAt: Date, region: string): SimStaticIp {
    const staticIp: SimStaticIp = {
      name,
      arn: this.arn('StaticIp', region),
      supportCode: this.#supportCode('ip'),
      createdAt,
      region,
      ipAddress: this.publicAddress(),
    };
    this.staticIps.set(name, staticIp);
    return staticIp;
  }

  /** A DNS zone pointing the apex and `www` at `address`, with the site's mail and verification records. */
  #domain(name: string, createdAt: Date, address: string): SimDomain {
    const entry = (entryName: string, type: string, target: string): DomainEntry => ({
      id: `-${this.#model.random.int(100_000_000, 2_147_483_647)}`,
      name: entryName,
      target,
      isAlias: false,
      type,
      options: {},
    });
    const domain: SimDomain = {
      name,
      region: LIGHTSAIL_DNS_REGION,
      arn: this.arn('Domain', 'global'),
      supportCode: this.#supportCode('d'),
      createdAt,
      tags: [{ key: 'site', value: name }],
      entries: [
        entry(name, 'A', address),
        entry(`www.${name}`, 'CNAME', name),
        entry(name, 'MX', `10 inbound-smtp.${this.#model.homeRegion}.amazonaws.com`),
        entry(name, 'TXT', '"v=spf1 include:amazonses.com ~all"'),
      ],
    };
    this.domains.set(name, domain);
    return domain;
  }
}

/** SSH from the office network, and from Lightsail's browser console (the `lightsail-connect` alias). */
function sshFromOffice(): PortRule {
  return {
    fromPort: 22,
    toPort: 22,
    protocol: 'tcp',
    cidrs: [OFFICE_CIDR],
    ipv6Cidrs: [],
    cidrListAliases: ['lightsail-connect'],
  };
}
