import { CauseKind } from '../constants.js';
import type { RuleSettings, RuleSpec } from './rules.js';

/** CloudFront's minimum viewer protocol versions older than TLS 1.1. */
const OUTDATED_TLS = ['SSLv3', 'TLSv1', 'TLSv1_2016'];

/** Rule as the defaults write it: every field of a file's rule but the defaults zod applies. */
type DefaultRule = Omit<RuleSpec, 'enabled'>;

/**
 * The rules Tidemark ships, evaluated unless the rules file says `defaults: false`; a file's rule with the
 * same name adjusts (or, with `match`, replaces) one. They read the file's `settings`.
 */
export function defaultRules(settings: RuleSettings): DefaultRule[] {
  return [
    {
      name: 'iam-admin-granted',
      description: 'IAM policy granting *:* or an administrator policy attached',
      severity: 'critical',
      match: {
        resources: ['AWS::IAM::*'],
        kinds: ['created', 'changed'],
        fields: [{ path: '*', becomes: 'admin' }],
      },
    },
    {
      name: 'bucket-made-public',
      description: 'S3 bucket made public (policy, ACL or public access block)',
      severity: 'critical',
      match: {
        resources: ['AWS::S3::Bucket:*'],
        kinds: ['created', 'changed'],
        fields: [
          { path: 'Policy', becomes: 'public' },
          { path: 'Acl', becomes: 'public' },
          { path: 'PublicAccessBlock', becomes: 'unblocked' },
        ],
      },
    },
    {
      name: 'dns-outside-window',
      description: "DNS records or a distribution's aliases changed outside the change window",
      severity: 'high',
      match: {
        resources: ['AWS::Route53::HostedZone:*', 'AWS::CloudFront::Distribution:*'],
        fields: [{ path: 'RecordSets' }, { path: 'DistributionConfig.Aliases' }],
        window: { when: 'outside', window: settings.changeWindow },
      },
    },
    {
      name: 'protected-deleted',
      description: 'A protected resource was deleted',
      severity: 'critical',
      match: { resources: settings.protected, kinds: ['deleted'] },
    },
    {
      name: 'unexpected-principal',
      description: 'A change made by someone other than the deploy roles',
      severity: 'medium',
      match: { causes: [CauseKind.EVENT], principals: { allow: settings.deployPrincipals } },
    },
    {
      name: 'silent-drift',
      description: 'A change no event reported (silent drift)',
      severity: 'high',
      match: { causes: [CauseKind.RECONCILE, 'drift-check'] },
    },
    {
      name: 'secret-changed',
      description: 'A sealed secret changed',
      severity: 'high',
      match: { kinds: ['changed'], fields: [{ path: '*', sealed: true }] },
    },
    {
      name: 'tls-removed',
      description: 'A CloudFront or API Gateway change allows plain HTTP or outdated TLS',
      severity: 'high',
      match: {
        resources: ['AWS::CloudFront::Distribution:*', 'AWS::ApiGatewayV2::DomainName:*'],
        kinds: ['created', 'changed'],
        // Each setting on its own, so one behaviour opened to HTTP alerts even when another already was.
        fields: [
          { path: 'DistributionConfig.DefaultCacheBehavior.ViewerProtocolPolicy', to: ['allow-all'] },
          { path: 'DistributionConfig.CacheBehaviors.*.ViewerProtocolPolicy', to: ['allow-all'] },
          { path: 'DistributionConfig.ViewerCertificate.MinimumProtocolVersion', to: OUTDATED_TLS },
          { path: 'DomainNameConfigurations.*.SecurityPolicy', to: ['TLS_1_0'] },
        ],
      },
    },
  ];
}
