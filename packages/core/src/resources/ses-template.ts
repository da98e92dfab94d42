import { GetEmailTemplateCommand, paginateListEmailTemplates } from '@aws-sdk/client-sesv2';
import type { CaptureContext } from '../capture/context.js';
import { readPart, withoutMetadata } from '../capture/read-part.js';
import type { Described, JsonObject, ListedResource } from '../types/resource.js';
import { sesService, sesV2Service } from './services.js';
import { SES_EVENT_SOURCE, sesExtractor } from './ses-shared.js';
import { limitedPages, tagsAsMap, toJsonObject } from './support.js';
import type { ResourceDefinition } from './types.js';

const TYPE = 'AWS::SES::Template';

/** Where SES calls name a template: `templateName` (v2, v1 `DeleteTemplate`) or `template.templateName` (v1). */
export const templateFromRecord = sesExtractor(['templateName', 'template.templateName']);

/** CloudTrail events of both SES APIs that create, change or delete an email template. */
const TEMPLATE_EVENTS = [
  'CreateEmailTemplate',
  'UpdateEmailTemplate',
  'DeleteEmailTemplate',
  'CreateTemplate',
  'UpdateTemplate',
  'DeleteTemplate',
] as const;

async function* listTemplates(ctx: CaptureContext, region: string): AsyncGenerator<ListedResource> {
  const client = ctx.client(sesV2Service, region);
  const pages = paginateListEmailTemplates({ client, pageSize: 100 }, {});
  for await (const page of limitedPages(ctx.limit(sesV2Service), pages)) {
    for (const template of page.TemplatesMetadata ?? []) {
      if (template.TemplateName) yield { id: template.TemplateName };
    }
  }
}

async function describeTemplate(ctx: CaptureContext, name: string, region: string): Promise<Described> {
  const client = ctx.client(sesV2Service, region);
  const described = await readPart({ type: TYPE, region, id: name, operation: 'ses:GetEmailTemplate' }, () =>
    ctx.limit(sesV2Service)(() => client.send(new GetEmailTemplateCommand({ TemplateName: name }))),
  );
  if (described.state === 'not-found' || described.state === 'absent') return { status: 'not-found' };
  if (described.state === 'gap') return { status: 'gap', gap: described.gap };
  return { status: 'found', raw: toJsonObject(withoutMetadata(described.value)) };
}

/**
 * `AWS::SES::Template`: an email template (subject, HTML and text parts) with its tags, as v2 `GetEmailTemplate`
 * reports it; templates made with the v1 API are the same templates. Identifier: the template name.
 */
export const sesTemplate: ResourceDefinition = {
  type: TYPE,
  service: sesService,
  eventSource: SES_EVENT_SOURCE,
  scope: 'regional',
  listOperation: 'ses:ListEmailTemplates',
  permissions: ['ses:ListEmailTemplates', 'ses:GetEmailTemplate'],
  volatile: [],
  secrets: [],
  events: Object.fromEntries(TEMPLATE_EVENTS.map((name) => [name, templateFromRecord])),
  list: listTemplates,
  describe: (ctx, id, region) => describeTemplate(ctx, id, region),
  normalise(raw) {
    const normalised: JsonObject = { ...raw };
    const tags = tagsAsMap(raw.Tags);
    if (tags !== undefined) normalised.Tags = tags;
    return normalised;
  },
};
