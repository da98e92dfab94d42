import type { PasswordPolicy, Tag } from '@aws-sdk/client-iam';

/** AWS managed policies are named by ARNs in the `aws` account; customer managed ones in the account's own. */
export const AWS_MANAGED_POLICY_PREFIX = 'arn:aws:iam::aws:policy/';

/** What a role, user and group share: identity, path, and their inline and attached policies. */
export interface SimPrincipal {
  readonly name: string;
  /** `AROA…`, `AIDA…` or `AGPA…`. */
  readonly id: string;
  readonly path: string;
  readonly createDate: Date;
  /** Inline policy documents by policy name, each the JSON text the caller sent. */
  readonly inline: Map<string, string>;
  /** ARNs of attached managed policies, in the order they were attached. */
  readonly attached: string[];
}

/** An IAM role. */
export interface SimRole extends SimPrincipal {
  /** The trust policy, as the JSON text the caller sent. */
  trustPolicy: string;
  description?: string;
  maxSessionDuration: number;
  /** ARN of the permissions boundary policy. */
  permissionsBoundary?: string;
  tags: Tag[];
  lastUsed?: { readonly date: Date; readonly region: string };
}

/** An access key's metadata: IAM never returns the secret after creation, and the simulation has none. */
export interface SimAccessKey {
  readonly id: string;
  status: 'Active' | 'Inactive';
  readonly createDate: Date;
  lastUsed?: { readonly date: Date; readonly service: string; readonly region: string };
}

/** An IAM user. */
export interface SimUser extends SimPrincipal {
  passwordLastUsed?: Date;
  permissionsBoundary?: string;
  tags: Tag[];
  readonly accessKeys: SimAccessKey[];
  /** Console access; absent when the user has none. */
  loginProfile?: { readonly createDate: Date; passwordResetRequired: boolean };
  readonly mfaDevices: Array<{ readonly serialNumber: string; readonly enableDate: Date }>;
}

/** An IAM group; its members are user names. */
export interface SimGroup extends SimPrincipal {
  readonly members: string[];
}

/** One version of a customer managed policy. */
export interface SimPolicyVersion {
  /** `v1`, `v2`… */
  readonly id: string;
  /** The JSON text the caller sent. */
  readonly document: string;
  readonly createDate: Date;
}

/** A customer managed policy. */
export interface SimManagedPolicy {
  readonly name: string;
  /** `ANPA…` */
  readonly id: string;
  readonly path: string;
  readonly arn: string;
  readonly description?: string;
  readonly createDate: Date;
  updateDate: Date;
  defaultVersion: string;
  /** Oldest first; at most five, as IAM allows. */
  readonly versions: SimPolicyVersion[];
  /** The number the next version gets (IAM never reuses a version number). */
  nextVersion: number;
  tags: Tag[];
}

/** An OpenID Connect identity provider. */
export interface SimOidcProvider {
  readonly arn: string;
  /** Without `https://`, as IAM reports it. */
  readonly url: string;
  readonly clientIds: string[];
  readonly thumbprints: string[];
  readonly createDate: Date;
  tags: Tag[];
}

/** A SAML 2.0 identity provider. */
export interface SimSamlProvider {
  readonly arn: string;
  readonly uuid: string;
  metadata: string;
  readonly createDate: Date;
  validUntil: Date;
  tags: Tag[];
}

/** The kinds of principal that hold inline and attached policies. */
export type PrincipalKind = 'role' | 'user' | 'group';

/** The principal of each kind. */
export interface PrincipalOf {
  readonly role: SimRole;
  readonly user: SimUser;
  readonly group: SimGroup;
}

/** The IAM entities of the simulated account. */
export class IamState {
  readonly accountId: string;
  readonly roles = new Map<string, SimRole>();
  readonly users = new Map<string, SimUser>();
  readonly groups = new Map<string, SimGroup>();
  /** Customer managed policies by ARN. */
  readonly policies = new Map<string, SimManagedPolicy>();
  readonly oidcProviders = new Map<string, SimOidcProvider>();
  readonly samlProviders = new Map<string, SimSamlProvider>();
  /** Absent until a policy is set. */
  passwordPolicy?: PasswordPolicy;

  constructor(accountId: string) {
    this.accountId = accountId;
  }

  /** `arn:aws:iam::<account>:<kind><path><name>`, e.g. `arn:aws:iam::123456789012:role/service-role/x`. */
  arn(kind: 'role' | 'user' | 'group' | 'policy', path: string, name: string): string {
    return `arn:aws:iam::${this.accountId}:${kind}${path}${name}`;
  }

  /** The roles, users or groups, by name. */
  principals<K extends PrincipalKind>(kind: K): Map<string, PrincipalOf[K]> {
    const byKind: { readonly [P in PrincipalKind]: Map<string, PrincipalOf[P]> } = {
      role: this.roles,
      user: this.users,
      group: this.groups,
    };
    return byKind[kind];
  }

  /** The role, or an error naming it (for the change methods; the API answers `NoSuchEntity`). */
  role(name: string): SimRole {
    return existing(this.roles.get(name), `role ${name}`);
  }

  /** The user, or an error naming it. */
  user(name: string): SimUser {
    return existing(this.users.get(name), `user ${name}`);
  }

  /** The group, or an error naming it. */
  group(name: string): SimGroup {
    return existing(this.groups.get(name), `group ${name}`);
  }

  /** The customer managed policy, or an error naming it. */
  policy(arn: string): SimManagedPolicy {
    return existing(this.policies.get(arn), `customer managed policy ${arn}`);
  }

  /** The principals a managed policy is attached to: what `AttachmentCount` counts. */
  attachmentCount(arn: string): number {
    return this.#principals().filter((principal) => principal.attached.includes(arn)).length;
  }

  /** The roles and users using a managed policy as their permissions boundary. */
  boundaryUsageCount(arn: string): number {
    const bounded = [...this.roles.values(), ...this.users.values()];
    return bounded.filter((principal) => principal.permissionsBoundary === arn).length;
  }

  /** The groups a user is a member of. */
  groupsOf(user: string): SimGroup[] {
    return [...this.groups.values()].filter((group) => group.members.includes(user));
  }

  /** Whether an ARN names a managed policy that can be attached: a customer one that exists, or an AWS managed one. */
  attachable(arn: string): boolean {
    return this.policies.has(arn) || arn.startsWith(AWS_MANAGED_POLICY_PREFIX);
  }

  #principals(): SimPrincipal[] {
    return [...this.roles.values(), ...this.users.values(), ...this.groups.values()];
  }
}

function existing<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`no ${what} in the simulated account`);
  return value;
}

/** The name of a managed policy from its ARN (the last path segment). */
export function policyNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}
