import { describe, expect, it } from 'vitest';
import {
  definitionsEmittingIn,
  definitionsOfServices,
  forwardingRegions,
  registryServices,
} from '../src/deploy/index.js';
import { InputError } from '../src/errors.js';
import { registry } from '../src/resources/registry.js';
import type { ResourceDefinition } from '../src/resources/types.js';

const [template] = registry;
if (!template) throw new Error('the registry is empty');
const role: ResourceDefinition = {
  ...template,
  type: 'AWS::IAM::Role',
  service: 'iam',
  eventSource: 'iam.amazonaws.com',
  scope: 'global',
  listedByParent: false,
};
const withRole = [...registry, role];

describe('registryServices and definitionsOfServices', () => {
  it('lists each service once and selects the definitions of chosen services', () => {
    expect(registryServices()).toEqual(['s3', 'lambda']);
    expect(definitionsOfServices(['lambda']).map((d) => d.type)).toEqual(['AWS::Lambda::Function']);
    expect(definitionsOfServices(['s3']).map((d) => d.type)).toEqual(['AWS::S3::Bucket', 'AWS::S3::Object']);
  });

  it('rejects an unknown service, naming the known ones', () => {
    expect(() => definitionsOfServices(['lambda', 'ec2'])).toThrow(InputError);
    expect(() => definitionsOfServices(['ec2'])).toThrow('unknown service ec2, expected one of s3, lambda');
  });
});

describe('definitionsEmittingIn', () => {
  it('puts global types in us-east-1 and regional types in captured regions only', () => {
    const types = (region: string) =>
      definitionsEmittingIn(withRole, region, ['eu-west-1', 'us-west-2']).map((d) => d.type);

    expect(types('us-east-1')).toEqual(['AWS::IAM::Role']);
    expect(types('us-west-2')).toEqual(['AWS::S3::Bucket', 'AWS::S3::Object', 'AWS::Lambda::Function']);
    expect(types('ap-south-1')).toEqual([]);
  });
});

describe('forwardingRegions', () => {
  it('forwards other captured regions, and us-east-1 when a global type is selected away from it', () => {
    expect(forwardingRegions(registry, { homeRegion: 'eu-west-1', regions: ['eu-west-1'] })).toEqual([]);
    expect(forwardingRegions(withRole, { homeRegion: 'eu-west-1', regions: ['eu-west-1'] })).toEqual([
      'us-east-1',
    ]);
    expect(
      forwardingRegions(withRole, { homeRegion: 'us-east-1', regions: ['us-east-1', 'eu-west-1'] }),
    ).toEqual(['eu-west-1']);
    expect(
      forwardingRegions(registry, { homeRegion: 'eu-west-1', regions: ['eu-west-1', 'us-east-1'] }),
    ).toEqual(['us-east-1']);
  });
});
