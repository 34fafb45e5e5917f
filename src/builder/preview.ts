import type { VCEClient } from '../api/client';
import { VCEApiError } from '../api/request';
import type { Translate } from '../common/translate';
import { toRequestBody } from '../query/model';
import type { PlatformStatusModel } from '../status/model';
import type { QueryBuilderModel } from './model';

/**
 * Ask the platform for a test-stage sample of the builder's query (charged to
 * the daily quota) and show it, or why it failed, in the builder; the
 * connection's quota follows the answer.
 */
export async function previewQuery(
  model: QueryBuilderModel,
  client: Pick<VCEClient, 'previewQuery'>,
  status: PlatformStatusModel | null,
  trans: Translate
): Promise<void> {
  model.setPreview({ state: 'running' });
  const query = model.query;
  try {
    const answer = await client.previewQuery(toRequestBody(query));
    model.setPreview({
      state: 'done',
      category: answer.category,
      fields: query.fields,
      records: answer.records,
      count: answer.count,
      quota: answer.quota ?? null
    });
    if (answer.quota) {
      status?.applyQuota(answer.quota);
    }
  } catch (error) {
    const message =
      error instanceof VCEApiError
        ? error.message
        : trans.__(
            'The preview failed: %1',
            error instanceof Error ? error.message : String(error)
          );
    model.setPreview({ state: 'failed', message });
    void status?.refresh();
  }
}
